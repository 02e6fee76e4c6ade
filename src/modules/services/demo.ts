import fs from 'node:fs';
import path from 'node:path';
import { system } from '../../kernel/auth/actor.js';
import type { Kernel } from '../../kernel/module.js';
import { assessPoint } from './actions/assessment.js';
import type { ServicesDeps } from './actions/deps.js';
import { receiveEvents } from './actions/events.js';
import { giveFeedback, publishImprovement, triageFeedback } from './actions/feedback.js';
import { createStandard, enterCost, reportStandardResult } from './actions/figures.js';
import { importGcInventory } from './actions/import.js';
import { addMonths, currentMonth, monthRange } from './actions/periods.js';
import { createService } from './actions/services.js';
import { findService } from './data/services.js';
import type { Channel, Outcome } from './schema.js';

const ctx = { actor: system, requestId: 'demo-seed' };
const demoDataDirectory = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../demo/data');

/** A small, seeded random generator (mulberry32), so every demo has the same figures. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Three real ServiceOntario services of the demo Ministry of Transportation (so the demo staff
 * accounts run them). Their names, descriptions and addresses are the public ones; the events,
 * costs and feedback generated below are demonstration figures.
 */
const ontarioServices = [
  {
    code: 'ON-MTO-DL-RENEW',
    nameEn: 'Renew a driver’s licence',
    nameFr: 'Renouveler un permis de conduire',
    descriptionEn: 'Renew your Ontario driver’s licence online, or at a ServiceOntario centre if you need a new photo or a vision test.',
    descriptionFr: 'Renouvelez votre permis de conduire de l’Ontario en ligne, ou dans un centre ServiceOntario si vous avez besoin d’une nouvelle photo ou d’un examen de la vue.',
    urlEn: 'https://www.ontario.ca/page/renew-drivers-licence',
    urlFr: 'https://www.ontario.ca/fr/page/renouveler-un-permis-de-conduire',
    steps: ['Check eligibility', 'Verify identity', 'Pay the fee'],
    volume: 420,
    online: 0.72,
  },
  {
    code: 'ON-MTO-APP',
    nameEn: 'Apply for an accessible parking permit',
    nameFr: 'Demander un permis de stationnement accessible',
    descriptionEn: 'Get a permit to park in accessible parking spaces if you have a condition that limits your mobility, with a form signed by a health practitioner.',
    descriptionFr: 'Obtenez un permis pour stationner dans les places accessibles si vous avez un problème de santé qui limite votre mobilité, avec un formulaire signé par un praticien de la santé.',
    urlEn: 'https://www.ontario.ca/page/get-accessible-parking-permit',
    urlFr: 'https://www.ontario.ca/fr/page/obtenir-un-permis-de-stationnement-accessible',
    steps: ['Enter applicant details', 'Upload practitioner form', 'Review and submit'],
    volume: 160,
    online: 0.48,
  },
  {
    code: 'ON-MTO-ROAD-TEST',
    nameEn: 'Book a road test',
    nameFr: 'Réserver un examen de conduite',
    descriptionEn: 'Book, change or cancel a G1, G2 or motorcycle road test at a DriveTest centre.',
    descriptionFr: 'Réservez, modifiez ou annulez un examen de conduite G1, G2 ou de motocyclette dans un centre DriveTest.',
    urlEn: 'https://www.ontario.ca/page/book-road-test',
    urlFr: 'https://www.ontario.ca/fr/page/reserver-un-examen-de-conduite',
    steps: ['Sign in to DriveTest', 'Choose a centre', 'Choose a date', 'Pay the fee'],
    volume: 300,
    online: 0.86,
  },
];

/** Demonstration comments, as people write them (some with personal details the platform removes). */
const comments = {
  en: [
    'Quick and easy, done in five minutes.',
    'The page timed out when I tried to pay and I had to start again.',
    'I could not find where to upload the form from my doctor.',
    'Please call me back at 416-555-0199, I was charged twice.',
    'The photo requirements were confusing.',
    'Much better than going in person. Thank you!',
    'I waited 40 minutes at the centre even with an appointment.',
    'My email is sam.taylor@example.com if you need more details about the error.',
    'The confirmation email never arrived.',
    'Clear instructions, nothing to add.',
  ],
  fr: [
    'Rapide et simple, terminé en cinq minutes.',
    'La page a expiré au moment du paiement et j’ai dû tout recommencer.',
    'Je n’ai pas trouvé où téléverser le formulaire de mon médecin.',
    'Rappelez-moi au 613 555-0142, j’ai été facturé deux fois.',
    'Les exigences pour la photo n’étaient pas claires.',
    'Beaucoup mieux que de me déplacer. Merci!',
    'Le courriel de confirmation n’est jamais arrivé.',
    'Instructions claires, rien à ajouter.',
  ],
};

