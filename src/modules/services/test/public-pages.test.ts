import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { TestClient } from '../../../../test/support/client.js';
import { system } from '../../../kernel/auth/actor.js';
import type { Organization } from '../../identity/index.js';
import { makeAccount, makeOrganization, type TestAccount } from '../../identity/test/factories.js';
import { assessPoint } from '../actions/assessment.js';
import type { ServicesDeps } from '../actions/deps.js';
import { receiveEvents } from '../actions/events.js';
import { feedbackInbox, giveFeedback, publishImprovement } from '../actions/feedback.js';
import { createStandard, enterCost, reportStandardResult } from '../actions/figures.js';
import { currentMonth, monthRange } from '../actions/periods.js';
import { createService } from '../actions/services.js';
import { pageFeedback } from '../schema.js';

/**
 * The public pages through the real app: the inventory, a service, the KPI dashboards (figures
 * seeded through the actions), the methodology, feedback after a transaction and the "Did you find
 * what you were looking for?" form at the bottom of every page.
 */
const ctx = { actor: system, requestId: 'test' };
const nbsp = '\u00a0';
let t: TestApp;
let deps: ServicesDeps;
let transport: Organization;
let fisheries: Organization;
let editor: TestAccount;

/** One event, a couple of minutes ago (always in the rolling 12 months, never in the future). */
function event(id: string, reference: string, type: 'started' | 'completed', channel: string, outcome?: string) {
  return { id, service: 'TST-DL', reference, type, channel, time: new Date(Date.now() - 120_000).toISOString(), ...(outcome ? { outcome } : {}) };
}

beforeAll(async () => {
  t = await createTestApp();
  deps = (t.app.apis.get('services') as { deps: ServicesDeps }).deps;
  transport = await makeOrganization(t.app, 'test-transport');
  fisheries = await makeOrganization(t.app, 'test-fisheries');
  editor = await makeAccount(t.app, { roles: [[transport.id, ['editor']]] });
  await createService(deps, ctx, {
    code: 'TST-DL',
    organizationId: transport.id,
    nameEn: 'Renew a driving licence',
    nameFr: 'Renouveler un permis de conduire',
    descriptionEn: 'Renew your licence before it expires.',
    descriptionFr: 'Renouvelez votre permis avant son expiration.',
    serviceTypes: ['APIR'],
    clientTypes: ['PERSON'],
    channels: ['online', 'in_person'],
    application: 'yes',
    decision: 'no',
    issuance: 'not_applicable',
    chargesFee: 'yes',
    feeDescriptionEn: '$90 for five years',
    feeDescriptionFr: '90 $ pour cinq ans',
    urlEn: 'https://example.test/renew',
    urlFr: 'https://example.test/fr/renouveler',
  });
  await createService(deps, ctx, {
    code: 'TST-FISH',
    organizationId: fisheries.id,
    nameEn: 'Get a fishing permit',
    nameFr: 'Obtenir un permis de pêche',
    descriptionEn: 'A permit to fish in public waters.',
    descriptionFr: 'Un permis pour pêcher dans les eaux publiques.',
    serviceTypes: ['GNC'],
    channels: ['phone', 'mail'],
  });

  // TST-DL: 10 started (8 online, 2 in person), 8 completed (6 online, one of them ineligible, one denied; 2 in person).
  const events = [
    ...Array.from({ length: 8 }, (_, i) => event(`s-on-${i}`, `r${i + 1}`, 'started', 'online')),
    event('s-ip-1', 'r9', 'started', 'in_person'),
    event('s-ip-2', 'r10', 'started', 'in_person'),
    ...Array.from({ length: 6 }, (_, i) => event(`c-on-${i}`, `r${i + 1}`, 'completed', 'online', i === 0 ? 'ineligible' : i === 1 ? 'denied' : 'approved')),
    event('c-ip-1', 'r9', 'completed', 'in_person', 'approved'),
    event('c-ip-2', 'r10', 'completed', 'in_person', 'approved'),
  ];
  await receiveEvents(deps, ctx, { events });
  // TST-FISH: 2 started by phone, 1 completed.
  await receiveEvents(deps, ctx, {
    events: [
      { ...event('f-1', 'f1', 'started', 'phone'), service: 'TST-FISH' },
      { ...event('f-2', 'f2', 'started', 'phone'), service: 'TST-FISH' },
      { ...event('f-3', 'f1', 'completed', 'phone', 'approved'), service: 'TST-FISH' },
    ],
  });
  // This month cost $800 in all: $100.00 per completed transaction of TST-DL.
  const month = monthRange(...currentMonth(new Date(), t.config.timeZone));
  await enterCost(deps, ctx, 'TST-DL', { periodStart: month.start, periodEnd: month.end, channel: 'online', amount: 300 });
  await enterCost(deps, ctx, 'TST-DL', { periodStart: month.start, periodEnd: month.end, channel: 'in_person', amount: 500 });
  // A standard: 90% decided within 10 days; 45 of 50 were this month (met).
  const standard = await createStandard(deps, ctx, 'TST-DL', { nameEn: 'Decided within 10 business days', nameFr: 'Décidé en 10 jours ouvrables', type: 'timeliness', targetPercent: 90 });
  await reportStandardResult(deps, ctx, 'TST-DL', standard.id, { periodStart: month.start, periodEnd: month.end, volumeMeetingTarget: 45, totalVolume: 50 });
  // 18 answers: 10 very satisfied, 4 satisfied, 2 neither, 1 dissatisfied, 1 very dissatisfied (one of them about r1).
  const ratings = [...Array(10).fill(5), ...Array(4).fill(4), 3, 3, 2, 1] as number[];
  for (const [i, satisfaction] of ratings.entries()) await giveFeedback(deps, ctx, 'TST-DL', { satisfaction, ...(i === 0 ? { ref: 'r1' } : {}) });
  // TST-FISH: too few answers for a figure.
  await giveFeedback(deps, ctx, 'TST-FISH', { satisfaction: 5 });
  await giveFeedback(deps, ctx, 'TST-FISH', { satisfaction: 2 });
});
afterAll(async () => t?.close());

