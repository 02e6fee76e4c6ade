import { eq } from 'drizzle-orm';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import type { ActionContext } from '../../../kernel/audit/index.js';
import { system } from '../../../kernel/auth/actor.js';
import { NotAllowed } from '../../../kernel/errors/index.js';
import type { Organization } from '../../identity/index.js';
import { makeAccount, makeOrganization } from '../../identity/test/factories.js';
import { deleteDataset } from '../actions/datasets.js';
import {
  catalogueMetrics,
  chooseMetricsPublisher,
  datasetMetrics,
  monthsBefore,
  publishUsageMetrics,
  registerMetricsJobs,
  requestUsagePublication,
  usageCsv,
  usageDatasetName,
  usageFileName,
} from '../actions/metrics.js';
import { addResource } from '../actions/resources.js';
import { findDataset } from '../data/datasets.js';
import { datasetPageKey } from '../data/metrics.js';
import { resourcesOf } from '../data/resources.js';
import { dailyMetrics } from '../schema.js';
import type { Dataset } from '../types.js';
import { catalogueDeps, makeDataset } from './factories.js';

let t: TestApp;
let first: Organization;
let second: Organization;
let roads: Dataset;
let parks: Dataset;
let draft: Dataset;
let roadsFile = '';
const sys: ActionContext = { actor: system, requestId: 'test' };
const now = new Date('2024-03-15T12:00:00Z');

async function count(datasetId: string, day: string, views: number, downloads: number, resourceId = datasetPageKey) {
  await t.database.db.insert(dailyMetrics).values({ day, datasetId, resourceId, views, downloads });
}

beforeAll(async () => {
  t = await createTestApp();
  first = await makeOrganization(t.app, 'cabinet-office');
  second = await makeOrganization(t.app, 'treasury');
  roads = await makeDataset(t.app, first.id, { name: 'road-counts', titleEn: 'Road counts, by “station”', titleFr: 'Comptages routiers' });
  parks = await makeDataset(t.app, second.id, { name: 'park-visits', titleEn: 'Park visits', titleFr: 'Visites des parcs' });
  draft = await makeDataset(t.app, second.id, { name: 'secret-draft', publish: false });
  roadsFile = (await resourcesOf(t.database.db, roads.id))[0]!.id;
  await count(roads.id, '2023-03-31', 100, 0); // more than 12 months before `now`
  await count(roads.id, '2024-01-31', 0, 4, roadsFile);
  await count(roads.id, '2024-02-10', 7, 0);
  await count(roads.id, '2024-03-02', 5, 0);
  await count(roads.id, '2024-03-02', 2, 3, roadsFile);
  await count(parks.id, '2024-02-01', 30, 1);
  await count(draft.id, '2024-02-01', 999, 999);
});
afterAll(async () => t?.close());

describe('figures by month', () => {
  it('a dataset’s views (its page and its files’ pages) and downloads for the last 12 months, months without any as zero', async () => {
    const metrics = await datasetMetrics(catalogueDeps(t.app), sys, roads.name, now);
    expect(metrics.months).toHaveLength(12);
    expect(metrics.months[0]).toEqual({ month: '2023-04', views: 0, downloads: 0 });
    expect(metrics.months.slice(-3)).toEqual([
      { month: '2024-01', views: 0, downloads: 4 },
      { month: '2024-02', views: 7, downloads: 0 },
      { month: '2024-03', views: 7, downloads: 3 },
    ]);
    expect(metrics.totals).toEqual({ views: 14, downloads: 7 });
    expect(metrics.resources?.map((r) => r.id)).toEqual([roadsFile]);
    expect(metrics.chart.categories).toHaveLength(12);
    expect(metrics.chart.series.map((s) => [s.label, s.values.slice(-3)])).toEqual([
      ['Views', [0, 7, 7]],
      ['Downloads', [4, 0, 3]],
    ]);
    const fr = await datasetMetrics(catalogueDeps(t.app), { ...sys, locale: 'fr' }, roads.name, now);
    expect(fr.chart.series.map((s) => s.label)).toEqual(['Consultations', 'Téléchargements']);
  });

  it('the catalogue’s monthly totals and most used published datasets (drafts are not named)', async () => {
    const metrics = await catalogueMetrics(catalogueDeps(t.app), sys, now);
    expect(metrics.months.find((m) => m.month === '2024-02')).toEqual({ month: '2024-02', views: 7 + 30 + 999, downloads: 1 + 999 });
    expect(metrics.mostViewed.map((d) => [d.name, d.views, d.downloads])).toEqual([
      ['park-visits', 30, 1],
      ['road-counts', 14, 7],
    ]);
    expect(metrics.mostDownloaded.map((d) => d.name)).toEqual(['road-counts', 'park-visits']);
    expect(metrics.canManage).toBe(true);
    expect(metrics.publisher?.id).toBe(first.id); // the first organization created, until one is chosen
    expect(metrics.publisherChosen).toBe(false);
  });

  it('hides a draft’s figures from people who may not see it', async () => {
    await expect(datasetMetrics(catalogueDeps(t.app), { actor: { ...system, kind: 'anonymous', superadmin: false } }, draft.name, now)).rejects.toMatchObject({ status: 404 });
  });

  it('counts months across years', () => {
    expect(monthsBefore('2024-03', 11)).toBe('2023-04');
    expect(monthsBefore('2024-01', 1)).toBe('2023-12');
  });
});

