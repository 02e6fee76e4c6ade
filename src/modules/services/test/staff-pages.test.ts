import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { TestClient } from '../../../../test/support/client.js';
import { system } from '../../../kernel/auth/actor.js';
import type { Organization } from '../../identity/index.js';
import { makeAccount, makeOrganization, type TestAccount } from '../../identity/test/factories.js';
import type { ServicesDeps } from '../actions/deps.js';
import { receiveEvents } from '../actions/events.js';
import { giveFeedback, givePageFeedback } from '../actions/feedback.js';
import { serviceFigures } from '../actions/figures.js';

/**
 * The service teams' pages and the two superadmin pages, through the real routes: the inventory
 * form, the feedback inbox, figures (form and CSV), the funnel, rating a point of the standard.
 */
let t: TestApp;
let deps: ServicesDeps;
let org: Organization;
let editor: TestClient;
let viewer: TestClient;
let admin: TestClient;
let outsider: TestClient;
let superadmin: TestClient;
const ctx = { actor: system, requestId: 'test' };

async function signedIn(account: TestAccount): Promise<TestClient> {
  const client = new TestClient(t.app);
  await client.signIn(account.email, account.password);
  return client;
}

/** The form fields of a complete service. */
function serviceFields(code: string, overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    organizationId: org.id,
    code,
    nameEn: 'Renew a fishing licence',
    nameFr: 'Renouveler un permis de pêche',
    descriptionEn: 'Renew your recreational fishing licence.',
    descriptionFr: 'Renouvelez votre permis de pêche sportive.',
    serviceTypes: 'APIR',
    clientTypes: ['PERSON', 'FOR'],
    channels: ['online', 'in_person'],
    application: 'yes',
    decision: 'not_applicable',
    chargesFee: 'yes',
    feeDescriptionEn: '$25 a year',
    feeDescriptionFr: '25 $ par année',
    urlEn: 'https://www.ontario.ca/page/fishing-licence',
    status: 'active',
    ...overrides,
  };
}

