import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { TestClient } from '../../../../test/support/client.js';
import { system } from '../../../kernel/auth/actor.js';
import { NotAllowed } from '../../../kernel/errors/index.js';
import type { Organization } from '../../identity/index.js';
import { makeAccount, makeOrganization } from '../../identity/test/factories.js';
import { editDataset } from '../actions/datasets.js';
import { qualityJob, refreshCatalogueQuality, registerQualityJobs } from '../actions/quality.js';
import { afterDatasetChange } from '../data/changes.js';
import { findDataset } from '../data/datasets.js';
import { assessQuality, lastUpdated, tableValidationShare, type QualityDataset, type QualityResource } from '../data/quality.js';
import { datasets, resources, type ValidationReport } from '../schema.js';
import { catalogueDeps, makeDataset } from './factories.js';

const day = 86_400_000;
const now = new Date('2025-06-30T12:00:00Z');
const ago = (days: number) => new Date(now.getTime() - days * day);
const valid: ValidationReport = { valid: true, rows: 10, checkedAt: '2025-06-01T00:00:00Z', problems: [] };

const complete: QualityDataset = {
  title: { en: 'Beach water', fr: 'Eau des plages' },
  description: { en: 'Samples', fr: 'Échantillons' },
  keywords: { en: ['beaches'], fr: ['plages'] },
  contact: { name: 'Water team', email: 'water@example.ca' },
  updateFrequency: 'monthly',
  temporalStart: '2020-01-01',
  temporalEnd: null,
  spatial: { en: 'Ontario', fr: 'Ontario' },
  licenceId: 'ogl-ontario-1.0',
  accessLevel: 'open',
  modifiedAt: ago(10),
};
const csv = (validation: ValidationReport | null, modifiedDaysAgo = 10, format = 'CSV'): QualityResource => ({ format, validation, modifiedAt: ago(modifiedDaysAgo), loadedAt: null });
const points = (q: ReturnType<typeof assessQuality>) => Object.fromEntries(q.reasons.map((r) => [r.key.replace('catalogue.quality.reasons.', ''), r.points]));

describe('quality arithmetic', () => {
  it('gives 100 to complete, checked, fresh, open data', () => {
    const q = assessQuality(complete, true, [csv(valid)], now);
    expect(q.score).toBe(100);
    expect(q.reasons.reduce((s, r) => s + r.max, 0)).toBe(100);
    expect(q.reasons.every((r) => r.points === r.max)).toBe(true);
  });

  it('adds up a partial dataset, reason by reason (hand-computed: 17 + 19 + 7 + 14 = 57)', () => {
    const invalid: ValidationReport = {
      valid: false,
      rows: 100,
      checkedAt: '2025-06-01T00:00:00Z',
      problems: [
        { kind: 'type', count: 6, examples: [] },
        { kind: 'missing', count: 4, examples: [] },
      ],
    };
    const partial: QualityDataset = {
      ...complete,
      title: { en: 'Only English' },
      description: {},
      keywords: { en: ['one'], fr: [] },
      contact: { name: 'Team' },
      temporalStart: null,
      spatial: {},
      modifiedAt: ago(80),
    };
    // The newest change is a resource, 50 days ago: late for monthly data (after 45 days), not yet far behind (90).
    const q = assessQuality(partial, false, [csv(valid, 60), csv(invalid, 50), csv(null, 70, 'PDF')], now);
    expect(points(q)).toEqual({
      'title.one': 2,
      'description.none': 0,
      'keywords.one': 2,
      'contact.nameOnly': 2,
      'frequency.stated': 5,
      'temporal.missing': 0,
      'spatial.none': 0,
      'licence.chosen': 6,
      // Two tables: one valid (1), one with 10 problems in 100 rows (0.6 × 0.9 = 0.54): 25 × 0.77 = 19.25.
      'validation.problems': 19,
      'freshness.late': 7,
      'access.open': 8,
      'openLicence.closed': 0,
      'formats.open': 6,
    });
    expect(q.score).toBe(57);
    expect(q.reasons.find((r) => r.key.endsWith('validation.problems'))!.params).toEqual({ total: 2, valid: 1, invalid: 1, unchecked: 0, problems: 10 });
    expect(q.reasons.find((r) => r.key.endsWith('freshness.late'))!.params).toEqual({ count: 50, expected: 30 });
    expect(q.reasons.find((r) => r.key.endsWith('formats.open'))!.params).toEqual({ formats: 'CSV' });
  });

  it('counts restricted data, no licence, spreadsheets only and tables not yet checked (hand-computed: 19 + 0 + 0 + 3 = 22)', () => {
    const q = assessQuality(
      { ...complete, keywords: { en: [], fr: [] }, contact: {}, updateFrequency: null, temporalStart: null, temporalEnd: '2024-12-31', licenceId: null, accessLevel: 'restricted' },
      null,
      [csv(null, 10, 'XLSX')],
      now,
    );
    expect(points(q)).toEqual({
      'title.both': 5,
      'description.both': 6,
      'keywords.none': 0,
      'contact.none': 0,
      'frequency.missing': 0,
      'temporal.stated': 4,
      'spatial.both': 4,
      'licence.missing': 0,
      'validation.unchecked': 0,
      'freshness.unknown': 0,
      'access.notOpen': 0,
      'openLicence.missing': 0,
      'formats.proprietary': 3,
    });
    expect(q.score).toBe(22);
  });

  it('gives no validation or format points without data, and none for formats programs cannot read', () => {
    expect(points(assessQuality(complete, true, [], now))).toMatchObject({ 'validation.noTables': 0, 'formats.noData': 0 });
    expect(points(assessQuality(complete, true, [csv(null, 10, 'PDF')], now))).toMatchObject({ 'validation.noTables': 0, 'formats.none': 0 });
    expect(assessQuality(complete, true, [csv(null, 10, 'PDF')], now).score).toBe(100 - 25 - 6);
  });

  it('scores a table with problems lower the more rows have them, and never below zero', () => {
    const report = (count: number, rows = 100): ValidationReport => ({ valid: false, rows, checkedAt: '', problems: [{ kind: 'type', count, examples: [] }] });
    expect(tableValidationShare(valid)).toBe(1);
    expect(tableValidationShare(null)).toBe(0);
    expect(tableValidationShare(report(0))).toBeCloseTo(0.6);
    expect(tableValidationShare(report(50))).toBeCloseTo(0.3);
    expect(tableValidationShare(report(500))).toBe(0);
    expect(tableValidationShare(report(1, 0))).toBe(0);
  });
});

