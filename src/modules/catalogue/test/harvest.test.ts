import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { TestClient } from '../../../../test/support/client.js';
import { listEntries } from '../../../kernel/audit/index.js';
import { system } from '../../../kernel/auth/actor.js';
import type { IdentityApi, Organization } from '../../identity/index.js';
import { makeAccount, makeOrganization, type TestAccount } from '../../identity/test/factories.js';
import { editDataset, publishDataset } from '../actions/datasets.js';
import { findBySource } from '../data/datasets.js';
import { resourcesOf } from '../data/resources.js';
import { runHarvest, defaultHarvestOptions } from '../harvest/run.js';
import type { HarvestReport } from '../harvest/types.js';
import { datasets } from '../schema.js';
import type { Dataset } from '../types.js';
import { catalogueDeps, makeDataset } from './factories.js';
import { closedPort, samplePackages, startCkanServer, startServer, type CkanServer } from './harvest-servers.js';

/**
 * Harvesting a CKAN catalogue: a local server answers `package_search` with real CKAN package
 * dicts from open.canada.ca (ckanext-canada's samples), three rows a page at most. A harvest runs
 * as a job with progress, creates bilingual datasets owned by the organizations the records name,
 * updates them on the next harvest instead of duplicating them, skips what did not change, keeps
 * incomplete records as drafts, and reports a source that is down.
 */
let t: TestApp;
let ckan: CkanServer;
let admin: TestAccount;
let client: TestClient;
let owner: Organization;
const originals = samplePackages();

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

async function harvestNow(name: string): Promise<{ jobId: string; report: HarvestReport }> {
  const started = await client.api('POST', `/api/v1/harvest-sources/${name}/runs`, {});
  expect(started.statusCode, started.body).toBe(202);
  await t.app.kernel.jobs.runUntilIdle();
  const detail = (await client.api('GET', `/api/v1/harvest-sources/${name}`)).json();
  return { jobId: started.json().jobId, report: detail.source.lastReport };
}