const pad = (n: number) => String(n).padStart(2, '0');

interface DemoEvent {
  id: string;
  service: string;
  reference: string;
  type: 'started' | 'step' | 'completed' | 'abandoned';
  step?: string;
  outcome?: Outcome;
  channel: Channel;
  time: string;
}

/** A year of transactions for a service: starts, steps with realistic waits, outcomes and drop-outs. */
function transactions(service: (typeof ontarioServices)[number], now: Date, rand: () => number): { events: DemoEvent[]; completed: Array<{ reference: string; channel: Channel }> } {
  const events: DemoEvent[] = [];
  const completed: Array<{ reference: string; channel: Channel }> = [];
  const [y, m] = currentMonth(now, 'America/Toronto');
  let n = 0;
  for (let back = 11; back >= 0; back--) {
    const [ty, tm] = addMonths(y, m, -back);
    const monthStart = Date.parse(`${monthRange(ty, tm).start}T05:00:00Z`);
    const monthEnd = Math.min(Date.parse(`${monthRange(ty, tm).end}T23:00:00Z`), now.getTime() - 3_600_000);
    // Digital take-up grows through the year, as services improve.
    const online = Math.min(0.95, service.online + (11 - back) * 0.01);
    const volume = Math.round(service.volume * (0.8 + rand() * 0.4));
    for (let i = 0; i < volume; i++) {
      let time = monthStart + rand() * Math.max(0, monthEnd - monthStart - 3_600_000);
      if (time > now.getTime() - 3_600_000) continue;
      const channel: Channel = rand() < online ? 'online' : rand() < 0.8 ? 'in_person' : 'phone';
      const reference = `${service.code}-${ty}${pad(tm)}-${String(++n).padStart(5, '0')}`;
      const event = (type: DemoEvent['type'], extra: Partial<DemoEvent> = {}) => events.push({ id: `${reference}-${events.length}`, service: service.code, reference, type, channel, time: new Date(time).toISOString(), ...extra });
      event('started');
      let abandoned = false;
      for (const [s, step] of service.steps.entries()) {
        // Online steps take minutes, the slowest one (the upload or the payment) much longer.
        time += (channel === 'online' ? 30 + rand() * 240 : 120 + rand() * 600) * 1000 * (s === service.steps.length - 1 ? 3 : 1);
        if (rand() < 0.035) {
          abandoned = true;
          break;
        }
        event('step', { step });
      }
      time += (20 + rand() * 120) * 1000;
      if (abandoned || rand() < 0.03) {
        event('abandoned');
        continue;
      }
      const r = rand();
      event('completed', { outcome: r < 0.88 ? 'approved' : r < 0.95 ? 'ineligible' : r < 0.98 ? 'denied' : 'other' });
      completed.push({ reference, channel });
    }
  }
  return { events, completed };
}

/**
 * Demo data: the real Government of Canada Service Inventory (1,751 services with their FY2023-24
 * applications per channel and service standards), and a year of generated events, costs and
 * feedback for three ServiceOntario services so every chart, funnel and inbox has something to show.
 */
