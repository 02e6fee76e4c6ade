import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { TestClient } from '../../../../test/support/client.js';
import { system } from '../../../kernel/auth/actor.js';
import type { IdentityApi } from '../../identity/index.js';
import { makeAccount, makeOrganization } from '../../identity/test/factories.js';
import { addResource } from '../actions/resources.js';
import { findBySource } from '../data/datasets.js';
import { resourcesOf } from '../data/resources.js';
import type { HarvestReport } from '../harvest/types.js';
import type { Dataset } from '../types.js';
import { catalogueDeps, makeDataset } from './factories.js';
import { closedPort, dcatExample, startFileServer, type LocalServer } from './harvest-servers.js';

/**
 * Harvesting DCAT JSON-LD: the official DCAT-AP 3.0.1 examples (their remote @context is read
 * from the copy kept on disk), and another Trillium's own `/catalog.jsonld` over real HTTP, paged
 * with Hydra links: what one Trillium publishes, another harvests unchanged.
 */
let t: TestApp;
let client: TestClient;
let files: LocalServer;
let ownerId = '';

async function harvest(name: string, url: string): Promise<{ id: string; report: HarvestReport }> {
  const created = await client.api('POST', '/api/v1/harvest-sources', { name, titleEn: name, titleFr: name, kind: 'dcat', url, organizationId: ownerId });
  expect(created.statusCode, created.body).toBe(201);
  return { id: created.json().id, report: await again(name) };
}

async function again(name: string): Promise<HarvestReport> {
  expect((await client.api('POST', `/api/v1/harvest-sources/${name}/runs`, {})).statusCode).toBe(202);
  await t.app.kernel.jobs.runUntilIdle();
  return (await client.api('GET', `/api/v1/harvest-sources/${name}`)).json().source.lastReport;
}

beforeAll(async () => {
  t = await createTestApp();
  ownerId = (await makeOrganization(t.app, 'dcat-owner')).id;
  const admin = await makeAccount(t.app, { superadmin: true });
  client = new TestClient(t.app);
  await client.signIn(admin.email, admin.password);
  files = await startFileServer({
    '/bee.jsonld': { body: dcatExample('example-bee-population.jsonld'), type: 'application/ld+json' },
    '/series.jsonld': { body: dcatExample('example-bee-population-dataset-series-modified.jsonld'), type: 'application/ld+json' },
    '/not-json': { body: '<html>nope</html>', type: 'text/html' },
  });
});
afterAll(async () => {
  await files?.close();
  await t?.close();
});

describe('harvesting the DCAT-AP 3.0.1 examples', () => {
  it('creates English-only records as drafts, with the publisher as an organization', async () => {
    const { id, report } = await harvest('bees', `${files.url}/bee.jsonld`);
    expect(report.status).toBe('succeeded');
    expect(report.counts).toEqual({ created: 1, updated: 0, skipped: 0, failed: 0, drafts: 1 });
    expect(report.items[0]).toMatchObject({
      identifier: 'https://data.gov.gr/id/dataset/BeePopulation',
      outcome: 'created',
      draft: true,
      reasons: [{ key: 'catalogue.harvest.reasons.draft', fields: ['titleFr', 'descriptionFr', 'licenceId'] }],
    });
    const row = await findBySource(t.database.db, id, 'https://data.gov.gr/id/dataset/BeePopulation');
    expect(row).toMatchObject({ state: 'draft', title: { en: 'Bee population' }, description: { en: 'A dataset about bee population in Greece' } });
    const publisher = await (t.app.apis.get('identity') as IdentityApi).getOrganization('greek-environment-agency');
    expect(publisher?.id).toBe(row!.organizationId);
    expect((await again('bees')).counts).toMatchObject({ created: 0, skipped: 1 });
  });

  it('takes the datasets of a series, not the series itself', async () => {
    const { report } = await harvest('bee-series', `${files.url}/series.jsonld`);
    expect(report.counts).toMatchObject({ created: 3, drafts: 3 });
    expect(report.items.map((i) => i.identifier).sort()).toEqual([
      'https://data.gov.gr/id/dataset/BeePopulation2000',
      'https://data.gov.gr/id/dataset/BeePopulation2022',
      'https://data.gov.gr/id/dataset/BeePopulation2023',
    ]);
  });

  it('fails clearly on a document that is not JSON-LD, or a server that is down', async () => {
    expect((await harvest('html', `${files.url}/not-json`)).report.error).toMatchObject({ key: 'catalogue.harvest.failure.notJson' });
    const port = await closedPort();
    expect((await harvest('gone', `http://127.0.0.1:${port}/catalog.jsonld`)).report.error).toMatchObject({ key: 'catalogue.harvest.failure.unreachable' });
  });
});

