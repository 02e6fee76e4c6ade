import type { App } from '../../../src/app.js';
import { assessPoint, standardPoints } from '../../../src/modules/services/actions/assessment.js';
import { receiveEvents } from '../../../src/modules/services/actions/events.js';
import {
  giveFeedback,
  givePageFeedback,
  publishImprovement,
  triageFeedback,
} from '../../../src/modules/services/actions/feedback.js';
import {
  createStandard,
  enterCost,
  reportCounts,
  reportStandardResult,
} from '../../../src/modules/services/actions/figures.js';
import { currentMonth, monthRange } from '../../../src/modules/services/actions/periods.js';
import { makeService, servicesDeps, sys, transaction } from '../../../src/modules/services/test/factories.js';

/** The services module's content for the pages: codes, references and ids to put in their addresses. */
export interface ServicesFixture {
  /**
   * A service of the organization that sends transaction events, with costs, feedback (some with
   * comments, one tagged and actioned), a standard with a result, a "you said, we did" and an
   * assessment. Its figures over the last 12 months are `servicesFigures`.
   */
  code: string;
  /** A second service of the organization, with counts reported by staff and too few answers for a satisfaction figure. */
  countsCode: string;
  /** A completed transaction of `code` that already has feedback (the form answers 409). */
  usedRef: string;
  /** A completed transaction of `code` with no feedback yet (the form is shown with it). */
  freshRef: string;
  /** A point of the Digital Service Standard, rated for `code`. */
  pointId: string;
}

/**
 * The KPIs of the fixture's service over the last 12 months, as the pages write them: 10
 * transactions started (8 online, 2 in person), 8 completed (6 online, one of them ineligible and
 * one denied; 2 in person), 2 abandoned online; $800 of costs; 18 answers, 14 of them satisfied or
 * very satisfied.
 */
export const servicesFigures = {
  started: 10,
  completed: 8,
  en: { cost: '$100.00', completion: '80%', takeUp: '75%', satisfied: '77.8%' },
  fr: { cost: '100,00\u00a0$', completion: '80\u00a0%', takeUp: '75\u00a0%', satisfied: '77,8\u00a0%' },
} as const;

/** The answers to the satisfaction question, newest last; the comments say why, in either language. */
const answers: Array<{
  satisfaction: number;
  achieved?: 'yes' | 'partly' | 'no';
  comment?: string;
  locale?: 'en' | 'fr';
}> = [
  { satisfaction: 5, achieved: 'yes', comment: 'Quick and clear, thank you.' },
  ...Array.from({ length: 9 }, () => ({ satisfaction: 5 })),
  {
    satisfaction: 4,
    achieved: 'yes',
    comment: 'Bien, mais la page de paiement est lente.',
    locale: 'fr' as const,
  },
  ...Array.from({ length: 3 }, () => ({ satisfaction: 4 })),
  {
    satisfaction: 3,
    achieved: 'partly',
    comment: 'I had to phone to finish. Reach me at sam.fisher@example.com',
  },
  { satisfaction: 3 },
  { satisfaction: 2, achieved: 'partly', comment: 'The payment page timed out twice.' },
  {
    satisfaction: 1,
    achieved: 'no',
    comment: 'Je n’ai pas pu téléverser mes documents.',
    locale: 'fr' as const,
  },
];

