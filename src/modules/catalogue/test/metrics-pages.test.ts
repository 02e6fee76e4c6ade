import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { TestClient } from '../../../../test/support/client.js';
import type { Organization } from '../../identity/index.js';
import { makeAccount, makeOrganization, type TestAccount } from '../../identity/test/factories.js';
import { usageDatasetName } from '../actions/metrics.js';
import { findDataset } from '../data/datasets.js';
import type { Dataset } from '../types.js';
import { makeDataset } from './factories.js';

/**
 * The metrics pages and API, through the routes (routes/metrics.routes.ts must be registered in
 * module.ts, and the jobs in the module's `create`).
 */
let t: TestApp;
let org: Organization;
let dataset: Dataset;
let superadmin: TestAccount;
let admin: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  org = await makeOrganization(t.app, 'natural-resources');
  dataset = await makeDataset(t.app, org.id, { name: 'forest-fires', titleEn: 'Forest fires', titleFr: 'Feux de forêt' });
  superadmin = await makeAccount(t.app, { superadmin: true });
  admin = new TestClient(t.app);
  await admin.signIn(superadmin.email, superadmin.password);
  // Two page views and one download, counted as people use the catalogue.
  const visitor = new TestClient(t.app);
  const page = await visitor.get(`/en/datasets/${dataset.name}`);
  await visitor.get(`/fr/datasets/${dataset.name}`);
  const download = page.body.match(/href="(\/en\/datasets\/forest-fires\/resources\/[0-9a-f-]+\/download)"/)![1]!;
  await visitor.get(download);
});
afterAll(async () => t?.close());

describe('a dataset’s metrics page', () => {
  it('shows views and downloads by month, as a chart and as a table, in both languages', async () => {
    const en = await new TestClient(t.app).get(`/en/datasets/${dataset.name}/metrics`);
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('In the last 12 months: 2 views and 1 downloads.');
    expect(en.body).toContain('<svg viewBox="0 0 640 240"');
    expect(en.body).toContain('role="img"');
    expect(en.body).toContain('<caption class="govuk-table__caption govuk-table__caption--s">Views and downloads by month (last 12 months)</caption>');
    expect((en.body.match(/<th scope="row" class="govuk-table__header">\d{4}-\d{2}<\/th>/g) ?? []).length).toBe(12);
    expect(en.body).toContain('Collisions (CSV)'); // per resource
    const fr = await new TestClient(t.app).get(`/fr/datasets/${dataset.name}/metrics`);
    expect(fr.body).toContain('Dans les 12 derniers mois : 2 consultations et 1 téléchargements.');
  });

  it('is hidden for drafts from people outside the organization', async () => {
    const draft = await makeDataset(t.app, org.id, { publish: false });
    expect((await new TestClient(t.app).get(`/en/datasets/${draft.name}/metrics`)).statusCode).toBe(404);
    expect((await admin.get(`/en/datasets/${draft.name}/metrics`)).statusCode).toBe(200);
  });

  it('answers the same as JSON', async () => {
    const body = (await new TestClient(t.app).api('GET', `/api/v1/datasets/${dataset.name}/metrics`)).json();
    expect(body.totals).toEqual({ views: 2, downloads: 1 });
    expect(body.months).toHaveLength(12);
    expect(body).not.toHaveProperty('chart');
  });
});

describe('the catalogue metrics page', () => {
  it('shows totals and the most used datasets to everyone, and the publishing choice to superadmins only', async () => {
    const anonymous = await new TestClient(t.app).get('/en/dataset-metrics');
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.body).toContain('Most viewed datasets in the last 12 months');
    expect(anonymous.body).toContain(`href="/en/datasets/${dataset.name}/metrics">Forest fires</a>`);
    expect(anonymous.body).not.toContain('Organization that publishes the figures');
    const page = await admin.get('/en/dataset-metrics');
    expect(page.body).toContain('Organization that publishes the figures');
    expect(page.body).toContain('the first organization created');
  });

  it('a superadmin chooses the publishing organization (errors shown on the form) and publishes at once', async () => {
    const empty = await admin.post('/en/dataset-metrics/publisher', {}, { csrfFrom: '/en/dataset-metrics' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('govuk-error-summary');
    expect(empty.body).toContain('href="#organizationId"');
    const saved = await admin.post('/en/dataset-metrics/publisher', { organizationId: org.id }, { csrfFrom: '/en/dataset-metrics' });
    expect(saved.statusCode).toBe(303);
    expect((await admin.get(saved.headers.location!)).body).toContain('The organization that publishes the figures has been saved.');

    const publish = await admin.post('/en/dataset-metrics/publish', {}, { csrfFrom: '/en/dataset-metrics' });
    expect(publish.statusCode).toBe(303);
    expect(publish.headers.location).toMatch(/^\/en\/jobs\/[0-9a-f-]{36}$/);
    await t.app.kernel.jobs.runUntilIdle();
    expect((await findDataset(t.database.db, usageDatasetName))).toMatchObject({ state: 'published', organizationId: org.id });
    expect((await new TestClient(t.app).get('/fr/dataset-metrics')).body).toContain(`href="/fr/datasets/${usageDatasetName}"`);
  });

  it('the JSON API gives the same figures; choosing and publishing are for superadmins', async () => {
    const anonymous = new TestClient(t.app);
    const body = (await anonymous.api('GET', '/api/v1/dataset-metrics')).json();
    expect(body.mostViewed[0]).toMatchObject({ name: dataset.name, views: 2, downloads: 1 });
    expect(body).not.toHaveProperty('organizations');
    expect((await anonymous.api('PUT', '/api/v1/dataset-metrics/publisher', { organizationId: org.id })).statusCode).toBe(401);
    const editor = await makeAccount(t.app, { roles: [[org.id, ['editor']]] });
    const editorClient = new TestClient(t.app);
    await editorClient.signIn(editor.email, editor.password);
    expect((await editorClient.api('POST', '/api/v1/dataset-metrics/publication', {})).statusCode).toBe(403);
    expect((await admin.api('PUT', '/api/v1/dataset-metrics/publisher', { organizationId: org.id })).json()).toMatchObject({ id: org.id });
    const started = await admin.api('POST', '/api/v1/dataset-metrics/publication', {});
    expect(started.statusCode).toBe(202);
    expect(started.json().jobId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