describe('harvesting another Trillium over DCAT', () => {
  let other: TestApp;
  let base = '';
  let roads: Dataset;
  let restricted: Dataset;

  beforeAll(async () => {
    const port = await closedPort();
    base = `http://127.0.0.1:${port}`;
    other = await createTestApp({ config: { publicUrl: base } });
    await other.app.listen({ port, host: '127.0.0.1' });
    const org = await makeOrganization(other.app, 'ministry-of-transportation');
    roads = await makeDataset(other.app, org.id, {
      name: 'road-collisions',
      link: false,
      contactName: 'Road Safety Office',
      contactEmail: 'roads@example.ca',
      updateFrequency: 'monthly',
      temporalStart: '2020-01-01',
      temporalEnd: '2023-12-31',
      spatialEn: 'Ontario',
      spatialFr: 'Ontario',
    });
    await addResource(catalogueDeps(other.app), { actor: system }, roads.id, { kind: 'link', nameEn: 'Collisions (CSV)', nameFr: 'Collisions (CSV)', url: 'https://files.example.ca/collisions.csv', format: 'CSV' });
    restricted = await makeDataset(other.app, org.id, { name: 'inspections', accessLevel: 'restricted', exemptionReasonEn: 'Personal information', exemptionReasonFr: 'Renseignements personnels' });
    // Enough published datasets for two pages of /catalog.jsonld.
    await other.database.db.execute(sql`
      insert into catalogue.datasets (name, title, description, organization_id, organization, licence_id, state, published_at, created_at)
      select 'bulk-' || n, jsonb_build_object('en', 'Bulk ' || n, 'fr', 'Lot ' || n), jsonb_build_object('en', 'Generated.', 'fr', 'Généré.'),
             ${org.id}::uuid, jsonb_build_object('slug', 'ministry-of-transportation', 'name', jsonb_build_object('en', 'Transportation', 'fr', 'Transports')), 'cc-by-4.0', 'published', now(),
             now() + make_interval(secs => n)
      from generate_series(1, 100) n`);
  });
  afterAll(async () => other?.close());

  it('follows the pages and brings every published dataset, complete and published', async () => {
    const { id, report } = await harvest('other-trillium', `${base}/catalog.jsonld`);
    expect(report.status).toBe('succeeded');
    expect(report.total).toBe(102);
    expect(report.counts).toEqual({ created: 102, updated: 0, skipped: 0, failed: 0, drafts: 0 });

    const copy = await findBySource(t.database.db, id, roads.id);
    expect(copy).toMatchObject({
      name: 'road-collisions',
      state: 'published',
      title: roads.title,
      description: roads.description,
      keywords: roads.keywords,
      licenceId: 'ogl-ontario-1.0',
      accessLevel: 'open',
      contact: { name: 'Road Safety Office', email: 'roads@example.ca' },
      updateFrequency: 'monthly',
      temporalStart: '2020-01-01',
      temporalEnd: '2023-12-31',
      spatial: { en: 'Ontario', fr: 'Ontario' },
      organization: { slug: 'ministry-of-transportation' },
    });
    const resources = await resourcesOf(t.database.db, copy!.id);
    expect(resources).toHaveLength(1);
    expect(resources[0]).toMatchObject({ kind: 'link', format: 'CSV', name: { en: 'Collisions (CSV)', fr: 'Collisions (CSV)' } });
    expect(resources[0]!.url).toMatch(new RegExp(`^${base}/dataset/${roads.id}/resource/[0-9a-f-]+/download$`));

    const closed = await findBySource(t.database.db, id, restricted.id);
    expect(closed).toMatchObject({ state: 'published', accessLevel: 'restricted' });
    expect(closed!.exemptionReason.en).toContain('other-trillium');
    expect(await resourcesOf(t.database.db, closed!.id)).toEqual([]);
  });

  it('finds nothing changed on the next harvest', async () => {
    const report = await again('other-trillium');
    expect(report.counts).toEqual({ created: 0, updated: 0, skipped: 102, failed: 0, drafts: 0 });
  });
});