describe('the service inventory', () => {
  it('lists services with their organization, channels and online badge, in both languages', async () => {
    const en = await new TestClient(t.app).get('/en/services');
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('<title>Services – ');
    expect(en.body).toContain('href="/en/services/TST-DL">Renew a driving licence</a>');
    expect(en.body).toContain('href="/en/services/TST-FISH">Get a fishing permit</a>');
    expect(en.body).toContain('Channels: Online, In person');
    expect(en.body).toContain('Apply online');
    expect(en.body).toContain('href="/en/services/dashboard"');
    const fr = await new TestClient(t.app).get('/fr/services');
    expect(fr.body).toContain('<html lang="fr"');
    expect(fr.body).toContain('href="/fr/services/TST-FISH">Obtenir un permis de pêche</a>');
    expect(fr.body).toContain('Modes de prestation : Téléphone, Courrier postal');
  });

  it('searches and filters by organization, channel, service type and online application', async () => {
    const client = new TestClient(t.app);
    const names = async (query: string) => {
      const page = await client.get(`/en/services?${query}`);
      expect(page.statusCode, query).toBe(200);
      return [...page.body.matchAll(/href="\/en\/services\/(TST-[A-Z]+)">/g)].map((m) => m[1]);
    };
    expect(await names('q=fishing')).toEqual(['TST-FISH']);
    expect(await names('q=permis')).toEqual(['TST-FISH', 'TST-DL']); // French names match too; sorted by English name
    expect(await names(`organization=${transport.slug}`)).toEqual(['TST-DL']);
    expect(await names('channel=phone')).toEqual(['TST-FISH']);
    expect(await names('type=APIR')).toEqual(['TST-DL']);
    expect(await names('online=yes')).toEqual(['TST-DL']);
    // "All" choices arrive empty, and are no filter at all.
    expect((await names('q=&organization=&channel=&type=')).sort()).toEqual(['TST-DL', 'TST-FISH']);
    const none = await client.get('/en/services?q=nothing-like-this');
    expect(none.body).toContain('No services match.');
    expect(none.body).toContain('0 services');
  });
});