describe('freshness', () => {
  const fresh = (frequency: QualityDataset['updateFrequency'], daysAgo: number) =>
    assessQuality({ ...complete, updateFrequency: frequency, modifiedAt: ago(daysAgo) }, true, [], now).reasons.find((r) => r.key.includes('.freshness.'))!;

  it('monthly data is on time up to 45 days, late up to 90, then far behind', () => {
    expect(fresh('monthly', 45)).toMatchObject({ key: 'catalogue.quality.reasons.freshness.onTime', points: 15 });
    expect(fresh('monthly', 46)).toMatchObject({ key: 'catalogue.quality.reasons.freshness.late', points: 7 });
    expect(fresh('monthly', 90)).toMatchObject({ key: 'catalogue.quality.reasons.freshness.late', points: 7 });
    expect(fresh('monthly', 91)).toMatchObject({ key: 'catalogue.quality.reasons.freshness.stale', points: 0 });
  });

  it('scales with the frequency; data without a schedule is never late; no frequency, no points', () => {
    expect(fresh('weekly', 10).points).toBe(15);
    expect(fresh('weekly', 11).points).toBe(7);
    expect(fresh('daily', 1).points).toBe(15);
    expect(fresh('daily', 4).points).toBe(0);
    expect(fresh('annual', 500).points).toBe(15);
    expect(fresh('annual', 600).points).toBe(7);
    expect(fresh('irregular', 5000)).toMatchObject({ key: 'catalogue.quality.reasons.freshness.noSchedule', points: 15 });
    expect(fresh('never', 5000).points).toBe(15);
    expect(fresh(null, 0)).toMatchObject({ key: 'catalogue.quality.reasons.freshness.unknown', points: 0 });
  });

  it('counts the newest change to the data: a resource replaced or loaded is an update', () => {
    const loaded = { ...csv(valid, 300), loadedAt: ago(3) };
    expect(lastUpdated({ ...complete, modifiedAt: ago(200) }, [csv(valid, 100), loaded])).toEqual(ago(3));
    expect(fresh('monthly', 200).points).toBe(0);
    expect(assessQuality({ ...complete, modifiedAt: ago(200) }, true, [loaded], now).score).toBe(100);
  });
});

let t: TestApp;
let org: Organization;

