import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { TestClient } from '../../../../test/support/client.js';
import { makeAccount, makeOrganization, type TestAccount } from '../../identity/test/factories.js';
import type { Organization } from '../../identity/index.js';
import { makeDataset } from './factories.js';

let t: TestApp;
let org: Organization;
let other: Organization;
let editor: TestAccount;
let editorClient: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  org = await makeOrganization(t.app, 'transport');
  other = await makeOrganization(t.app, 'health');
  editor = await makeAccount(t.app, { roles: [[org.id, ['editor']]] });
  editorClient = new TestClient(t.app);
  await editorClient.signIn(editor.email, editor.password);
});
afterAll(async () => t?.close());

function multipart(parts: Array<{ name: string; value: string; filename?: string; type?: string }>) {
  const boundary = 'trilliumcatalogue';
  const body = parts
    .map((p) =>
      p.filename !== undefined
        ? `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type ?? 'text/csv'}\r\n\r\n${p.value}\r\n`
        : `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`,
    )
    .join('');
  return { payload: `${body}--${boundary}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('publishing a dataset', () => {
  it('an editor saves a partial draft, is told what publishing needs, completes it and publishes', async () => {
    const draft = await editorClient.post('/en/datasets/new', { organizationId: org.id, name: 'winter-maintenance', titleEn: 'Winter road maintenance', accessLevel: 'open' }, { csrfFrom: '/en/datasets/new' });
    expect(draft.statusCode).toBe(303);
    expect(draft.headers.location).toBe('/en/datasets/winter-maintenance?notice=created');
    expect((await new TestClient(t.app).get('/en/datasets/winter-maintenance')).statusCode).toBe(404); // drafts are not public

    const refused = await editorClient.post('/en/datasets/winter-maintenance/publish', {}, { csrfFrom: '/en/datasets/winter-maintenance' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Enter the title in French before publishing');
    expect(refused.body).toContain('Choose a licence before publishing open data');
    expect(refused.body).toContain('value="Winter road maintenance"'); // the form comes back filled in

    const page = await editorClient.get('/en/datasets/winter-maintenance/edit');
    const version = page.body.match(/name="version" value="(\d+)"/)![1]!;
    const saved = await editorClient.post('/en/datasets/winter-maintenance/edit', {
      version,
      organizationId: org.id,
      name: 'winter-maintenance',
      titleEn: 'Winter road maintenance',
      titleFr: 'Entretien hivernal des routes',
      descriptionEn: 'Where and when highways are ploughed and salted.',
      descriptionFr: 'Où et quand les autoroutes sont déneigées et salées.',
      keywordsEn: 'snow, roads',
      keywordsFr: 'neige, routes',
      licenceId: 'ogl-ontario-1.0',
      accessLevel: 'open',
      updateFrequency: 'weekly',
    }, { csrfFrom: '/en/datasets/winter-maintenance/edit' });
    expect(saved.statusCode).toBe(303);
    const published = await editorClient.post('/en/datasets/winter-maintenance/publish', {}, { csrfFrom: '/en/datasets/winter-maintenance' });
    expect(published.statusCode).toBe(303);
    const publicPage = await new TestClient(t.app).get('/fr/datasets/winter-maintenance');
    expect(publicPage.statusCode).toBe(200);
    expect(publicPage.body).toContain('Entretien hivernal des routes');
    expect(publicPage.body).toContain('Chaque semaine');
  });

  it('refuses to overwrite a change made meanwhile by someone else, keeping the person’s input', async () => {
    const dataset = await makeDataset(t.app, org.id);
    const form = { organizationId: org.id, name: dataset.name, titleEn: 'Mine', titleFr: 'La mienne', descriptionEn: 'x', descriptionFr: 'y', licenceId: 'ogl-ontario-1.0', accessLevel: 'open' };
    const first = await editorClient.post(`/en/datasets/${dataset.name}/edit`, { ...form, version: String(dataset.version) }, { csrfFrom: `/en/datasets/${dataset.name}/edit` });
    expect(first.statusCode).toBe(303);
    const stale = await editorClient.post(`/en/datasets/${dataset.name}/edit`, { ...form, titleEn: 'Stale', version: String(dataset.version) }, { csrfFrom: `/en/datasets/${dataset.name}/edit` });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this dataset');
    expect(stale.body).toContain('value="Stale"');
  });

  it('shows the history of changes as a diff', async () => {
    const dataset = await makeDataset(t.app, org.id);
    await editorClient.api('PUT', `/api/v1/datasets/${dataset.name}`, {
      organizationId: org.id, name: dataset.name, titleEn: 'Renamed collisions', titleFr: dataset.title.fr, descriptionEn: dataset.description.en, descriptionFr: dataset.description.fr,
      keywordsEn: 'roads, safety', keywordsFr: 'routes, sécurité', licenceId: 'ogl-ontario-1.0', accessLevel: 'open',
    });
    const history = await new TestClient(t.app).api('GET', `/api/v1/datasets/${dataset.name}/history`);
    expect(history.statusCode).toBe(200);
    const latest = history.json().history[0];
    expect(latest.changes).toEqual([{ field: 'title', before: dataset.title, after: { en: 'Renamed collisions', fr: dataset.title.fr } }]);
    const page = await new TestClient(t.app).get(`/en/datasets/${dataset.name}/history`);
    expect(page.body).toContain('Renamed collisions');
  });

  it('only the owning organization’s editors may change it', async () => {
    const dataset = await makeDataset(t.app, org.id);
    const outsider = await makeAccount(t.app, { roles: [[other.id, ['editor']]] });
    const client = new TestClient(t.app);
    await client.signIn(outsider.email, outsider.password);
    expect((await client.get(`/en/datasets/${dataset.name}/edit`)).statusCode).toBe(403);
    expect((await client.api('DELETE', `/api/v1/datasets/${dataset.name}`)).statusCode).toBe(403);
    expect((await client.api('POST', '/api/v1/datasets', { name: 'sneaky', organizationId: org.id, accessLevel: 'open' })).statusCode).toBe(403);
  });
});

describe('resources', () => {
  it('uploads a file (CSRF token first), serves it back as a download with its checksum', async () => {
    const dataset = await makeDataset(t.app, org.id, { link: false });
    const token = await editorClient.csrfToken(`/en/datasets/${dataset.name}/resources/new`);
    const cookie = [...editorClient.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const m = multipart([
      { name: '_csrf', value: token },
      { name: 'nameEn', value: 'Counts' },
      { name: 'nameFr', value: 'Comptes' },
      { name: 'kind', value: 'upload' },
      { name: 'file', value: 'month,count\n2024-01,12\n', filename: 'counts.csv' },
    ]);
    const upload = await t.app.inject({ method: 'POST', url: `/en/datasets/${dataset.name}/resources/new`, payload: m.payload, headers: { ...m.headers, cookie } });
    expect(upload.statusCode).toBe(303);
    const detail = (await new TestClient(t.app).api('GET', `/api/v1/datasets/${dataset.name}`)).json();
    const resource = detail.resources[0];
    expect(resource).toMatchObject({ kind: 'upload', format: 'CSV', size: 23, fileName: 'counts.csv' });
    expect(detail.dataset.formats).toEqual(['CSV']);
    const download = await t.app.inject({ method: 'GET', url: `/en/datasets/${dataset.name}/resources/${resource.id}/download` });
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe('month,count\n2024-01,12\n');
    expect(download.headers['content-disposition']).toContain('attachment');
  });

  it('keeps the description when an upload is refused, and names the missing file', async () => {
    const dataset = await makeDataset(t.app, org.id, { link: false });
    const token = await editorClient.csrfToken(`/en/datasets/${dataset.name}/resources/new`);
    const cookie = [...editorClient.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const m = multipart([{ name: '_csrf', value: token }, { name: 'nameEn', value: 'Kept name' }, { name: 'kind', value: 'upload' }]);
    const response = await t.app.inject({ method: 'POST', url: `/en/datasets/${dataset.name}/resources/new`, payload: m.payload, headers: { ...m.headers, cookie } });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Choose a file to upload');
    expect(response.body).toContain('value="Kept name"');
  });

  it('hides the resources of restricted datasets from everyone outside the organization', async () => {
    const dataset = await makeDataset(t.app, org.id, {
      accessLevel: 'restricted',
      exemptionReasonEn: 'Contains personal information',
      exemptionReasonFr: 'Contient des renseignements personnels',
    });
    const publicView = (await new TestClient(t.app).api('GET', `/api/v1/datasets/${dataset.name}`)).json();
    expect(publicView.dataset.accessLevel).toBe('restricted');
    expect(publicView.resources).toBeNull();
    const page = await new TestClient(t.app).get(`/en/datasets/${dataset.name}`);
    expect(page.body).toContain('Contains personal information');
    expect(page.body).not.toContain('data.example.ca');
    const insider = await makeAccount(t.app, { roles: [[org.id, ['viewer']]] });
    const client = new TestClient(t.app);
    await client.signIn(insider.email, insider.password);
    expect((await client.api('GET', `/api/v1/datasets/${dataset.name}`)).json().resources).toHaveLength(1);
  });
});

describe('search', () => {
  beforeAll(async () => {
    await makeDataset(t.app, other.id, {
      name: 'hospital-wait-times',
      titleEn: 'Hospital emergency wait times',
      titleFr: 'Temps d’attente aux urgences des hôpitaux',
      descriptionEn: 'How long patients waited in emergency departments.',
      descriptionFr: 'Combien de temps les patients ont attendu aux urgences.',
      keywordsEn: 'health, hospitals',
      keywordsFr: 'santé, hôpitaux',
    });
  });

  it('finds datasets in either language with stemming, and reports facets', async () => {
    const fr = (await new TestClient(t.app).api('GET', '/api/v1/datasets?q=hôpital')).json();
    expect(fr.items.map((d: { name: string }) => d.name)).toContain('hospital-wait-times');
    const en = (await new TestClient(t.app).api('GET', '/api/v1/datasets?q=hospitals%20waiting')).json();
    expect(en.items[0].name).toBe('hospital-wait-times');
    const all = (await new TestClient(t.app).api('GET', '/api/v1/datasets?limit=0')).json();
    expect(all.facets.organization.find((f: { value: string }) => f.value === 'health')).toMatchObject({ count: 1 });
    expect(all.facets.licence[0]).toMatchObject({ value: 'ogl-ontario-1.0' });
  });

  it('filters by facets on the page, without JavaScript, in French', async () => {
    const page = await new TestClient(t.app).get('/fr/datasets?organization=health&keyword=sant%C3%A9');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('1 jeu de données');
    expect(page.body).toContain('Temps d’attente aux urgences');
    expect(page.body).toContain('Retirer');
  });

  it('offers close matches and a corrected query for a misspelling', async () => {
    const result = (await new TestClient(t.app).api('GET', '/api/v1/datasets?q=hospitel')).json();
    expect(result.fuzzy).toBe(true);
    expect(result.items[0].name).toBe('hospital-wait-times');
    expect(result.suggestion).toBe('hospital');
  });

  it('never suggests a word that only a draft uses', async () => {
    await makeDataset(t.app, org.id, { name: 'draft-words', publish: false, titleEn: 'Xylophone registry' });
    const result = (await new TestClient(t.app).api('GET', '/api/v1/datasets?q=xylophon')).json();
    expect(result.total).toBe(0);
    expect(result.suggestion).toBeNull();
  });

  it('never lists drafts publicly, but lists an editor’s own drafts on request', async () => {
    await makeDataset(t.app, org.id, { name: 'secret-draft', publish: false, titleEn: 'Unreleased bridge inspections' });
    expect((await new TestClient(t.app).api('GET', '/api/v1/datasets?q=bridge&drafts=true')).json().total).toBe(0);
    const mine = (await editorClient.api('GET', '/api/v1/datasets?q=bridge&drafts=true')).json();
    expect(mine.items.map((d: { name: string }) => d.name)).toEqual(['secret-draft']);
  });
});