function multipart(parts: Array<{ name: string; value: string; filename?: string }>) {
  const boundary = 'trilliumservices';
  const body = parts
    .map((p) =>
      p.filename !== undefined
        ? `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: text/csv\r\n\r\n${p.value}\r\n`
        : `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`,
    )
    .join('');
  return { payload: `${body}--${boundary}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function uploadCsv(client: TestClient, code: string, csv: string) {
  const token = await client.csrfToken(`/en/services/${code}/figures`);
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const m = multipart([{ name: '_csrf', value: token }, { name: 'file', value: csv, filename: 'counts.csv' }]);
  return t.app.inject({ method: 'POST', url: `/en/services/${code}/figures/counts-file`, payload: m.payload, headers: { ...m.headers, cookie } });
}

beforeAll(async () => {
  t = await createTestApp();
  deps = (t.app.apis.get('services') as { deps: ServicesDeps }).deps;
  org = await makeOrganization(t.app, 'natural-resources');
  const other = await makeOrganization(t.app, 'transport');
  editor = await signedIn(await makeAccount(t.app, { roles: [[org.id, ['editor']]] }));
  viewer = await signedIn(await makeAccount(t.app, { roles: [[org.id, ['viewer']]] }));
  admin = await signedIn(await makeAccount(t.app, { roles: [[org.id, ['admin']]], name: 'Alex Assessor' }));
  outsider = await signedIn(await makeAccount(t.app, { roles: [[other.id, ['editor']]] }));
  superadmin = await signedIn(await makeAccount(t.app, { superadmin: true }));
  const created = await editor.post('/en/services/new', serviceFields('fishing-licence'), { csrfFrom: '/en/services/new' });
  expect(created.statusCode).toBe(303);
});
afterAll(async () => t?.close());

describe('the inventory form', () => {
  it('lets an editor add a service, in both languages, with the GC Service Inventory’s labels', async () => {
    const en = await editor.get('/en/services/new');
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('Agreements, permissions, inspections, rulings');
    expect(en.body).toContain('Provinces, territories or communities');
    const fr = await editor.get('/fr/services/new');
    expect(fr.body).toContain('Accords, autorisations, inspections, décisions');
    expect(fr.body).toContain('Opérations réglementaires à demande élevée');

    const response = await editor.post('/en/services/new', serviceFields('hunting-licence', { nameEn: 'Get a hunting licence' }), { csrfFrom: '/en/services/new' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/en/services/hunting-licence?notice=created');
  });

  it('shows field errors with an error summary and keeps what was typed', async () => {
    const response = await editor.post('/en/services/new', serviceFields('fishing-licence', { nameFr: '', urlFr: 'not a web address', channels: 'email' }), { csrfFrom: '/en/services/new' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('govuk-error-summary');
    expect(response.body).toContain('<a href="#nameFr">Enter the name in French</a>');
    expect(response.body).toContain('Enter a full web address');
    expect(response.body).toContain('value="Renew a fishing licence"');
    expect(response.body).toMatch(/name="channels" type="checkbox" value="email" checked/);
    expect(response.body).not.toMatch(/name="channels" type="checkbox" value="mail" checked/);
  });

  it('says when a code is taken', async () => {
    const response = await editor.post('/en/services/new', serviceFields('fishing-licence'), { csrfFrom: '/en/services/new' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Another service already has this code');
  });

  it('lets an editor change a service, the form filled in with its details', async () => {
    const form = await editor.get('/en/services/fishing-licence/edit');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="Renouveler un permis de pêche"');
    expect(form.body).toMatch(/name="application" type="radio" value="yes" checked/);
    expect(form.body).toMatch(/name="clientTypes" type="checkbox" value="FOR" checked/);
    const saved = await editor.post('/en/services/fishing-licence/edit', serviceFields('fishing-licence', { nameEn: 'Renew your fishing licence' }), { csrfFrom: '/en/services/fishing-licence/edit' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/en/services/fishing-licence?notice=updated');
    const again = await editor.get('/fr/services/fishing-licence/edit');
    expect(again.body).toContain('value="Renew your fishing licence"');
    expect(again.body).toContain('Modifier les renseignements du service');
  });

  it('is closed to viewers and outsiders, and asks anonymous people to sign in', async () => {
    expect((await viewer.get('/en/services/fishing-licence/edit')).statusCode).toBe(403);
    expect((await outsider.get('/en/services/fishing-licence/edit')).statusCode).toBe(403);
    const post = await outsider.post('/en/services/fishing-licence/edit', serviceFields('fishing-licence'), { csrfFrom: '/en/services/new' });
    expect(post.statusCode).toBe(403);
    const anonymous = await new TestClient(t.app).get('/en/services/new');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/en\/sign-in/);
    expect((await viewer.get('/en/services/new')).statusCode).toBe(403);
  });
});

describe('the feedback inbox', () => {
  let first: string;
  let second: string;

  beforeAll(async () => {
    first = (await giveFeedback(deps, ctx, 'fishing-licence', { satisfaction: 2, achieved: 'partly', comment: 'The payment page timed out twice.' })).feedback.id;
    second = (await giveFeedback(deps, ctx, 'fishing-licence', { satisfaction: 5, achieved: 'yes' })).feedback.id;
  });

  it('shows responses to viewers, read-only', async () => {
    const page = await viewer.get('/en/services/fishing-licence/feedback');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2 responses, newest first.');
    expect(page.body).toContain('Dissatisfied');
    expect(page.body).toContain('Very satisfied');
    expect(page.body).toContain('The payment page timed out twice.');
    expect(page.body).not.toContain('Save the tags');
    const triage = await viewer.post(`/en/services/fishing-licence/feedback/${first}`, { actioned: 'true' }, { csrfFrom: '/en/services/fishing-licence/feedback' });
    expect(triage.statusCode).toBe(403);
  });

  it('is closed to outsiders and asks anonymous people to sign in', async () => {
    expect((await outsider.get('/en/services/fishing-licence/feedback')).statusCode).toBe(403);
    const anonymous = await new TestClient(t.app).get('/en/services/fishing-licence/feedback');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/en\/sign-in/);
  });

  it('lets an editor tag a response and mark it actioned, coming back to the same filters', async () => {
    const inbox = '/en/services/fishing-licence/feedback?satisfaction=1&satisfaction=2&comment=true';
    const page = await editor.get(inbox);
    expect(page.body).toContain('1 response matches your filters.');
    expect(page.body).toContain(`action="/en/services/fishing-licence/feedback/${first}?satisfaction=1&amp;satisfaction=2&amp;comment=true"`);
    const tagged = await editor.post(`/en/services/fishing-licence/feedback/${first}?satisfaction=1&satisfaction=2&comment=true`, { tags: 'Payment, time-outs; payment' }, { csrfFrom: inbox });
    expect(tagged.statusCode).toBe(303);
    expect(tagged.headers.location).toBe(`/en/services/fishing-licence/feedback?satisfaction=1&satisfaction=2&comment=true&notice=tagged#feedback-${first}`);
    const actioned = await editor.post(`/en/services/fishing-licence/feedback/${first}`, { actioned: 'true' }, { csrfFrom: inbox });
    expect(actioned.headers.location).toBe(`/en/services/fishing-licence/feedback?notice=actioned#feedback-${first}`);

    const after = await editor.get('/en/services/fishing-licence/feedback?notice=actioned');
    expect(after.body).toContain('The response is marked as actioned.');
    expect(after.body).toContain('payment, time-outs');
    expect(after.body).toContain('href="?tag=payment"');
    const byTag = await editor.get('/en/services/fishing-licence/feedback?tag=payment&status=actioned');
    expect(byTag.body).toContain('1 response matches your filters.');
    const open = await editor.get('/fr/services/fishing-licence/feedback?status=open');
    expect(open.body).toContain('1 réponse correspond à vos filtres.');
    expect(open.body).toContain(`feedback-${second}`);
    expect(open.body).not.toContain(`feedback-${first}`);
  });

  it('shows a wrong date on the filter form instead of failing', async () => {
    const page = await editor.get('/en/services/fishing-licence/feedback?from=yesterday&to=');
    expect(page.statusCode).toBe(422);
    expect(page.body).toContain('Enter the first day as YYYY-MM-DD');
    expect(page.body).toContain('2 responses, newest first.');
  });

  it('keeps a too-long tag list on the page with its error', async () => {
    const tags = 'x'.repeat(301);
    const response = await editor.post(`/en/services/fishing-licence/feedback/${second}`, { tags }, { csrfFrom: '/en/services/fishing-licence/feedback' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(`href="#triage-${second}-tags"`);
    expect(response.body).toContain(`value="${tags}"`);
  });

  it('publishes a “you said, we did”', async () => {
    const form = await editor.get('/en/services/fishing-licence/you-said-we-did/new');
    expect(form.statusCode).toBe(200);
    const empty = await editor.post('/en/services/fishing-licence/you-said-we-did/new', { youSaidEn: 'The payment page timed out.' }, { csrfFrom: '/en/services/fishing-licence/you-said-we-did/new' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Enter what people said, in French');
    expect(empty.body).toContain('The payment page timed out.');
    const published = await editor.post(
      '/en/services/fishing-licence/you-said-we-did/new',
      { youSaidEn: 'The payment page timed out.', youSaidFr: 'La page de paiement expirait.', weDidEn: 'We doubled the time allowed.', weDidFr: 'Nous avons doublé le délai.', publishedOn: '2026-01-15' },
      { csrfFrom: '/en/services/fishing-licence/you-said-we-did/new' },
    );
    expect(published.statusCode).toBe(303);
    expect(published.headers.location).toBe('/en/services/fishing-licence/you-said-we-did?notice=published');
    expect((await viewer.get('/en/services/fishing-licence/you-said-we-did/new')).statusCode).toBe(403);
  });
});

describe('figures', () => {
  it('saves counts from the form, and keeps the form’s input and errors on the page', async () => {
    const page = await editor.get('/en/services/fishing-licence/figures');
    expect(page.statusCode).toBe(200);
    const bad = await editor.post('/en/services/fishing-licence/figures/counts', { periodStart: '2026-02-01', periodEnd: '2026-01-31', channel: 'phone', started: '12' }, { csrfFrom: '/en/services/fishing-licence/figures' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('<a href="#counts-periodEnd">The last day must be on or after the first day</a>');
    expect(bad.body).toMatch(/id="counts-started" name="started" type="text" spellcheck="false" value="12"/);

    const saved = await editor.post('/en/services/fishing-licence/figures/counts', { periodStart: '2026-01-01', periodEnd: '2026-01-31', channel: 'phone', started: '120', completed: '100' }, { csrfFrom: '/en/services/fishing-licence/figures' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/en/services/fishing-licence/figures?notice=counts');
    const missing = await editor.post('/en/services/fishing-licence/figures/counts', { periodStart: '2026-01-01', periodEnd: '2026-01-31', channel: 'fax', missing: 'not_applicable' }, { csrfFrom: '/en/services/fishing-licence/figures' });
    expect(missing.statusCode).toBe(303);
    const after = await editor.get('/en/services/fishing-licence/figures');
    expect(after.body).toContain('January 1, 2026 to January 31, 2026');
    expect(after.body).toMatch(/<td class="govuk-table__cell govuk-table__cell--numeric">120<\/td>/);
    expect(after.body).toMatch(/<td class="govuk-table__cell govuk-table__cell--numeric">Not applicable<\/td>/);
  });

  it('uploads counts as CSV: a bad row is named and nothing is stored; ND is stored as no data', async () => {
    const bad = await uploadCsv(editor, 'fishing-licence', 'period_start,period_end,channel,started,completed\n2026-02-01,2026-02-28,online,50,40\n2026-02-01,2026-02-28,pigeon,5,5\n');
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Row 3 (channel): Choose a channel');
    expect(bad.body).toContain('href="#counts-file-file"');
    expect((await serviceFigures(deps, ctx, 'fishing-licence')).counts.some((c) => c.periodStart === '2026-02-01')).toBe(false);

    const good = await uploadCsv(editor, 'fishing-licence', 'period_start,period_end,channel,started,completed\n2026-02-01,2026-02-28,online,50,40\n2026-02-01,2026-02-28,mail,ND,ND\n');
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe('/en/services/fishing-licence/figures?notice=uploaded');
    const counts = (await serviceFigures(deps, ctx, 'fishing-licence')).counts.filter((c) => c.periodStart === '2026-02-01');
    expect(counts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'online', started: 50, completed: 40, missing: null, source: 'csv' }),
        expect.objectContaining({ channel: 'mail', started: null, completed: null, missing: 'no_data' }),
      ]),
    );
    const page = await editor.get('/fr/services/fishing-licence/figures');
    expect(page.body).toContain('Aucune donnée');
    expect(page.body).toContain('Un fichier');
  });

  it('enters a cost, shown in dollars', async () => {
    const bad = await editor.post('/en/services/fishing-licence/figures/costs', { periodStart: '2026-01-01', periodEnd: '2026-01-31', channel: 'online', amount: 'lots' }, { csrfFrom: '/en/services/fishing-licence/figures' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('href="#cost-amount"');
    expect(bad.body).toContain('value="lots"');
    const saved = await editor.post('/en/services/fishing-licence/figures/costs', { periodStart: '2026-01-01', periodEnd: '2026-01-31', channel: 'online', amount: '125000.5' }, { csrfFrom: '/en/services/fishing-licence/figures' });
    expect(saved.headers.location).toBe('/en/services/fishing-licence/figures?notice=cost');
    expect((await editor.get('/en/services/fishing-licence/figures')).body).toContain('$125,000.50');
    expect((await editor.get('/fr/services/fishing-licence/figures')).body).toMatch(/125\s000,50\s\$/u);
  });

  it('defines a standard and reports a result against it', async () => {
    const created = await editor.post(
      '/en/services/fishing-licence/figures/standards',
      { nameEn: 'Licences issued within 5 business days', nameFr: 'Permis délivrés en 5 jours ouvrables', type: 'timeliness', targetPercent: '90' },
      { csrfFrom: '/en/services/fishing-licence/figures' },
    );
    expect(created.headers.location).toBe('/en/services/fishing-licence/figures?notice=standard');
    const standard = (await serviceFigures(deps, ctx, 'fishing-licence')).standards[0]!;
    const over = await editor.post(`/en/services/fishing-licence/figures/standards/${standard.id}/results`, { periodStart: '2026-01-01', periodEnd: '2026-01-31', volumeMeetingTarget: '95', totalVolume: '90' }, { csrfFrom: '/en/services/fishing-licence/figures' });
    expect(over.statusCode).toBe(422);
    expect(over.body).toContain(`href="#result-${standard.id}-volumeMeetingTarget"`);
    expect(over.body).toMatch(/<details class="govuk-details" open>/);
    const saved = await editor.post(`/en/services/fishing-licence/figures/standards/${standard.id}/results`, { periodStart: '2026-01-01', periodEnd: '2026-01-31', volumeMeetingTarget: '81', totalVolume: '90' }, { csrfFrom: '/en/services/fishing-licence/figures' });
    expect(saved.headers.location).toBe('/en/services/fishing-licence/figures?notice=result');
    const page = await editor.get('/en/services/fishing-licence/figures');
    expect(page.body).toContain('Target: 90%');
    expect(page.body).toContain('90% (target met)');
  });

  it('is for editors: viewers and outsiders are refused', async () => {
    expect((await viewer.get('/en/services/fishing-licence/figures')).statusCode).toBe(403);
    expect((await outsider.post('/en/services/fishing-licence/figures/costs', { periodStart: '2026-01-01', periodEnd: '2026-01-31', channel: 'online', amount: '1' }, { csrfFrom: '/en/services/new' })).statusCode).toBe(403);
  });
});

describe('the funnel', () => {
  beforeAll(async () => {
    const base = Date.now() - 3 * 86400_000;
    const at = (ms: number) => new Date(base + ms).toISOString();
    const events = ['a', 'b', 'c'].flatMap((ref, i) => [
      { id: `${ref}-1`, service: 'fishing-licence', reference: ref, type: 'started', channel: 'online', time: at(i * 1000) },
      { id: `${ref}-2`, service: 'fishing-licence', reference: ref, type: 'step', step: 'Upload documents', channel: 'online', time: at(i * 1000 + 120_000) },
      ...(ref === 'c'
        ? [{ id: `${ref}-3`, service: 'fishing-licence', reference: ref, type: 'abandoned', channel: 'online', time: at(i * 1000 + 120_000 + 86400_000) }]
        : [
            { id: `${ref}-3`, service: 'fishing-licence', reference: ref, type: 'step', step: 'Pay', channel: 'online', time: at(i * 1000 + 120_000 + 2 * 86400_000) },
            { id: `${ref}-4`, service: 'fishing-licence', reference: ref, type: 'completed', outcome: 'approved', channel: 'online', time: at(i * 1000 + 120_000 + 2 * 86400_000 + 300_000) },
          ]),
    ]);
    await receiveEvents(deps, ctx, { events });
  });

  it('shows each step in order with times in words, the slowest step marked in text, and a chart', async () => {
    const page = await viewer.get('/en/services/fishing-licence/funnel');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('3 transactions were started.');
    expect(page.body).toContain('Slowest step: Upload documents.');
    expect(page.body).toContain('Upload documents <strong class="govuk-tag govuk-tag--orange">Slowest step</strong>');
    expect(page.body).toContain('2 days');
    expect(page.body).toContain('2 minutes');
    expect(page.body).toContain('66.7%');
    expect(page.body).toContain('<svg viewBox=');
    const table = page.body.slice(page.body.indexOf('<caption class="govuk-table__caption govuk-table__caption--s">Each step, in order'));
    const order = ['>Started<', 'Upload documents <strong', '>Pay<', '>Completed<', '>Abandoned<'].map((s) => table.indexOf(s));
    expect(order.every((i, n) => i > 0 && (n === 0 || i > order[n - 1]!))).toBe(true);
    const fr = await viewer.get('/fr/services/fishing-licence/funnel?channel=online&period=12m');
    expect(fr.body).toContain('Étape la plus lente : Upload documents.');
    expect(fr.body).toContain('66,7\u00a0%');
  });

  it('keeps the page for an unknown period, with the error on the choice', async () => {
    const page = await viewer.get('/en/services/fishing-licence/funnel?period=someday');
    expect(page.statusCode).toBe(422);
    expect(page.body).toContain('Choose a period like 12m');
  });

  it('is refused to outsiders', async () => {
    expect((await outsider.get('/en/services/fishing-licence/funnel')).statusCode).toBe(403);
  });
});

describe('rating a point of the Digital Service Standard', () => {
  it('lets an administrator of the organization rate a point with evidence', async () => {
    const form = await admin.get('/en/services/fishing-licence/assessment/rate');
    expect(form.statusCode).toBe(200);
    const pointId = form.body.match(/name="pointId" type="radio" value="([^"]+)"/)![1]!;
    const noEvidence = await admin.post('/en/services/fishing-licence/assessment/rate', { pointId, rating: 'met' }, { csrfFrom: '/en/services/fishing-licence/assessment/rate' });
    expect(noEvidence.statusCode).toBe(422);
    expect(noEvidence.body).toContain('Give the evidence for this rating');
    expect(noEvidence.body).toMatch(new RegExp(`name="pointId" type="radio" value="${pointId}" checked`));
    const saved = await admin.post('/en/services/fishing-licence/assessment/rate', { pointId, rating: 'partly', evidence: 'Tested with 8 users.', assessedOn: '2026-02-10' }, { csrfFrom: '/en/services/fishing-licence/assessment/rate' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/en/services/fishing-licence/assessment?notice=rated');
  });

  it('is refused to editors', async () => {
    expect((await editor.get('/en/services/fishing-licence/assessment/rate')).statusCode).toBe(403);
  });
});

describe('superadmin pages', () => {
  it('list the standard’s points and let a superadmin change one and add one', async () => {
    const list = await superadmin.get('/en/admin/service-standard');
    expect(list.statusCode).toBe(200);
    const id = list.body.match(/href="\/en\/admin\/service-standard\/([a-z0-9-]+)">Change/)![1]!;
    const form = await superadmin.get(`/en/admin/service-standard/${id}`);
    expect(form.statusCode).toBe(200);
    const title = form.body.match(/name="titleEn" type="text" value="([^"]*)"/)![1]!;
    const fields = (overrides: Record<string, string>) => ({
      position: '1',
      titleEn: title,
      titleFr: 'Titre',
      descriptionEn: 'Description',
      descriptionFr: 'Description',
      active: 'true',
      ...overrides,
    });
    const saved = await superadmin.post(`/en/admin/service-standard/${id}`, fields({ titleFr: 'Comprendre les besoins des usagers' }), { csrfFrom: `/en/admin/service-standard/${id}` });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/en/admin/service-standard?notice=saved');
    expect((await superadmin.get('/fr/admin/service-standard')).body).toContain('Comprendre les besoins des usagers');

    const taken = await superadmin.post('/en/admin/service-standard/new', fields({ id }), { csrfFrom: '/en/admin/service-standard/new' });
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('Another point already has this identifier');
    const added = await superadmin.post('/en/admin/service-standard/new', fields({ id: 'measure-outcomes', position: '99', titleEn: 'Measure outcomes' }), { csrfFrom: '/en/admin/service-standard/new' });
    expect(added.headers.location).toBe('/en/admin/service-standard?notice=added');
    expect((await superadmin.get('/en/admin/service-standard')).body).toContain('Measure outcomes');
  });

  it('list page feedback with pagination', async () => {
    await givePageFeedback(deps, ctx, { found: 'no', path: '/en/services', comment: 'Could not find fishing.' });
    await givePageFeedback(deps, ctx, { found: 'yes', path: '//elsewhere.example' });
    const page = await superadmin.get('/en/admin/page-feedback');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2 answers.');
    expect(page.body).toContain('<a class="govuk-link" href="/en/services">/en/services</a>');
    expect(page.body).toContain('Could not find fishing.');
    expect(page.body).not.toContain('href="//elsewhere.example"');
  });

  it('are refused to everyone else', async () => {
    expect((await admin.get('/en/admin/service-standard')).statusCode).toBe(403);
    expect((await editor.get('/en/admin/page-feedback')).statusCode).toBe(403);
    const anonymous = await new TestClient(t.app).get('/en/admin/page-feedback');
    expect(anonymous.statusCode).toBe(303);
  });
});
