import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { TestClient } from '../../../../test/support/client.js';
import { issueToken } from '../../../kernel/auth/tokens.js';
import type { Organization } from '../../identity/index.js';
import { makeAccount, makeOrganization, type TestAccount } from '../../identity/test/factories.js';
import { makeDataset } from './factories.js';

/** Contract tests of the CKAN Action API's write actions, with real CKAN client payloads. */

let t: TestApp;
let transport: Organization;
let statcan: Organization;
let editor: TestAccount;
let editorToken: string;
let readOnlyToken: string;
let outsiderToken: string;

/** A CKAN dict as a client reads it: untyped JSON, navigated freely in assertions. */
type Dict = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function post(action: string, body: unknown, token?: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: `/api/3/action/${action}`,
    payload: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}), ...headers },
  });
}

async function ok(action: string, body: unknown, token = editorToken): Promise<Dict> {
  const response = await post(action, body, token);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.json().success).toBe(true);
  return response.json().result;
}

async function show(id: string, token = editorToken): Promise<Dict> {
  return ok('package_show', { id }, token);
}

function multipart(action: string, parts: Array<{ name: string; value: string; filename?: string; type?: string }>, token: string) {
  const boundary = 'ckanboundary';
  const body = parts
    .map((p) =>
      p.filename !== undefined
        ? `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type ?? 'text/csv'}\r\n\r\n${p.value}\r\n`
        : `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`,
    )
    .join('');
  return t.app.inject({
    method: 'POST',
    url: `/api/action/${action}`,
    payload: `${body}--${boundary}--\r\n`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}` },
  });
}

async function token(accountId: string, scopes = ['catalogue:read', 'catalogue:write']): Promise<string> {
  return (await issueToken(t.database.db, { accountId, name: 'ckanapi', scopes, expiresAt: new Date(Date.now() + 86_400_000) })).secret;
}

const complete = () => ({
  owner_org: 'transport',
  title_translated: { en: 'Traffic volumes', fr: 'Volumes de circulation' },
  notes_translated: { en: 'Vehicles counted on highways.', fr: 'Véhicules comptés sur les autoroutes.' },
  keywords: { en: ['traffic'], fr: ['circulation'] },
  license_id: 'ogl-ontario-1.0',
});

beforeAll(async () => {
  t = await createTestApp();
  transport = await makeOrganization(t.app, 'transport');
  statcan = await makeOrganization(t.app, 'statcan');
  editor = await makeAccount(t.app, { roles: [[transport.id, ['editor']], [statcan.id, ['editor']]] });
  editorToken = await token(editor.id);
  readOnlyToken = await token(editor.id, ['catalogue:read']);
  outsiderToken = await token((await makeAccount(t.app, { roles: [[(await makeOrganization(t.app, 'health')).id, ['admin']]] })).id);
});
afterAll(async () => t?.close());

describe('package_create', () => {
  it('creates and publishes a dataset from fluent fields, with its resources, for an editor’s token', async () => {
    const pkg = await ok('package_create', {
      ...complete(),
      name: 'traffic-volumes',
      resources: [{ name_translated: { en: 'Counts', fr: 'Comptages' }, url: 'https://data.example.ca/counts.csv', format: 'CSV' }],
    });
    expect(pkg).toMatchObject({
      name: 'traffic-volumes',
      state: 'active',
      private: false,
      owner_org: transport.id,
      title: 'Traffic volumes',
      tags: [{ name: 'traffic' }],
      num_resources: 1,
      resources: [{ name: 'Counts', url: 'https://data.example.ca/counts.csv', format: 'CSV', url_type: null }],
    });
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/3/action/package_show?id=traffic-volumes' });
    expect(anonymous.statusCode).toBe(200); // published
  });

  it('keeps a dataset as a draft when private is true (and then English alone is enough)', async () => {
    const pkg = await ok('package_create', { name: 'draft-counts', owner_org: transport.id, title: 'Counts in progress', private: true });
    expect(pkg).toMatchObject({ state: 'draft', private: true, title_translated: { en: 'Counts in progress', fr: '' } });
    expect((await t.app.inject({ method: 'GET', url: '/api/3/action/package_show?id=draft-counts' })).statusCode).toBe(404);
  });

  it('refuses without a token, with a read-only token, and for another organization: 403 "Authorization Error"', async () => {
    for (const who of [undefined, readOnlyToken, outsiderToken]) {
      const response = await post('package_create', { ...complete(), name: 'not-allowed' }, who);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ success: false, error: { __type: 'Authorization Error', message: 'Access denied' } });
    }
    expect((await post('package_show', { id: 'not-allowed' }, editorToken)).statusCode).toBe(404);
  });

  it('answers 409 "Validation Error" naming CKAN’s fields, and creates nothing', async () => {
    const noName = await post('package_create', complete(), editorToken);
    expect(noName.statusCode).toBe(409);
    expect(noName.json().error).toMatchObject({ __type: 'Validation Error', name: ['Enter a short name'] });

    const badOrg = await post('package_create', { ...complete(), name: 'bad-org', owner_org: 'no-such-org' }, editorToken);
    expect(badOrg.statusCode).toBe(409);
    expect(badOrg.json().error.owner_org).toBeDefined();

    const english = await post('package_create', { name: 'english-only', owner_org: 'transport', title: 'English only', notes: 'Text', license_id: 'ogl-ontario-1.0' }, editorToken);
    expect(english.statusCode).toBe(409);
    expect(english.json().error.title_translated).toEqual(['Enter the title in French before publishing']);
    expect(english.json().error.notes_translated).toEqual(['Enter the description in French before publishing']);

    const badResource = await post('package_create', { ...complete(), name: 'bad-resource', resources: [{ name: 'Fine', url: 'https://example.test/a.csv' }, { name: 'No link' }] }, editorToken);
    expect(badResource.statusCode).toBe(409);
    expect(badResource.json().error.resources).toEqual([{}, { url: [expect.any(String)] }]);

    const badLicence = await post('package_create', { ...complete(), name: 'bad-licence', license_id: 'no-such-licence' }, editorToken);
    expect(badLicence.statusCode).toBe(409);
    expect(badLicence.json().error.license_id).toBeDefined();

    for (const name of ['english-only', 'bad-resource', 'bad-licence']) expect((await post('package_show', { id: name }, editorToken)).statusCode).toBe(404);

    const taken = await post('package_create', { ...complete(), name: 'traffic-volumes' }, editorToken);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.name).toEqual(['Another dataset already uses this short name']);
  });

  it('takes a urlencoded form with an API token, as CKAN does', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/action/package_create',
      payload: new URLSearchParams({ name: 'form-posted', owner_org: 'transport', title: 'Posted as a form', private: 'True' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: editorToken },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().result).toMatchObject({ name: 'form-posted', private: true });
  });

  it('takes JSON from a signed-in browser (the session is checked like any API call)', async () => {
    const client = new TestClient(t.app);
    await client.signIn(editor.email, editor.password);
    const response = await client.api('POST', '/api/3/action/package_create', { name: 'from-browser', owner_org: 'transport', title: 'From a browser', private: true });
    expect(response.statusCode, response.body).toBe(200);
  });
});

describe('package_update, package_patch and package_delete', () => {
  it('package_update replaces the metadata and resources; private moves it to draft and back', async () => {
    await ok('package_create', { ...complete(), name: 'to-update', resources: [{ name: 'Keep', url: 'https://example.test/keep.csv' }, { name: 'Drop', url: 'https://example.test/drop.csv' }] });
    const current = await show('to-update');
    const keep = current.resources.find((r: Dict) => r.name === 'Keep');
    const updated = await ok('package_update', {
      ...current,
      title_translated: { en: 'Updated title', fr: 'Titre mis à jour' },
      resources: [{ ...keep, name_translated: { en: 'Kept', fr: 'Gardé' } }, { name: 'New', url: 'https://example.test/new.json' }],
    });
    expect(updated.title).toBe('Updated title');
    expect(updated.revision).toBeGreaterThan(current.revision);
    expect(updated.resources.map((r: Dict) => r.name)).toEqual(['Kept', 'New']);
    expect(updated.resources[0].id).toBe(keep.id);

    // To draft, incomplete at the same time (French removed): applied after unpublishing.
    const draft = await ok('package_update', { ...updated, private: true, title_translated: { en: 'Only English now' } });
    expect(draft).toMatchObject({ state: 'draft', private: true, title_translated: { en: 'Only English now', fr: '' } });
    expect(draft.resources).toHaveLength(2); // no `resources` key would keep them; here they were sent back

    const republish = await post('package_update', { ...draft, private: false }, editorToken);
    expect(republish.statusCode).toBe(409);
    expect(republish.json().error.title_translated).toEqual(['Enter the title in French before publishing']);
    expect((await show('to-update')).state).toBe('draft');
    const published = await ok('package_update', { ...draft, private: false, title_translated: { en: 'Back', fr: 'De retour' } });
    expect(published).toMatchObject({ state: 'active', private: false, title: 'Back' });
  });

  it('package_update without resources keeps them, and refuses a stale revision with 409', async () => {
    await ok('package_create', { ...complete(), name: 'stale', resources: [{ name: 'File', url: 'https://example.test/f.csv' }] });
    const first = await show('stale');
    const { resources: _resources, ...withoutResources } = first;
    const second = await ok('package_update', { ...withoutResources, title_translated: { en: 'Second', fr: 'Deuxième' } });
    expect(second.num_resources).toBe(1);
    const stale = await post('package_update', { ...first, title_translated: { en: 'Overwrite', fr: 'Écraser' } }, editorToken);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.__type).toBe('Validation Error');
    expect(stale.json().error.revision).toBeDefined();
    expect((await show('stale')).title).toBe('Second');
  });

  it('package_update takes the plain title, notes or tags a client edited (its fluent twin sent back unchanged)', async () => {
    await ok('package_create', { ...complete(), name: 'plain-edit' });
    const current = await show('plain-edit');
    const updated = await ok('package_update', { ...current, title: 'Edited in English', tags: [{ name: 'edited' }] });
    expect(updated).toMatchObject({
      title_translated: { en: 'Edited in English', fr: 'Volumes de circulation' },
      keywords: { en: ['edited'], fr: ['circulation'] },
    });
    const both = await ok('package_update', { ...updated, title: 'Ignored', title_translated: { en: 'Fluent wins', fr: 'Le fluent gagne' } });
    expect(both.title).toBe('Fluent wins');
    const deleted = await ok('package_update', { ...both, state: 'deleted' });
    expect(deleted.state).toBe('deleted');
    expect((await post('package_show', { id: 'plain-edit' }, editorToken)).statusCode).toBe(404);
  });

  it('package_patch changes only what is given; a plain title changes the English one', async () => {
    await ok('package_create', { ...complete(), name: 'to-patch', resources: [{ name: 'R', url: 'https://example.test/r.csv' }] });
    const patched = await ok('package_patch', { id: 'to-patch', title: 'Patched title', tags: [{ name: 'patched' }] });
    expect(patched).toMatchObject({
      title_translated: { en: 'Patched title', fr: 'Volumes de circulation' },
      keywords: { en: ['patched'], fr: ['circulation'] },
      notes_translated: complete().notes_translated,
      num_resources: 1,
      state: 'active',
    });
    const hidden = await ok('package_patch', { id: patched.id, private: true });
    expect(hidden.state).toBe('draft');
    const shown = await ok('package_patch', { id: patched.id, private: false });
    expect(shown.state).toBe('active');
    const moved = await post('package_patch', { id: 'to-patch', owner_org: 'health' }, editorToken);
    expect(moved.statusCode).toBe(403); // not an editor of health
  });

  it('package_delete deletes (editors no longer see it; another organization may not)', async () => {
    await ok('package_create', { ...complete(), name: 'to-delete' });
    const refused = await post('package_delete', { id: 'to-delete' }, outsiderToken);
    expect(refused.statusCode).toBe(403);
    expect((await post('package_delete', { id: 'to-delete' })).statusCode).toBe(403);
    const deleted = await post('package_delete', { id: 'to-delete' }, editorToken);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toMatchObject({ success: true, result: null });
    expect((await post('package_show', { id: 'to-delete' }, editorToken)).statusCode).toBe(404);
    expect((await post('package_delete', { id: 'never-was' }, editorToken)).statusCode).toBe(404);
  });
});

describe('resources', () => {
  let datasetId: string;
  beforeAll(async () => {
    datasetId = (await makeDataset(t.app, transport.id, { name: 'with-resources', link: false })).id;
  });

  it('resource_create adds a link; resource_update and resource_patch change it', async () => {
    const created = await ok('resource_create', { package_id: 'with-resources', name: 'Stations', url: 'https://example.test/stations.csv' });
    expect(created).toMatchObject({ package_id: datasetId, name: 'Stations', format: 'CSV', url_type: null });
    const updated = await ok('resource_update', { ...created, name_translated: { en: 'Weather stations', fr: 'Stations météo' }, format: 'csv' });
    expect(updated).toMatchObject({ id: created.id, name: 'Weather stations', name_translated: { fr: 'Stations météo' } });
    const patched = await ok('resource_patch', { id: created.id, description: 'Where the stations are' });
    expect(patched).toMatchObject({ name: 'Weather stations', description: 'Where the stations are' });
    expect(await ok('resource_show', { id: created.id })).toMatchObject({ description: 'Where the stations are' });
  });

  it('resource_create takes a file upload (multipart, field "upload") with a token; resource_update replaces the file', async () => {
    const upload = await multipart('resource_create', [
      { name: 'package_id', value: datasetId },
      { name: 'name', value: 'Counts' },
      { name: 'upload', value: 'station,count\nA,1\nB,2\n', filename: 'counts.csv' },
    ], editorToken);
    expect(upload.statusCode, upload.body).toBe(200);
    const resource = upload.json().result;
    expect(resource).toMatchObject({ url_type: 'upload', format: 'CSV', size: 22 });
    expect(resource.url).toBe(`http://localhost:3000/en/datasets/with-resources/resources/${resource.id}/download`);
    expect(resource.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const download = await t.app.inject({ method: 'GET', url: new URL(resource.url).pathname });
    expect(download.body).toBe('station,count\nA,1\nB,2\n');

    // Sent back unchanged (its url is the download address), the upload keeps its file.
    const renamed = await ok('resource_update', { ...resource, name: 'Renamed counts' });
    expect(renamed).toMatchObject({ url_type: 'upload', hash: resource.hash, name: 'Renamed counts' });

    const replaced = await multipart('resource_update', [
      { name: 'id', value: resource.id },
      { name: 'name', value: 'Counts' },
      { name: 'upload', value: 'station,count\nC,3\n', filename: 'counts.csv' },
    ], editorToken);
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().result.hash).not.toBe(resource.hash);
  });

  it('refuses uploads without a token and multipart bodies for other actions', async () => {
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/3/action/resource_create',
      payload: `--b\r\nContent-Disposition: form-data; name="package_id"\r\n\r\n${datasetId}\r\n--b--\r\n`,
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    });
    expect(anonymous.statusCode).toBe(403);
    expect(anonymous.json().error.__type).toBe('Authorization Error');
    const other = await multipart('package_show', [{ name: 'id', value: datasetId }], editorToken);
    expect(other.statusCode).toBe(400);
  });

  it('answers 409 for a resource without a link, 404 for unknown datasets and resources, 403 without a token', async () => {
    const noUrl = await post('resource_create', { package_id: 'with-resources', name: 'Nothing' }, editorToken);
    expect(noUrl.statusCode).toBe(409);
    expect(noUrl.json().error.url).toBeDefined();
    expect((await post('resource_create', { package_id: 'no-such-dataset', name: 'X', url: 'https://example.test/x' }, editorToken)).statusCode).toBe(404);
    expect((await post('resource_update', { id: '00000000-0000-4000-8000-000000000000', name: 'X', url: 'https://example.test/x' }, editorToken)).statusCode).toBe(404);
    expect((await post('resource_create', { package_id: 'with-resources', name: 'X', url: 'https://example.test/x' })).statusCode).toBe(403);
    const missing = await post('resource_create', { name: 'X', url: 'https://example.test/x' }, editorToken);
    expect(missing.statusCode).toBe(409);
    expect(missing.json().error.package_id).toEqual(['Missing value']);
  });

  it('resource_delete removes a resource', async () => {
    const created = await ok('resource_create', { package_id: datasetId, name: 'Temporary', url: 'https://example.test/tmp.csv' });
    expect(await ok('resource_delete', { id: created.id })).toBeNull();
    expect((await post('resource_show', { id: created.id }, editorToken)).statusCode).toBe(404);
  });
});