describe('stored with each dataset', () => {
  beforeAll(async () => {
    t = await createTestApp();
    org = await makeOrganization(t.app, 'environment');
  });
  afterAll(async () => t?.close());

  it('is worked out when a dataset is saved, and again when it or its resources change', async () => {
    const deps = catalogueDeps(t.app);
    const dataset = await makeDataset(t.app, org.id);
    // Factory dataset: title, description and keywords in both languages, a licence (22); an
    // unchecked CSV link (0); no frequency (0); open, open licence, CSV (20).
    expect(dataset.quality?.score).toBe(42);
    const row = (await findDataset(t.database.db, dataset.id))!;
    expect(row.qualityScore).toBe(42);

    const client = new TestClient(t.app);
    const api = (await client.api('GET', `/api/v1/datasets/${dataset.name}`)).json();
    expect(api.dataset.quality.score).toBe(42);

    const edited = await editDataset(deps, { actor: system, requestId: 'test' }, dataset.id, {
      name: dataset.name,
      organizationId: org.id,
      titleEn: dataset.title.en,
      titleFr: dataset.title.fr,
      descriptionEn: dataset.description.en,
      descriptionFr: dataset.description.fr,
      keywordsEn: 'roads',
      keywordsFr: 'routes',
      licenceId: 'ogl-ontario-1.0',
      accessLevel: 'open',
      contactEmail: 'roads@example.ca',
      updateFrequency: 'monthly',
      temporalStart: '2020-01-01',
      spatialEn: 'Ontario',
      spatialFr: 'Ontario',
    });
    // + contact 5, frequency 5, time 4, place 4, on time 15.
    expect(edited.quality?.score).toBe(75);

    // The datastore writes a validation report, then calls afterDatasetChange.
    const [resource] = await t.database.db.select().from(resources).where(eq(resources.datasetId, dataset.id));
    await t.database.db.update(resources).set({ validation: valid }).where(eq(resources.id, resource!.id));
    await afterDatasetChange(t.database.db, dataset.id);
    expect((await findDataset(t.database.db, dataset.id))!.qualityScore).toBe(100);
  });

  it('sorts search results by quality', async () => {
    const sorting = await makeOrganization(t.app, 'sorting');
    const low = await makeDataset(t.app, sorting.id, { link: false });
    const high = await makeDataset(t.app, sorting.id, { contactEmail: 'team@example.ca', updateFrequency: 'irregular' });
    const response = await new TestClient(t.app).api('GET', '/api/v1/datasets?organization=sorting&sort=quality');
    expect(response.json().items.map((d: { name: string }) => d.name)).toEqual([high.name, low.name]);
    expect(high.quality!.score).toBeGreaterThan(low.quality!.score);
  });

  it('a daily job recomputes freshness for published datasets only', async () => {
    const deps = catalogueDeps(t.app);
    registerQualityJobs(deps);
    const published = await makeDataset(t.app, org.id, { updateFrequency: 'monthly' });
    const draft = await makeDataset(t.app, org.id, { updateFrequency: 'monthly', publish: false });
    expect(published.quality!.reasons.find((r) => r.key.includes('freshness'))!.key).toBe('catalogue.quality.reasons.freshness.onTime');
    const draftScore = (await findDataset(t.database.db, draft.id))!.qualityScore;
    const longAgo = new Date(Date.now() - 100 * day);
    for (const id of [published.id, draft.id]) {
      await t.database.db.update(datasets).set({ modifiedAt: longAgo }).where(eq(datasets.id, id));
      await t.database.db.update(resources).set({ modifiedAt: longAgo }).where(eq(resources.datasetId, id));
    }
    await t.app.kernel.jobs.enqueue(t.database.db, qualityJob, {});
    await t.app.kernel.jobs.runUntilIdle();
    const after = (await findDataset(t.database.db, published.id))!;
    expect(after.quality!.reasons.find((r) => r.key.includes('freshness'))).toMatchObject({ key: 'catalogue.quality.reasons.freshness.stale', points: 0 });
    expect(after.qualityScore).toBe(published.quality!.score - 15);
    expect((await findDataset(t.database.db, draft.id))!.qualityScore).toBe(draftScore); // drafts wait for their next change

    // Nothing changed since: a second run writes nothing.
    expect(await refreshCatalogueQuality(deps, { actor: system })).toMatchObject({ changed: 0 });
    const resident = await makeAccount(t.app);
    await expect(refreshCatalogueQuality(deps, { actor: { ...system, kind: 'account', superadmin: false, accountId: resident.id } })).rejects.toBeInstanceOf(NotAllowed);
  });

  it('the partial shows the score and each reason, in the page’s language', async () => {
    const dataset = await makeDataset(t.app, org.id);
    const render = (locale: 'en' | 'fr') => t.app.kernel.views.render('catalogue/quality.njk', { locale, t: t.app.kernel.messages.forLocale(locale), dataset });
    const en = render('en');
    expect(en).toContain('Quality score: 42 out of 100');
    expect(en).toContain('Title in English and French');
    expect(en).toContain('Data tables not checked yet: 1 of 1. Passed: 0');
    expect(en).toContain('6 of 6');
    expect(en).toContain('Openness');
    const fr = render('fr');
    expect(fr).toContain('Note de qualité : 42 sur 100');
    expect(fr).toContain('Aucun contact donné');
    expect(t.app.kernel.views.render('catalogue/quality.njk', { locale: 'en', t: t.app.kernel.messages.forLocale('en'), dataset: { ...dataset, quality: null } })).toContain(
      'The quality score has not been worked out yet.',
    );
  });
});