describe('a service page', () => {
  it('shows what the service is, its online steps, its KPIs and links, in English', async () => {
    const page = await new TestClient(t.app).get('/en/services/TST-DL');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1 class="govuk-heading-l">Renew a driving licence</h1>');
    expect(page.body).toContain('Agreements, Permissions, Inspections, Rulings');
    expect(page.body).toContain('Persons');
    expect(page.body).toContain('Yes: $90 for five years');
    expect(page.body).toContain('href="https://example.test/renew"');
    expect(page.body).toMatch(/Apply<\/th>\s*<td class="govuk-table__cell">Yes<\/td>/);
    expect(page.body).toMatch(/Get the decision<\/th>\s*<td class="govuk-table__cell">No<\/td>/);
    expect(page.body).toMatch(/Receive what you applied for<\/th>\s*<td class="govuk-table__cell">Not applicable<\/td>/);
    expect(page.body).toMatch(/Sign in<\/th>\s*<td class="govuk-table__cell">Not known<\/td>/);
    expect(page.body).toContain('$100.00');
    expect(page.body).toContain('80%');
    expect(page.body).toContain('href="/en/services/TST-DL/performance"');
    expect(page.body).toContain('href="/en/feedback/TST-DL"');
    expect(page.body).toContain('href="/en/services/TST-DL/assessment"');
    expect(page.body).not.toContain('For the service team');
  });

  it('is in French with the inventory’s French labels', async () => {
    const page = await new TestClient(t.app).get('/fr/services/TST-DL');
    expect(page.body).toContain('Renouveler un permis de conduire');
    expect(page.body).toContain('Accords, autorisations, inspections, décisions');
    expect(page.body).toContain('Particuliers');
    expect(page.body).toContain('href="https://example.test/fr/renouveler"');
    expect(page.body).toContain(`100,00${nbsp}$`);
  });

  it('links the service team to its staff pages', async () => {
    const client = new TestClient(t.app);
    await client.signIn(editor.email, editor.password);
    const page = await client.get('/en/services/TST-DL');
    expect(page.body).toContain('For the service team');
    for (const path of ['edit', 'feedback', 'funnel', 'figures']) expect(page.body).toContain(`href="/en/services/TST-DL/${path}"`);
    expect(page.body).not.toContain('/assessment/rate'); // administrators assess, editors do not
    expect((await client.get('/en/services/TST-FISH')).body).not.toContain('For the service team');
  });

  it('answers 404 for an unknown service', async () => {
    expect((await new TestClient(t.app).get('/en/services/NOPE')).statusCode).toBe(404);
  });
});