describe('real CKAN records (ckanext-canada obd_sample_2.jsonl)', () => {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../test/data/catalogue/ckanext-canada/obd_sample_2.jsonl');
  const trimmed = (value: Dict) => Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v).trim()]));
  const records: Dict[] = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));

  it('creates each record as package_create input and gives it back through package_show and package_update', async () => {
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      const created = await ok('package_create', record);
      // Trillium gives its own id; everything a client sent comes back.
      const shown = await show(created.id);
      expect(shown).toMatchObject({
        name: record['name'],
        state: 'active',
        private: false,
        // Text is kept as sent, without surrounding spaces (as every Trillium input is).
        title_translated: trimmed(record['title_translated']),
        notes_translated: trimmed(record['notes_translated']),
        keywords: record['keywords'],
        license_id: record['license_id'],
        license_title: expect.stringMatching(/^Open Government Licence . Canada$/),
        maintainer_email: record['maintainer_email'],
        organization: { name: 'statcan', id: statcan.id },
        owner_org: statcan.id,
        num_resources: record['resources'].length,
      });
      expect(shown.title).toBe(record['title_translated'].en);
      expect(shown.resources.map((r: Dict) => [r.name_translated, r.url, r.format])).toEqual(
        record['resources'].map((r: Dict) => [r['name_translated'], r['url'], r['format']]),
      );
      // A client's show → update round trip changes nothing but the revision.
      const again = await ok('package_update', shown);
      const { revision: _a, metadata_modified: _b, ...before } = shown;
      const { revision: _c, metadata_modified: _d, ...after } = again;
      expect(after).toEqual(before);
    }
    const search = await ok('package_search', { fq: 'organization:statcan', rows: 100 });
    expect(search['count']).toBe(records.length);
  });

  // ckanext-canada names datasets by a uuid: a uuid-shaped string is looked up as an id, then as a name.
  it('finds a record by its uuid-shaped name (package_show id=<name>, fq=name:<name>)', async () => {
    const name = String(records[0]!['name']);
    expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect((await show(name)).name).toBe(name);
    const search = await ok('package_search', { fq: `name:${name}` });
    expect(search['count']).toBe(1);
    expect(search['results'][0].name).toBe(name);
  });
});