async function addSource(name: string, url: string, kind = 'ckan') {
  const response = await client.api('POST', '/api/v1/harvest-sources', { name, titleEn: `Source ${name}`, titleFr: `Source ${name}`, kind, url, organizationId: owner.id });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

beforeAll(async () => {
  t = await createTestApp();
  owner = await makeOrganization(t.app, 'harvest-owner');
  admin = await makeAccount(t.app, { superadmin: true });
  client = new TestClient(t.app);
  await client.signIn(admin.email, admin.password);
  ckan = await startCkanServer(clone(originals), { maxRows: 3 });
});
afterAll(async () => {
  await ckan?.close();
  await t?.close();
});

describe('harvesting a CKAN catalogue', () => {
  let sourceId = '';

  beforeEach(() => {
    ckan.requests.length = 0;
  });

  it('creates a published bilingual dataset for each record, as a job with progress', async () => {
    const source = await addSource('open-canada', `${ckan.url}/`);
    sourceId = source.id;
    const { jobId, report } = await harvestNow('open-canada');

    expect(report.status).toBe('succeeded');
    expect(report.total).toBe(4);
    expect(report.counts).toEqual({ created: 4, updated: 0, skipped: 0, failed: 0, drafts: 0 });
    expect(report.items.map((i) => i.identifier)).toEqual(originals.map((p) => p['id']));

    // Paged with rows and start, moving on by what the source gave (3 of the 4 asked for).
    const pages = ckan.requests.map((u) => [u.pathname, u.searchParams.get('start'), u.searchParams.get('rows')]);
    expect(pages).toEqual([
      ['/api/3/action/package_search', '0', '100'],
      ['/api/3/action/package_search', '3', '100'],
    ]);

    const job = await t.app.kernel.jobs.get(jobId);
    expect(job).toMatchObject({ status: 'succeeded', progressDone: 4, progressTotal: 4, ownerId: admin.id });
    expect(job!.result).toMatchObject({ status: 'succeeded', counts: { created: 4 } });

    const first = originals[0]!;
    const row = await findBySource(t.database.db, sourceId, String(first['id']));
    expect(row).toMatchObject({
      state: 'published',
      title: first['title_translated'],
      description: first['notes_translated'],
      keywords: first['keywords'],
      licenceId: 'ca-ogl-lgo',
      accessLevel: 'open',
      contact: { email: 'open-ouvert@tbs-sct.gc.ca' },
      organization: { slug: 'statcan', name: first['org_title_at_publication'] },
    });
    // The CKAN name is an id, which Trillium addresses read as ids: a readable name is made instead.
    expect(row!.name).toMatch(/^federal-government-spending-on-science-and-technology-.*-584a6090$/);
    const organization = await (t.app.apis.get('identity') as IdentityApi).getOrganization('statcan');
    expect(organization?.id).toBe(row!.organizationId);
    const links = await resourcesOf(t.database.db, row!.id);
    expect(links.map((r) => ({ url: r.url, format: r.format, name: r.name }))).toEqual([
      { url: 'http://registry.open.canada.ca/dataset/584a6090-187f-42ee-9f52-143ccdca574b/resource/12b79506-4d48-484a-9ed2-6e6ea13a08af/download/dq170529beng.pdf', format: 'PDF', name: { en: 'Res 1', fr: 'Res 1' } },
      { url: 'http://registry.open.canada.ca/dataset/584a6090-187f-42ee-9f52-143ccdca574b/resource/66013730-a9c3-48f0-86b9-caea70422f06/download/dq170529bfra.pdf', format: 'PDF', name: { en: 'Res 2', fr: 'Res 2' } },
    ]);
  });

  it('skips records that did not change, without writing anything', async () => {
    const before = await t.database.db.select({ id: datasets.id, version: datasets.version }).from(datasets).where(eq(datasets.harvestSourceId, sourceId));
    const { report } = await harvestNow('open-canada');
    expect(report.counts).toEqual({ created: 0, updated: 0, skipped: 4, failed: 0, drafts: 0 });
    expect(report.items.every((i) => i.reasons.some((r) => r.key === 'catalogue.harvest.reasons.unchanged'))).toBe(true);
    const after = await t.database.db.select({ id: datasets.id, version: datasets.version }).from(datasets).where(eq(datasets.harvestSourceId, sourceId));
    expect(after).toEqual(before);
  });

  it('updates a changed record in place instead of duplicating it, resources included', async () => {
    const changed = ckan.packages[1]!;
    const identifier = String(changed['id']);
    const before = await findBySource(t.database.db, sourceId, identifier);
    (changed['title_translated'] as Record<string, string>)['en'] = 'Federal spending on science, revised';
    (changed['resources'] as Array<Record<string, unknown>>).push({ id: 'new', state: 'active', url: 'https://example.ca/spending.csv', format: 'CSV', name_translated: { en: 'Spending (CSV)', fr: 'Dépenses (CSV)' } });

    const { report } = await harvestNow('open-canada');
    expect(report.counts).toEqual({ created: 0, updated: 1, skipped: 3, failed: 0, drafts: 0 });
    expect(report.items.find((i) => i.identifier === identifier)).toMatchObject({ outcome: 'updated', name: before!.name });

    const rows = await t.database.db.select().from(datasets).where(and(eq(datasets.harvestSourceId, sourceId), eq(datasets.sourceIdentifier, identifier)));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(before!.id);
    expect(rows[0]!.title.en).toBe('Federal spending on science, revised');
    expect(rows[0]!.version).toBeGreaterThan(before!.version);
    const resources = await resourcesOf(t.database.db, before!.id);
    expect(resources.map((r) => r.format)).toEqual(['PDF', 'PDF', 'CSV']);
  });

  it('keeps records without French (or English) text as drafts, and says why', async () => {
    const englishOnly = clone(originals[2]!);
    englishOnly['id'] = 'c7981900-0000-4000-8000-000000000001';
    englishOnly['title_translated'] = { en: 'Spending in English only' };
    englishOnly['notes_translated'] = { en: 'Described in English only.' };
    const hidden = { ...clone(originals[3]!), id: 'c7981900-0000-4000-8000-000000000002', private: true };
    ckan.packages = [...ckan.packages, englishOnly, hidden];

    const { report } = await harvestNow('open-canada');
    expect(report.counts).toEqual({ created: 1, updated: 0, skipped: 5, failed: 0, drafts: 1 });
    const draft = report.items.find((i) => i.identifier === englishOnly['id'])!;
    expect(draft).toMatchObject({ outcome: 'created', draft: true });
    expect(draft.reasons).toEqual([{ key: 'catalogue.harvest.reasons.draft', params: { count: 2 }, fields: ['titleFr', 'descriptionFr'] }]);
    expect((await findBySource(t.database.db, sourceId, String(englishOnly['id'])))?.state).toBe('draft');
    expect(report.items.find((i) => i.identifier === hidden['id'])).toMatchObject({ outcome: 'skipped', reasons: [{ key: 'catalogue.harvest.reasons.private' }] });
    const page = await client.get('/en/harvest/open-canada?outcome=created');
    expect(page.body).toContain('Saved as a draft. To publish it, add these: Title in French, Description in French');
    expect(page.body).not.toContain('Not taken, because it is private at the source.');
  });

  it('publishes a draft once its record is complete', async () => {
    const englishOnly = ckan.packages.find((p) => p['id'] === 'c7981900-0000-4000-8000-000000000001')!;
    englishOnly['title_translated'] = { en: 'Spending in English only', fr: 'Dépenses en anglais seulement' };
    englishOnly['notes_translated'] = { en: 'Described in English only.', fr: 'Décrit en anglais seulement.' };
    const { report } = await harvestNow('open-canada');
    expect(report.items.find((i) => i.identifier === englishOnly['id'])).toMatchObject({
      outcome: 'updated',
      draft: false,
      reasons: [{ key: 'catalogue.harvest.reasons.publishedNow' }],
    });
    expect((await findBySource(t.database.db, sourceId, String(englishOnly['id'])))?.state).toBe('published');
  });

  it('keeps what was written here where the source is silent, so the dataset stays published', async () => {
    const deps = catalogueDeps(t.app);
    const published = ckan.packages[0]!;
    const identifier = String(published['id']);
    const before = (await findBySource(t.database.db, sourceId, identifier))!;
    published['notes_translated'] = { en: 'Now described in English only.' };

    const { report } = await harvestNow('open-canada');
    expect(report.items.find((i) => i.identifier === identifier)).toMatchObject({
      outcome: 'updated',
      draft: false,
      reasons: [{ key: 'catalogue.harvest.reasons.keptHere', fields: ['descriptionFr'] }],
    });
    const after = (await findBySource(t.database.db, sourceId, identifier))!;
    expect(after).toMatchObject({ state: 'published', description: { en: 'Now described in English only.', fr: before.description.fr } });

    // A record that came in English only, completed and published here, is not undone by the next harvest.
    const lone = { ...clone(originals[3]!), id: 'c7981900-0000-4000-8000-000000000003', title_translated: { en: 'Travellers, English only' }, notes_translated: { en: 'English only.' } };
    ckan.packages = [...ckan.packages, lone];
    expect((await harvestNow('open-canada')).report.items.find((i) => i.identifier === lone.id)).toMatchObject({ outcome: 'created', draft: true });
    const draft = (await findBySource(t.database.db, sourceId, lone.id))!;
    await editDataset(deps, { actor: system }, draft.id, { name: draft.name, organizationId: draft.organizationId, titleEn: 'Travellers, English only', titleFr: 'Voyageurs', descriptionEn: 'English only.', descriptionFr: 'Français ici.', licenceId: 'ca-ogl-lgo', accessLevel: 'open', keywordsEn: 'statcan', keywordsFr: 'statcan', contactEmail: 'open-ouvert@tbs-sct.gc.ca' });
    await publishDataset(deps, { actor: system }, draft.id);
    const next = await harvestNow('open-canada');
    expect(next.report.items.find((i) => i.identifier === lone.id)).toMatchObject({ outcome: 'skipped', reasons: [{ key: 'catalogue.harvest.reasons.unchanged' }] });
    expect(await findBySource(t.database.db, sourceId, lone.id)).toMatchObject({ state: 'published', title: { fr: 'Voyageurs' } });
  });

  it('audits every change: the start, each dataset through the catalogue actions, and the end', async () => {
    const db = t.database.db;
    const started = await listEntries(db, { action: 'catalogue.harvest.started', targetId: sourceId });
    expect(started[0]).toMatchObject({ actorKind: 'account', actorId: admin.id });
    const row = await findBySource(db, sourceId, String(originals[0]!['id']));
    const created = await listEntries(db, { action: 'catalogue.dataset.created', targetId: row!.id });
    expect(created[0]).toMatchObject({ actorKind: 'system' });
    expect(created[0]!.requestId).toMatch(/^harvest:/);
    expect(await listEntries(db, { action: 'catalogue.harvest.dataset_linked', targetId: row!.id })).toHaveLength(1);
    expect(await listEntries(db, { action: 'catalogue.dataset.published', targetId: row!.id })).toHaveLength(1);
    const finished = await listEntries(db, { action: 'catalogue.harvest.finished', targetId: sourceId });
    expect(finished.length).toBeGreaterThanOrEqual(5);
  });

  it('shows the source, its progress and its last report on its page, in both languages', async () => {
    const en = await client.get('/en/harvest/open-canada');
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('data-job-progress');
    expect(en.body).toContain('Report of the last harvest');
    expect(en.body).toContain('Nothing changed at the source since the last harvest.');
    expect(en.body).toContain('Identifier at the source:');
    const fr = await client.get('/fr/harvest/open-canada?outcome=skipped');
    expect(fr.statusCode).toBe(200);
    expect(fr.body).toContain('Rapport du dernier moissonnage');
    expect(fr.body).toContain('Rien n’a changé à la source depuis le dernier moissonnage.');
    const list = await client.get('/en/harvest');
    expect(list.body).toContain('/en/harvest/open-canada');
  });
});

describe('harvesting another Trillium through its CKAN API', () => {
  let other: TestApp;
  let base = '';
  const made: Dataset[] = [];

  beforeAll(async () => {
    const port = await closedPort();
    base = `http://127.0.0.1:${port}`;
    other = await createTestApp({ config: { publicUrl: base } });
    await other.app.listen({ port, host: '127.0.0.1' });
    const org = await makeOrganization(other.app, 'ministry-of-health');
    made.push(
      await makeDataset(other.app, org.id, { name: 'wait-times', updateFrequency: 'weekly', spatialEn: 'Ontario', spatialFr: 'Ontario', temporalStart: '2021-04-01' }),
      await makeDataset(other.app, org.id, { name: 'beds', contactName: 'Health Data', contactEmail: 'data@health.example.ca' }),
      await makeDataset(other.app, org.id, { name: 'clinic-inspections', accessLevel: 'restricted', exemptionReasonEn: 'Personal information', exemptionReasonFr: 'Renseignements personnels' }),
    );
    await makeDataset(other.app, org.id, { name: 'not-yet', publish: false });
  });
  afterAll(async () => other?.close());

  it('pages through package_search and brings the published datasets with everything they say', async () => {
    const source = await addSource('other-trillium', base);
    // Two rows a page, to page through three datasets.
    const report = (await runHarvest(catalogueDeps(t.app), source.id, { id: '00000000-0000-4000-8000-000000000001', progress: async () => {} }, { ...defaultHarvestOptions, rows: 2 }))!;
    expect(report.counts).toEqual({ created: 3, updated: 0, skipped: 0, failed: 0, drafts: 0 });
    expect(report.items.map((i) => i.name).sort()).toEqual(['beds', 'clinic-inspections', 'wait-times']);

    const copy = async (d: Dataset) => (await findBySource(t.database.db, source.id, d.id))!;
    const waits = await copy(made[0]!);
    expect(waits).toMatchObject({
      name: 'wait-times',
      state: 'published',
      title: made[0]!.title,
      description: made[0]!.description,
      keywords: made[0]!.keywords,
      licenceId: 'ogl-ontario-1.0',
      updateFrequency: 'weekly',
      spatial: { en: 'Ontario', fr: 'Ontario' },
      temporalStart: '2021-04-01',
      organization: { slug: 'ministry-of-health', name: { en: 'Ministry ministry-of-health', fr: 'Ministère ministry-of-health' } },
    });
    const links = await resourcesOf(t.database.db, waits.id);
    expect(links.map((r) => ({ url: r.url, name: r.name }))).toEqual([{ url: 'https://data.example.ca/collisions.csv', name: { en: 'Collisions (CSV)', fr: 'Collisions (CSV)' } }]);
    expect(await copy(made[1]!)).toMatchObject({ contact: { name: 'Health Data', email: 'data@health.example.ca' } });
    expect(await copy(made[2]!)).toMatchObject({ accessLevel: 'restricted', exemptionReason: { en: 'Personal information', fr: 'Renseignements personnels' } });

    const again = (await runHarvest(catalogueDeps(t.app), source.id, { id: '00000000-0000-4000-8000-000000000002', progress: async () => {} }, { ...defaultHarvestOptions, rows: 2 }))!;
    expect(again.counts).toEqual({ created: 0, updated: 0, skipped: 3, failed: 0, drafts: 0 });
  });
});

describe('a source that cannot be read', () => {
  it('fails the harvest with a clear report when the source is down', async () => {
    const port = await closedPort();
    await addSource('down', `http://127.0.0.1:${port}`);
    const { jobId, report } = await harvestNow('down');
    expect(report).toMatchObject({ status: 'failed', counts: { created: 0, updated: 0, skipped: 0, failed: 0, drafts: 0 } });
    expect(report.error).toMatchObject({ key: 'catalogue.harvest.failure.unreachable', params: { url: `http://127.0.0.1:${port}/api/3/action/package_search?rows=100&start=0&sort=name+asc` } });
    const job = await t.app.kernel.jobs.get(jobId);
    expect(job).toMatchObject({ status: 'failed', attempts: 1 });
    expect(job!.lastError).toContain('unreachable');
    const page = await client.get('/en/harvest/down');
    expect(page.body).toContain('The harvest stopped.');
    expect(page.body).toContain('Could not reach');
    expect(await listEntries(t.database.db, { action: 'catalogue.harvest.failed' })).toHaveLength(1);
  });

  it('reports an error status and an answer that is not CKAN', async () => {
    ckan.failWith = 500;
    await addSource('broken', ckan.url);
    expect((await harvestNow('broken')).report.error).toMatchObject({ key: 'catalogue.harvest.failure.httpStatus', params: { detail: '500' } });
    ckan.failWith = null;

    const notCkan = await startServer((_url, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ hello: 'world' }));
    });
    await addSource('not-ckan', notCkan.url);
    expect((await harvestNow('not-ckan')).report.error).toMatchObject({ key: 'catalogue.harvest.failure.invalidResponse' });
    await notCkan.close();
  });

  it('never hangs: a source that does not answer times out', async () => {
    const silent = await startServer(() => {
      // Never answers.
    });
    const source = await addSource('silent', silent.url);
    const progress: Array<[number, number | null | undefined]> = [];
    const failure = await runHarvest(catalogueDeps(t.app), source.id, { id: '00000000-0000-4000-8000-000000000000', progress: async (done, total) => void progress.push([done, total]) }, {
      ...defaultHarvestOptions,
      limits: { ...defaultHarvestOptions.limits, timeoutMs: 300 },
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'timeout' });
    const detail = (await client.api('GET', '/api/v1/harvest-sources/silent')).json();
    expect(detail.source.lastReport).toMatchObject({ status: 'failed', error: { key: 'catalogue.harvest.failure.timeout' } });
    await silent.close();
  });
});