describe('the KPI dashboards', () => {
  it('shows a service’s four KPIs with what they are made of', async () => {
    const page = await new TestClient(t.app).get('/en/services/TST-DL/performance');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Performance: Renew a driving licence');
    expect(page.body).toContain('Figures include events up to one minute old.');
    expect(page.body).toContain('<option value="12m" selected>Last 12 months</option>');
    expect(page.body).toContain('$100.00');
    expect(page.body).toContain('$800.00 in total costs ÷ 8 completed transactions');
    expect(page.body).toContain('80%');
    expect(page.body).toContain('8 completed ÷ 10 started');
    expect(page.body).toContain('75%');
    expect(page.body).toContain('6 completed online ÷ 8 completed');
    expect(page.body).toContain('77.8%');
    expect(page.body).toContain('Average score: 0.79 on a scale from 0 to 1');
    expect(page.body).toContain('14 of 18 people were satisfied or very satisfied');
    expect(page.body).toContain('These figures come from transaction events the service sends.');
    // Charts with their data tables and summaries
    expect(page.body).toContain('id="by-channel"');
    expect(page.body).toContain('8 completed transactions in all. The most were through this channel: Online (6).');
    expect(page.body).toContain('id="trend-rates"');
    expect(page.body).toContain('id="trend-volume"');
    expect(page.body).toMatch(/Very satisfied<\/th>\s*<td class="govuk-table__cell govuk-table__cell--numeric">10<\/td>/);
    // Service standards: target, performance, met
    expect(page.body).toMatch(/Decided within 10 business days[\s\S]*?90%[\s\S]*?90%<br><span class="govuk-body-s">45 of 50<\/span>[\s\S]*?Met\s*<\/td>/);
    // Every figure downloadable with the same filters
    expect(page.body).toContain('href="/api/v1/services/TST-DL/kpis.csv?period=12m"');
    expect(page.body).toContain('href="/api/v1/services/TST-DL/kpis?period=12m"');
    expect(page.body).toContain('href="/en/services/methodology"');
  });

  it('shows the same figures in French', async () => {
    const page = await new TestClient(t.app).get('/fr/services/TST-DL/performance');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<option value="12m" selected>12 derniers mois</option>');
    expect(page.body).toContain(`100,00${nbsp}$`);
    expect(page.body).toContain(`80${nbsp}%`);
    expect(page.body).toContain(`75${nbsp}%`);
    expect(page.body).toContain(`77,8${nbsp}%`);
    expect(page.body).toContain('Note moyenne : 0,79 sur une échelle de 0 à 1');
    expect(page.body).toContain('8 terminées ÷ 10 commencées');
    expect(page.body).toContain('Les chiffres comprennent les événements reçus il y a à peine une minute.');
    expect(page.body).toMatch(/Par mois, de [a-zéû]+ \d{4} à [a-zéû]+ \d{4}\. En [a-zéû]+ \d{4} : taux d’achèvement 80\u00a0%/); // months in lower case mid-sentence
  });

  it('offers the figures as CSV, keeping the period and channel', async () => {
    const client = new TestClient(t.app);
    const page = await client.get('/en/services/TST-DL/performance?period=12m&channel=online');
    const link = page.body.match(/href="(\/api\/v1\/services\/TST-DL\/kpis\.csv\?[^"]+)"/)![1]!.replace(/&amp;/g, '&');
    expect(link).toBe('/api/v1/services/TST-DL/kpis.csv?period=12m&channel=online');
    const csv = await client.get(link);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('service:TST-DL,12m');
    expect(csv.body).toMatch(/completion_rate,0\.75,6,8/); // online only: 6 completed of 8 started
    expect(page.body).toContain('Not shown when one channel is chosen');
  });

  it('says when there are not enough responses, and when there is no data', async () => {
    const page = await new TestClient(t.app).get('/en/services/TST-FISH/performance');
    expect(page.body).toContain('Not enough responses (fewer than 17)');
    expect(page.body).toContain('No costs entered for this period');
    expect(page.body).toContain('No data');
  });

  it('shows all services with the organizations that did the most, each linked to its dashboard', async () => {
    const client = new TestClient(t.app);
    const all = await client.get('/en/services/dashboard');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('9 completed ÷ 12 started');
    expect(all.body).toContain('Organizations with the most completed transactions');
    expect(all.body).toContain(`href="/en/services/dashboard/organizations/${transport.slug}?period=12m"`);
    expect(all.body).toContain('href="/api/v1/service-kpis.csv?period=12m"');
    const organization = await client.get(`/en/services/dashboard/organizations/${transport.slug}`);
    expect(organization.statusCode).toBe(200);
    expect(organization.body).toContain(`Service performance: Ministry ${transport.slug}`);
    expect(organization.body).toContain('href="/en/services/TST-DL/performance?period=12m"');
    expect(organization.body).toContain(`href="/api/v1/organizations/${transport.slug}/service-kpis.csv?period=12m"`);
    expect((await client.get('/en/services/dashboard/organizations/no-such-organization')).statusCode).toBe(404);
  });

  it('names periods in plain words and accepts “all channels”', async () => {
    const client = new TestClient(t.app);
    const page = await client.get('/en/services/dashboard?period=&channel=');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<option value="FY\d{4}-\d{4}">Fiscal year \d{4}–\d{2}<\/option>/);
    expect(page.body).toMatch(/<option value="\d{4}-Q\d">(January to March|April to June|July to September|October to December) \d{4}<\/option>/);
    const fr = await client.get('/fr/services/dashboard?period=2026-Q3');
    expect(fr.body).toContain('<option value="2026-Q3" selected>Juillet à septembre 2026</option>');
    const bad = await client.get('/en/services/dashboard?period=someday');
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Choose a period like 12m, 2026-10, 2026-Q3 or FY2025-2026');
    expect(bad.body).toContain('name="period"');
  });
});

describe('the methodology', () => {
  it('states every formula, in both languages', async () => {
    const en = await new TestClient(t.app).get('/en/services/methodology');
    expect(en.statusCode).toBe(200);
    for (const text of [
      'Cost per transaction = total cost across all channels ÷ completed transactions.',
      'Digital take-up = transactions completed online ÷ all completed transactions.',
      'Completion rate = completed transactions ÷ started transactions.',
      'ineligible',
      'Overall, how did you feel about the service you received today?',
      'Normalised mean = (average score − 1) ÷ 4.',
      '% satisfied = people who answered satisfied or very satisfied ÷ all responses.',
      'With fewer than 17 responses',
      'Performance = volume that met the standard ÷ total volume.',
      'we never count it as zero',
    ]) {
      expect(en.body).toContain(text);
    }
    const fr = await new TestClient(t.app).get('/fr/services/methodology');
    expect(fr.body).toContain('Taux d’achèvement = transactions terminées ÷ transactions commencées.');
  });
});