/** Seeds the services of `organizationId` through the module's actions, as the system. */
export async function seedServices(app: App, organizationId: string): Promise<ServicesFixture> {
  const deps = servicesDeps(app);
  const timeZone = deps.kernel.config.timeZone;
  const service = await makeService(app, organizationId, {
    code: 'FISH-LICENCE',
    nameEn: 'Renew a fishing licence',
    nameFr: 'Renouveler un permis de pêche',
    descriptionEn: 'Renew your recreational fishing licence online or at a ServiceOntario centre.',
    descriptionFr: 'Renouvelez votre permis de pêche sportive en ligne ou dans un centre ServiceOntario.',
    programCode: 'NR-01',
    programNameEn: 'Fish and wildlife',
    programNameFr: 'Poissons et faune',
    serviceTypes: ['APIR'],
    clientTypes: ['PERSON'],
    channels: ['online', 'in_person'],
    application: 'yes',
    decision: 'yes',
    issuance: 'not_applicable',
    chargesFee: 'yes',
    feeDescriptionEn: '$25 a year',
    feeDescriptionFr: '25 $ par année',
    urlEn: 'https://example.test/fishing-licence',
    urlFr: 'https://example.test/fr/permis-de-peche',
  });
  const counted = await makeService(app, organizationId, {
    code: 'HUNT-LICENCE',
    nameEn: 'Get a hunting licence',
    nameFr: 'Obtenir un permis de chasse',
    channels: ['phone', 'mail'],
    application: 'no',
  });

  // Transactions of the last few hours: online ones go through two steps (the funnel), some are abandoned.
  const start = Date.now() - 6 * 3600_000;
  const ends = [
    'ineligible',
    'denied',
    'approved',
    'approved',
    'approved',
    'approved',
    'abandoned',
    'abandoned',
    'approved',
    'approved',
  ] as const;
  const events = ends.flatMap((end, i) => {
    const reference = `FL-${1001 + i}`;
    const channel = i < 8 ? 'online' : 'in_person';
    const startedAt = start + i * 20 * 60_000;
    const [started, last] = transaction(
      service.code,
      reference,
      new Date(startedAt).toISOString(),
      channel,
      end,
      15,
    );
    const step = (n: number, name: string, minutes: number) => ({
      id: `${reference}-${n}`,
      service: service.code,
      reference,
      type: 'step',
      step: name,
      channel,
      time: new Date(startedAt + minutes * 60_000).toISOString(),
    });
    return channel === 'online'
      ? [started, step(1, 'Upload documents', 3), ...(end === 'abandoned' ? [] : [step(2, 'Pay', 12)]), last]
      : [started, last];
  });
  await receiveEvents(deps, sys, { events });

  // This month cost $800 in all: $100.00 per completed transaction.
  const month = monthRange(...currentMonth(new Date(), timeZone));
  const period = { periodStart: month.start, periodEnd: month.end };
  await enterCost(deps, sys, service.code, { ...period, channel: 'online', amount: 300 });
  await enterCost(deps, sys, service.code, { ...period, channel: 'in_person', amount: 500 });
  const standard = await createStandard(deps, sys, service.code, {
    nameEn: 'Licences issued within 5 business days',
    nameFr: 'Permis délivrés en 5 jours ouvrables',
    type: 'timeliness',
    targetPercent: 90,
  });
  await reportStandardResult(deps, sys, service.code, standard.id, {
    ...period,
    volumeMeetingTarget: 45,
    totalVolume: 50,
  });

  const usedRef = 'FL-1003';
  let triaged: string | undefined;
  for (const [i, answer] of answers.entries()) {
    const { locale = 'en', ...fields } = answer;
    const given = await giveFeedback(deps, { ...sys, locale }, service.code, {
      ...fields,
      ...(i === 0 ? { ref: usedRef } : {}),
    });
    if (answer.comment?.startsWith('The payment page')) triaged = given.feedback.id;
  }
  await triageFeedback(deps, sys, service.code, triaged!, { tags: 'payment, time-outs', actioned: true });
  await publishImprovement(deps, sys, service.code, {
    youSaidEn: 'The payment page timed out.',
    youSaidFr: 'La page de paiement expirait.',
    weDidEn: 'We doubled the time allowed to pay.',
    weDidFr: 'Nous avons doublé le délai pour payer.',
    publishedOn: month.start,
  });
  const [point] = await standardPoints(deps, sys);
  await assessPoint(deps, sys, service.code, {
    pointId: point!.id,
    rating: 'partly',
    evidence: 'Tested with 3 people.',
    assessedOn: month.start,
  });
  await assessPoint(deps, sys, service.code, {
    pointId: point!.id,
    rating: 'met',
    evidence: 'Tested with 12 people, who all renewed unaided.',
    assessedOn: month.start,
  });

  // The second service reports counts per channel (one with no data), and has two answers.
  await reportCounts(deps, sys, counted.code, { ...period, channel: 'phone', started: 40, completed: 30 });
  await reportCounts(deps, sys, counted.code, { ...period, channel: 'mail', missing: 'no_data' });
  await giveFeedback(deps, sys, counted.code, { satisfaction: 4 });
  await giveFeedback(deps, sys, counted.code, { satisfaction: 2 });

  // Answers to "Did you find what you were looking for?"
  await givePageFeedback(
    deps,
    { ...sys, locale: 'en' },
    { found: 'no', path: '/en/services', comment: 'Passports. Call me at 416-555-0199' },
  );
  await givePageFeedback(deps, { ...sys, locale: 'fr' }, { found: 'yes', path: '/fr/services/methodology' });

  return { code: service.code, countsCode: counted.code, usedRef, freshRef: 'FL-1004', pointId: point!.id };
}