describe('harvest sources', () => {
  it('are managed with a form that shows errors inline and keeps what was typed', async () => {
    const empty = await client.post('/en/harvest/new', { titleEn: 'Kept', url: 'not a url' }, { csrfFrom: '/en/harvest/new' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('govuk-error-summary');
    expect(empty.body).toContain('href="#name"');
    expect(empty.body).toContain('Enter the name in French');
    expect(empty.body).toContain('Enter an address that starts with http:// or https://');
    expect(empty.body).toContain('value="Kept"');

    const created = await client.post(
      '/fr/harvest/new',
      { name: 'ontario', titleEn: 'Ontario', titleFr: 'Ontario', kind: 'dcat', url: 'https://data.ontario.ca/catalog.jsonld', organizationId: owner.id },
      { csrfFrom: '/fr/harvest/new' },
    );
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/fr/harvest/ontario?notice=created');
    const again = await client.post('/en/harvest/new', { name: 'ontario', titleEn: 'O', titleFr: 'O', kind: 'ckan', url: 'https://x.example', organizationId: owner.id }, { csrfFrom: '/en/harvest/new' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('There is already a harvest source with this short name');

    const edited = await client.post('/en/harvest/ontario/edit', { titleEn: 'Ontario Data', titleFr: 'Données Ontario', kind: 'dcat', url: 'https://data.ontario.ca/catalog.jsonld', organizationId: owner.id }, { csrfFrom: '/en/harvest/ontario/edit' });
    expect(edited.statusCode).toBe(303);
    expect((await client.api('GET', '/api/v1/harvest-sources/ontario')).json().source.title).toEqual({ en: 'Ontario Data', fr: 'Données Ontario' });
  });

  it('start one harvest at a time: asking again while one is queued gives the same job', async () => {
    const first = await client.post('/en/harvest/ontario/run', {}, { csrfFrom: '/en/harvest/ontario' });
    expect(first.headers.location).toBe('/en/harvest/ontario?notice=started');
    const second = await client.post('/en/harvest/ontario/run', {}, { csrfFrom: '/en/harvest/ontario' });
    expect(second.headers.location).toBe('/en/harvest/ontario?notice=running');
    const api = await client.api('POST', '/api/v1/harvest-sources/ontario/runs', {});
    expect(api.json()).toMatchObject({ alreadyRunning: true });
    // The queued harvest is not run here (the address is not reachable from tests).
  });

  it('are for superadmins only', async () => {
    const someone = await makeAccount(t.app);
    const other = new TestClient(t.app);
    await other.signIn(someone.email, someone.password);
    expect((await other.get('/en/harvest')).statusCode).toBe(403);
    expect((await other.api('GET', '/api/v1/harvest-sources')).statusCode).toBe(403);
    expect((await new TestClient(t.app).api('GET', '/api/v1/harvest-sources')).statusCode).toBe(401);
  });
});