describe('usage published as open data', () => {
  it('writes RFC 4180 CSV: one line per dataset and month, quoted where needed', () => {
    expect(
      usageCsv([
        { month: '2024-01', dataset: 'a', titleEn: 'Counts, by “station”', titleFr: 'Il a dit "oui"', organization: 'org', views: 1, downloads: 2 },
        { month: '2024-02', dataset: 'b', titleEn: 'B', titleFr: 'B', organization: 'org', views: 0, downloads: 0 },
      ]),
    ).toBe('month,dataset,title_en,title_fr,organization,views,downloads\r\n2024-01,a,"Counts, by “station”","Il a dit ""oui""",org,1,2\r\n2024-02,b,B,B,org,0,0\r\n');
  });

  it('publishes complete months as a dataset of the catalogue, through its own actions, and replaces the file when figures change', async () => {
    const deps = catalogueDeps(t.app);
    const result = await publishUsageMetrics(deps, sys, now);
    expect(result).toEqual({ published: true, dataset: usageDatasetName, lines: 4, changed: true });
    const dataset = (await findDataset(t.database.db, usageDatasetName))!;
    expect(dataset).toMatchObject({ state: 'published', organizationId: first.id, accessLevel: 'open', licenceId: 'ogl-ontario-1.0', updateFrequency: 'monthly' });
    expect(dataset.title).toEqual({ en: 'Open data catalogue use: views and downloads by month', fr: 'Utilisation du catalogue de données ouvertes : consultations et téléchargements par mois' });
    const [resource] = await resourcesOf(t.database.db, dataset.id);
    expect(resource).toMatchObject({ kind: 'upload', format: 'CSV', fileName: usageFileName, mediaType: 'text/csv' });
    const csv = await text(t.app.kernel.files.open(resource!.fileKey!));
    // March 2024 is not complete yet; the draft is not published; roads' March 2023 is history, and kept.
    expect(csv).toBe(
      'month,dataset,title_en,title_fr,organization,views,downloads\r\n' +
        '2023-03,road-counts,"Road counts, by “station”",Comptages routiers,cabinet-office,100,0\r\n' +
        '2024-01,road-counts,"Road counts, by “station”",Comptages routiers,cabinet-office,0,4\r\n' +
        '2024-02,park-visits,Park visits,Visites des parcs,treasury,30,1\r\n' +
        '2024-02,road-counts,"Road counts, by “station”",Comptages routiers,cabinet-office,7,0\r\n',
    );

    // The same figures: nothing is written again.
    expect(await publishUsageMetrics(deps, sys, now)).toMatchObject({ changed: false });
    expect((await resourcesOf(t.database.db, dataset.id)).map((r) => r.fileKey)).toEqual([resource!.fileKey]);

    // New figures for a complete month: the file is replaced, the old one removed.
    await count(parks.id, '2024-02-28', 5, 0);
    expect(await publishUsageMetrics(deps, sys, now)).toMatchObject({ changed: true, lines: 4 });
    const [replaced] = await resourcesOf(t.database.db, dataset.id);
    expect(replaced!.id).toBe(resource!.id);
    expect(replaced!.fileKey).not.toBe(resource!.fileKey);
    expect(await t.app.kernel.files.exists(resource!.fileKey!)).toBe(false);
    expect(await text(t.app.kernel.files.open(replaced!.fileKey!))).toContain('2024-02,park-visits,Park visits,Visites des parcs,treasury,35,1\r\n');

    // A month later, March is complete and joins the file.
    expect(await publishUsageMetrics(deps, sys, new Date('2024-04-01T00:00:00Z'))).toMatchObject({ changed: true, lines: 5 });
  });

  it('publishes under the organization a superadmin chooses', async () => {
    const deps = catalogueDeps(t.app);
    const superadmin = await makeAccount(t.app, { superadmin: true });
    const ctx: ActionContext = { actor: { ...system, kind: 'account', accountId: superadmin.id }, requestId: 'test' };
    await chooseMetricsPublisher(deps, ctx, { organizationId: second.id });
    expect((await catalogueMetrics(deps, sys, now)).publisher?.id).toBe(second.id);
    await publishUsageMetrics(deps, sys, now);
    expect((await findDataset(t.database.db, usageDatasetName))!.organizationId).toBe(second.id);
    await expect(chooseMetricsPublisher(deps, ctx, { organizationId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ status: 422 });
  });

  it('only superadmins (and the system) may choose or publish', async () => {
    const deps = catalogueDeps(t.app);
    const editor = await makeAccount(t.app, { roles: [[first.id, ['editor']]] });
    const ctx: ActionContext = { actor: { ...system, kind: 'account', superadmin: false, accountId: editor.id, memberships: [{ organizationId: first.id, role: 'editor' }] }, requestId: 'test' };
    await expect(chooseMetricsPublisher(deps, ctx, { organizationId: first.id })).rejects.toBeInstanceOf(NotAllowed);
    await expect(publishUsageMetrics(deps, ctx, now)).rejects.toBeInstanceOf(NotAllowed);
    await expect(requestUsagePublication(deps, ctx)).rejects.toBeInstanceOf(NotAllowed);
    expect((await catalogueMetrics(deps, ctx, now)).canManage).toBe(false);
  });

  it('runs as a job a superadmin can start', async () => {
    const deps = catalogueDeps(t.app);
    registerMetricsJobs(deps);
    registerMetricsJobs(deps); // safe to call twice
    const superadmin = await makeAccount(t.app, { superadmin: true });
    const jobId = await requestUsagePublication(deps, { actor: { ...system, kind: 'account', accountId: superadmin.id }, requestId: 'test' });
    await t.app.kernel.jobs.runUntilIdle();
    const job = await t.app.kernel.jobs.get(jobId);
    expect(job).toMatchObject({ status: 'succeeded', ownerId: superadmin.id, result: { published: true, dataset: usageDatasetName } });
  });

  it('leaves alone a usage dataset someone deleted', async () => {
    const deps = catalogueDeps(t.app);
    await deleteDataset(deps, sys, usageDatasetName);
    expect(await publishUsageMetrics(deps, sys, now)).toEqual({ published: false, skipped: 'deleted' });
    expect((await findDataset(t.database.db, usageDatasetName))!.state).toBe('deleted');
  });

  it('does nothing until an organization exists', async () => {
    const empty = await createTestApp();
    try {
      expect(await publishUsageMetrics(catalogueDeps(empty.app), sys, now)).toEqual({ published: false, skipped: 'noOrganization' });
    } finally {
      await empty.close();
    }
  });
});

describe('per resource', () => {
  it('keeps each resource’s own counts', async () => {
    const deps = catalogueDeps(t.app);
    const extra = await addResource(deps, sys, parks.name, { kind: 'link', nameEn: 'Map', url: 'https://example.test/map.geojson' });
    const metrics = await datasetMetrics(deps, sys, parks.name, now);
    expect(metrics.resources?.map((r) => r.id)).toContain(extra.id);
    expect(await t.database.db.select().from(dailyMetrics).where(eq(dailyMetrics.resourceId, extra.id))).toEqual([]);
  });
});