export async function seedServicesDemo(deps: ServicesDeps, kernel: Kernel, now = new Date()): Promise<string[]> {
  const db = kernel.database.db;
  if (await findService(db, ontarioServices[0]!.code)) return [];
  const lines: string[] = [];
  const inventory = path.join(demoDataDirectory, 'gc-service-inventory', 'si_2024.csv');
  if (fs.existsSync(inventory)) {
    const report = await importGcInventory(deps, ctx, { inventory: fs.readFileSync(inventory), standards: fs.readFileSync(path.join(demoDataDirectory, 'gc-service-inventory', 'ss_2024.csv')) });
    lines.push(`Services: imported ${report.services.created} services of the Government of Canada Service Inventory.`);
  }
  const transportation = await deps.identity.getOrganization('transportation');
  if (!transportation) return lines;
  const rand = random(20261122);
  const [y, m] = currentMonth(now, kernel.config.timeZone);
  for (const s of ontarioServices) {
    await createService(deps, ctx, {
      code: s.code,
      organizationId: transportation.id,
      nameEn: s.nameEn,
      nameFr: s.nameFr,
      descriptionEn: s.descriptionEn,
      descriptionFr: s.descriptionFr,
      programNameEn: 'ServiceOntario',
      programNameFr: 'ServiceOntario',
      serviceTypes: ['APIR'],
      clientTypes: ['PERSON'],
      channels: ['online', 'in_person', 'phone'],
      accountRegistration: 'not_applicable',
      authentication: 'yes',
      application: 'yes',
      decision: 'yes',
      issuance: 'no',
      feedback: 'yes',
      chargesFee: 'yes',
      urlEn: s.urlEn,
      urlFr: s.urlFr,
    });
    const { events, completed } = transactions(s, now, rand);
    for (let i = 0; i < events.length; i += 5000) await receiveEvents(deps, ctx, { events: events.slice(i, i + 5000) }, now);

    // What each channel cost per month: online is cheap, counters and phones are not.
    for (let back = 11; back >= 0; back--) {
      const [ty, tm] = addMonths(y, m, -back);
      const range = monthRange(ty, tm);
      for (const [channel, amount] of [['online', 4200], ['in_person', 18500], ['phone', 6100]] as const) {
        await enterCost(deps, ctx, s.code, { periodStart: range.start, periodEnd: range.end, channel, amount: Math.round(amount * (0.9 + rand() * 0.2) * (s.volume / 300)) });
      }
    }

    // Feedback from about one in ten people who finished, in both languages.
    const given: string[] = [];
    for (const t of completed) {
      if (rand() > 0.1) continue;
      const locale = rand() < 0.3 ? 'fr' : 'en';
      const r = rand();
      const satisfaction = r < 0.38 ? 5 : r < 0.72 ? 4 : r < 0.84 ? 3 : r < 0.94 ? 2 : 1;
      const pool = comments[locale];
      const comment = rand() < 0.35 ? pool[Math.floor(rand() * pool.length)] : undefined;
      const achieved = satisfaction >= 4 ? 'yes' : satisfaction === 3 ? 'partly' : rand() < 0.5 ? 'partly' : 'no';
      const { feedback } = await giveFeedback(deps, { ...ctx, locale }, s.code, { satisfaction, achieved, ref: t.reference, ...(comment ? { comment } : {}) });
      if (comment) given.push(feedback.id);
    }
    // The team has read some of it.
    for (const [i, id] of given.slice(0, 6).entries()) {
      await triageFeedback(deps, ctx, s.code, id, { tags: i % 2 ? 'payment, bug' : 'instructions', actioned: i < 3 });
    }
  }

  const renew = ontarioServices[0]!.code;
  await publishImprovement(deps, ctx, renew, {
    youSaidEn: 'The page timed out while you were paying, and you had to start again.',
    youSaidFr: 'La page expirait pendant le paiement et vous deviez tout recommencer.',
    weDidEn: 'We doubled the time allowed on the payment step and now keep your answers if it expires.',
    weDidFr: 'Nous avons doublé le temps accordé à l’étape du paiement et vos réponses sont maintenant conservées si elle expire.',
  });
  const standard = await createStandard(deps, ctx, renew, { nameEn: 'Renewals done online are confirmed within 1 business day', nameFr: 'Les renouvellements faits en ligne sont confirmés en 1 jour ouvrable', type: 'timeliness', channel: 'online', targetPercent: 95 });
  for (let back = 11; back >= 0; back--) {
    const [ty, tm] = addMonths(y, m, -back);
    const range = monthRange(ty, tm);
    const total = 250 + Math.round(rand() * 80);
    await reportStandardResult(deps, ctx, renew, standard.id, { periodStart: range.start, periodEnd: range.end, totalVolume: total, volumeMeetingTarget: Math.round(total * (0.9 + rand() * 0.09)) });
  }
  const assessments: Array<[string, 'met' | 'partly' | 'not_met', string]> = [
    ['on-dss-01', 'met', 'Research with 24 drivers in Toronto, Sudbury and Ottawa in 2025; findings in the team wiki.'],
    ['on-dss-02', 'partly', 'Usability tests each quarter; none yet with screen reader users.'],
    ['on-dss-03', 'met', 'Product owner, designer, researcher and three developers work on the service full time.'],
    ['on-dss-05', 'not_met', 'No plan yet for keeping the service running during an outage.'],
  ];
  for (const [pointId, rating, evidence] of assessments) await assessPoint(deps, ctx, renew, { pointId, rating, evidence });
  lines.push(`Services: three ServiceOntario services with a year of demonstration events, costs and feedback (e.g. /en/services/${renew}/performance).`);
  return lines;
}