describe('feedback after a transaction', () => {
  beforeAll(async () => {
    await receiveEvents(deps, ctx, { events: [{ ...event('f-4', 'fish-42', 'started', 'phone'), service: 'TST-FISH' }] });
  });

  it('asks the question, scrubs personal information from the comment and thanks the person', async () => {
    const client = new TestClient(t.app);
    const form = await client.get('/en/feedback/TST-FISH?ref=fish-42');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Overall, how did you feel about the service you received today?');
    expect(form.body).toContain('value="5"');
    expect(form.body).toContain('Neither satisfied nor dissatisfied');
    expect(form.body).toContain('Were you able to do what you came to do?');
    expect(form.body).toContain('Do not include personal information like your name, email, phone number or SIN; we remove it anyway.');
    expect(form.body).toContain('<input type="hidden" name="ref" value="fish-42">');
    expect(form.body).not.toContain('id="page-feedback"'); // no second feedback form on the page

    const missing = await client.post('/en/feedback/TST-FISH', { ref: 'fish-42', comment: 'Kept' }, { csrfFrom: '/en/feedback/TST-FISH?ref=fish-42' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('govuk-error-summary');
    expect(missing.body).toContain('Choose how you felt about the service');
    expect(missing.body).toContain('>Kept</textarea>');

    const sent = await client.post(
      '/en/feedback/TST-FISH',
      { ref: 'fish-42', satisfaction: '4', achieved: 'partly', comment: 'Slow line. Write to jane.doe@example.com' },
      { csrfFrom: '/en/feedback/TST-FISH?ref=fish-42' },
    );
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/en/feedback/TST-FISH/thanks');
    const thanks = await client.get(sent.headers.location!);
    expect(thanks.body).toContain('Thank you for your feedback');
    expect(thanks.body).toContain('href="/en/services/TST-FISH">Go back to the service</a>');

    const inbox = await feedbackInbox(deps, ctx, 'TST-FISH', {}, 10, 0);
    const stored = inbox.items.find((i) => i.reference === 'fish-42')!;
    expect(stored).toMatchObject({ satisfaction: 4, achieved: 'partly', comment: 'Slow line. Write to ###', locale: 'en' });
  });

  it('sends people back to the service’s own address in their language', async () => {
    const thanks = await new TestClient(t.app).get('/fr/feedback/TST-DL/thanks');
    expect(thanks.body).toContain('href="https://example.test/fr/renouveler"');
  });

  it('explains an unknown reference, and offers feedback without it', async () => {
    const page = await new TestClient(t.app).get('/en/feedback/TST-FISH?ref=never-seen');
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('We could not find this transaction');
    expect(page.body).toContain('href="/en/feedback/TST-FISH">Give feedback without the reference</a>');
    const fr = await new TestClient(t.app).get('/fr/feedback/TST-FISH?ref=never-seen');
    expect(fr.body).toContain('Nous n’avons pas trouvé cette transaction');
  });

  it('thanks people whose transaction already has feedback, and stores nothing twice', async () => {
    const client = new TestClient(t.app);
    const page = await client.get('/en/feedback/TST-DL?ref=r1');
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('Feedback already given, thank you');
    const again = await client.post('/en/feedback/TST-DL', { ref: 'r1', satisfaction: '1' }, { csrfFrom: '/en/feedback/TST-DL' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Feedback already given, thank you');
    const inbox = await feedbackInbox(deps, ctx, 'TST-DL', {}, 50, 0);
    expect(inbox.items.filter((i) => i.reference === 'r1')).toHaveLength(1);
  });

  it('answers 404 for an unknown service', async () => {
    expect((await new TestClient(t.app).get('/en/feedback/NOPE')).statusCode).toBe(404);
  });
});

describe('“Did you find what you were looking for?”', () => {
  const latest = async () => (await t.database.db.select().from(pageFeedback).orderBy(desc(pageFeedback.submittedAt)).limit(1))[0];

  it('is at the bottom of every page; “yes” comes back to the page with thanks', async () => {
    const client = new TestClient(t.app);
    const page = await client.get('/en/services/methodology');
    expect(page.body).toContain('Did you find what you were looking for?');
    expect(page.body).toContain('<input type="hidden" name="path" value="/en/services/methodology">');
    expect(page.body).toMatch(/<button type="submit" name="found" value="yes"[^>]*>Yes<span class="govuk-visually-hidden">, I found what I was looking for<\/span><\/button>/);
    const yes = await client.post('/en/page-feedback', { found: 'yes', path: '/en/services/methodology' }, { csrfFrom: '/en/services/methodology' });
    expect(yes.statusCode).toBe(303);
    expect(yes.headers.location).toBe('/en/services/methodology?feedback=thanks#page-feedback');
    const back = await client.get('/en/services/methodology?feedback=thanks');
    expect(back.body).toContain('Thank you for your feedback.');
    expect(back.body).not.toContain('name="found"');
    expect(await latest()).toMatchObject({ path: '/en/services/methodology', found: true, comment: null });
    expect((await client.get('/fr/services')).body).toContain('Avez-vous trouvé ce que vous cherchiez?');
  });

  it('“no” asks what the person was looking for, then thanks them', async () => {
    const client = new TestClient(t.app);
    const no = await client.post('/en/page-feedback', { found: 'no', path: '/en/services' }, { csrfFrom: '/en/services' });
    expect(no.statusCode).toBe(303);
    expect(no.headers.location).toBe('/en/page-feedback?path=%2Fen%2Fservices');
    const ask = await client.get(no.headers.location!);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('What were you looking for?');
    expect(ask.body).not.toContain('id="page-feedback"');
    const sent = await client.post('/en/page-feedback', { found: 'no', step: 'comment', path: '/en/services', comment: 'Passports. Call me at 416-555-0199' }, { csrfFrom: no.headers.location! });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/en/page-feedback/thanks?path=%2Fen%2Fservices');
    const thanks = await client.get(sent.headers.location!);
    expect(thanks.body).toContain('Thank you for your feedback');
    expect(thanks.body).toContain('href="/en/services"');
    expect(await latest()).toMatchObject({ path: '/en/services', found: false, comment: 'Passports. Call me at ###' });
  });

  it('refuses an answer that is neither yes nor no, on a page that says so', async () => {
    const client = new TestClient(t.app);
    const empty = await client.post('/en/page-feedback', {}, { csrfFrom: '/en/services' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('govuk-error-summary');
    expect(empty.body).toContain('Choose yes or no');
  });

  it('never sends people to another site', async () => {
    const client = new TestClient(t.app);
    const yes = await client.post('/en/page-feedback', { found: 'yes', path: '//evil.example/page' }, { csrfFrom: '/en/services' });
    expect(yes.statusCode).toBe(303);
    expect(yes.headers.location).toBe('/en/?feedback=thanks#page-feedback');
  });
});

describe('you said, we did, and the Digital Service Standard assessment', () => {
  beforeAll(async () => {
    await publishImprovement(deps, ctx, 'TST-DL', { youSaidEn: 'The photo step was confusing.', youSaidFr: 'L’étape de la photo était confuse.', weDidEn: 'We rewrote it.', weDidFr: 'Nous l’avons réécrite.', publishedOn: '2026-01-15' });
  });

  it('publishes what the team changed, on the service page and on its own page', async () => {
    const list = await new TestClient(t.app).get('/en/services/TST-DL/you-said-we-did');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('You said, we did: Renew a driving licence');
    expect(list.body).toContain('The photo step was confusing.');
    expect(list.body).toContain('Published on January 15, 2026');
    expect((await new TestClient(t.app).get('/fr/services/TST-DL')).body).toContain('Nous l’avons réécrite.');
  });

  it('shows each point’s current rating with its evidence, and earlier ratings', async () => {
    const client = new TestClient(t.app);
    const before = await client.get('/en/services/TST-DL/assessment');
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('This point has not been assessed yet.');
    const points = [...before.body.matchAll(/<h2 class="govuk-heading-m" id="point-([\w-]+)">/g)].map((m) => m[1]!);
    expect(points.length).toBeGreaterThan(5);
    await assessPoint(deps, ctx, 'TST-DL', { pointId: points[0], rating: 'partly', evidence: 'Tested with 3 people.', assessedOn: '2026-02-01' });
    await assessPoint(deps, ctx, 'TST-DL', { pointId: points[0], rating: 'met', evidence: 'Tested with 12 people.', assessedOn: '2026-03-01' });
    const after = await client.get('/en/services/TST-DL/assessment');
    expect(after.body).toContain('Tested with 12 people.');
    expect(after.body).toContain('Earlier rating (1)');
    expect(after.body).toContain('Tested with 3 people.');
    expect(after.body).not.toContain('/assessment/rate'); // the rating form is for the organization's administrators
    const service = await client.get('/en/services/TST-DL');
    expect(service.body).toMatch(/Met\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*1\s*<\/dd>/);
  });
});
