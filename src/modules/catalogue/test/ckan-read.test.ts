import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { TestClient } from '../../../../test/support/client.js';
import { system } from '../../../kernel/auth/actor.js';
import { issueToken } from '../../../kernel/auth/tokens.js';
import type { Organization } from '../../identity/index.js';
import { makeAccount, makeOrganization, type TestAccount } from '../../identity/test/factories.js';
import { createGroup } from '../actions/groups.js';
import { addResource } from '../actions/resources.js';
import { catalogueDeps, makeDataset } from './factories.js';

/** Contract tests of the CKAN Action API's read actions: envelopes, statuses, search, facets, visibility. */

let t: TestApp;
let transport: Organization;
let health: Organization;
let editor: TestAccount;
let editorToken: string;
let healthViewerToken: string;
let superToken: string;
let restrictedResource: string;
const ctx = { actor: system, requestId: 'test' };

/** A CKAN dict as a client reads it: untyped JSON, navigated freely in assertions. */
type Dict = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

type Call = { query?: Record<string, string>; body?: unknown; form?: Record<string, string>; token?: string; bearer?: boolean; headers?: Record<string, string> };

async function ckan(method: 'GET' | 'POST', path: string, call: Call = {}): Promise<LightMyRequestResponse> {
  const query = call.query ? `?${new URLSearchParams(call.query)}` : '';
  const headers: Record<string, string> = { ...call.headers };
  if (call.token) headers['authorization'] = call.bearer ? `Bearer ${call.token}` : call.token;
  let payload: string | undefined;
  if (call.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(call.body);
  } else if (call.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(call.form).toString();
  }
  return t.app.inject({ method, url: `${path}${query}`, headers, ...(payload !== undefined ? { payload } : {}) });
}

/** The `result` of a successful call (and checks the envelope). */
async function result(action: string, query: Record<string, string> = {}, token?: string): Promise<Record<string, unknown> & { results: Array<Record<string, unknown>>; count: number }> {
  const response = await ckan('GET', `/api/3/action/${action}`, { query, ...(token ? { token } : {}) });
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json();
  expect(body.success).toBe(true);
  return body.result;
}

const names = (r: { results: Array<Record<string, unknown>> }) => r.results.map((d) => d['name']).sort();

async function token(accountId: string, scopes = ['catalogue:read', 'catalogue:write']): Promise<string> {
  return (await issueToken(t.database.db, { accountId, name: 'ckan', scopes, expiresAt: new Date(Date.now() + 86_400_000) })).secret;
}

beforeAll(async () => {
  t = await createTestApp();
  transport = await makeOrganization(t.app, 'transport');
  health = await makeOrganization(t.app, 'health');
  const deps = catalogueDeps(t.app);
  await createGroup(deps, ctx, { name: 'roads', titleEn: 'Roads and highways', titleFr: 'Routes et autoroutes' });
  await createGroup(deps, ctx, { name: 'safety', titleEn: 'Safety', titleFr: 'Sécurité' });
  await makeDataset(t.app, transport.id, { name: 'road-collisions', keywordsEn: 'roads, safety', groups: ['roads'] });
  await makeDataset(t.app, transport.id, {
    name: 'winter-maintenance',
    titleEn: 'Winter road maintenance',
    titleFr: 'Entretien hivernal',
    keywordsEn: 'roads, snow',
    groups: ['roads', 'safety'],
    licenceId: 'cc-by-4.0',
    link: false,
  });
  await addResource(deps, ctx, 'winter-maintenance', { kind: 'link', nameEn: 'Plough routes', nameFr: 'Itinéraires', url: 'https://data.example.ca/routes.json' });
  const restricted = await makeDataset(t.app, health.id, {
    name: 'hospital-incidents',
    titleEn: 'Aardvark hospital incidents',
    keywordsEn: 'hospitals',
    accessLevel: 'restricted',
    exemptionReasonEn: 'Personal health information',
    exemptionReasonFr: 'Renseignements personnels sur la santé',
    link: false,
  });
  restrictedResource = (await addResource(deps, ctx, restricted.id, { kind: 'link', nameEn: 'Incidents', url: 'https://data.example.ca/incidents.csv' })).id;
  await makeDataset(t.app, transport.id, { name: 'transport-draft', publish: false });
  await makeDataset(t.app, health.id, { name: 'health-draft', publish: false });
  editor = await makeAccount(t.app, { roles: [[transport.id, ['editor']]] });
  editorToken = await token(editor.id);
  healthViewerToken = await token((await makeAccount(t.app, { roles: [[health.id, ['viewer']]] })).id, ['catalogue:read']);
  superToken = await token((await makeAccount(t.app, { superadmin: true })).id);
});
afterAll(async () => t?.close());

describe('envelope, addresses and methods', () => {
  it('answers {help, success, result} at /api/3/action and /api/action, by GET and by POST', async () => {
    for (const prefix of ['/api/3/action', '/api/action']) {
      const get = await ckan('GET', `${prefix}/package_show`, { query: { id: 'road-collisions' } });
      expect(get.statusCode).toBe(200);
      expect(get.headers['content-type']).toMatch(/^application\/json/);
      const body = get.json();
      expect(body).toMatchObject({ success: true, help: 'http://localhost:3000/api/3/action/help_show?name=package_show' });
      expect(body.result.name).toBe('road-collisions');
      const post = await ckan('POST', `${prefix}/package_show`, { body: { id: 'road-collisions' } });
      expect(post.statusCode).toBe(200);
      expect(post.json().result.id).toBe(body.result.id);
    }
  });

  it('takes parameters from a urlencoded form without a session, and from a JSON document sent as a form field (old clients)', async () => {
    const form = await ckan('POST', '/api/3/action/package_show', { form: { id: 'road-collisions' } });
    expect(form.statusCode).toBe(200);
    expect(form.json().result.name).toBe('road-collisions');
    const legacy = await ckan('POST', '/api/3/action/package_show', { form: { [JSON.stringify({ id: 'winter-maintenance' })]: '' } });
    expect(legacy.statusCode).toBe(200);
    expect(legacy.json().result.name).toBe('winter-maintenance');
  });

  it('refuses a form post made with a browser session (cross-site forms carry cookies), but takes JSON from one', async () => {
    const client = new TestClient(t.app);
    await client.signIn(editor.email, editor.password);
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const form = await ckan('POST', '/api/3/action/package_show', { form: { id: 'road-collisions' }, headers: { cookie } });
    expect(form.statusCode).toBe(415);
    expect(form.json()).toMatchObject({ success: false, error: { __type: 'Bad Request' } });
    const json = await ckan('POST', '/api/3/action/package_show', { body: { id: 'transport-draft' }, headers: { cookie } });
    expect(json.statusCode).toBe(200);
  });

  it('answers 400 for an unknown action and for a write action called with GET', async () => {
    const unknown = await ckan('GET', '/api/3/action/package_frobnicate');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ success: false, error: { __type: 'Bad Request', message: 'Bad request - Action name not known: package_frobnicate' } });
    const get = await ckan('GET', '/api/3/action/package_delete', { query: { id: 'road-collisions' }, token: editorToken });
    expect(get.statusCode).toBe(400);
    expect(get.json().error.message).toContain('Please use POST');
    expect((await ckan('GET', '/api/action/package_show', { query: { id: 'road-collisions' } })).statusCode).toBe(200); // still there
  });

  it('answers 404 "Not Found Error" for unknown ids, and for drafts the caller may not see', async () => {
    for (const id of ['no-such-dataset', '00000000-0000-4000-8000-000000000000', 'transport-draft']) {
      const response = await ckan('GET', '/api/3/action/package_show', { query: { id } });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ success: false, error: { __type: 'Not Found Error', message: 'Not found' } });
    }
    expect((await ckan('GET', '/api/3/action/package_show', { query: { id: 'transport-draft' }, token: editorToken })).statusCode).toBe(200);
    expect((await ckan('GET', '/api/3/action/package_show', { query: { id: 'health-draft' }, token: editorToken })).statusCode).toBe(404);
    expect((await ckan('GET', '/api/3/action/organization_show', { query: { id: 'nowhere' } })).statusCode).toBe(404);
    expect((await ckan('GET', '/api/3/action/resource_show', { query: { id: 'not-a-uuid' } })).statusCode).toBe(404);
  });

  it('answers 409 "Validation Error" naming the parameter for a missing id or a malformed number', async () => {
    const missing = await ckan('GET', '/api/3/action/package_show');
    expect(missing.statusCode).toBe(409);
    expect(missing.json().error).toMatchObject({ __type: 'Validation Error', id: ['Missing value'] });
    const rows = await ckan('GET', '/api/3/action/package_search', { query: { rows: 'many' } });
    expect(rows.statusCode).toBe(409);
    expect(rows.json().error.rows).toEqual(['Invalid integer']);
    const start = await ckan('GET', '/api/3/action/package_search', { query: { start: '-5' } });
    expect(start.json().error.start).toEqual(['Must be a natural number']);
    const facets = await ckan('GET', '/api/3/action/package_search', { query: { 'facet.field': '["tags"' } });
    expect(facets.statusCode).toBe(409);
    expect(facets.json().error['facet.field']).toBeDefined();
  });

  it('accepts the raw token CKAN clients send and the Bearer form, and refuses an unknown token with 403', async () => {
    const raw = await result('package_search', { include_private: 'true', fq: 'organization:transport' }, editorToken);
    expect(names(raw)).toContain('transport-draft');
    const bearer = await ckan('GET', '/api/3/action/package_search', { query: { include_private: 'True', fq: 'organization:transport' }, token: editorToken, bearer: true });
    expect(names(bearer.json().result)).toContain('transport-draft');
    const unknown = await ckan('GET', '/api/3/action/package_search', { token: 'trl_not-a-real-token' });
    expect(unknown.statusCode).toBe(403);
    expect(unknown.json()).toMatchObject({ success: false, error: { __type: 'Authorization Error' } });
  });
});

describe('package_show', () => {
  it('gives a CKAN package dict with fluent fields beside the plain ones and Trillium’s own fields', async () => {
    const pkg = (await result('package_show', { id: 'winter-maintenance' })) as Dict;
    expect(pkg).toMatchObject({
      name: 'winter-maintenance',
      title: 'Winter road maintenance',
      title_translated: { en: 'Winter road maintenance', fr: 'Entretien hivernal' },
      notes: 'Collisions on provincial highways, by month.',
      notes_translated: { fr: 'Collisions sur les autoroutes provinciales, par mois.' },
      type: 'dataset',
      state: 'active',
      private: false,
      owner_org: transport.id,
      organization: { id: transport.id, name: 'transport', title: 'Ministry transport', title_translated: { fr: 'Ministère transport' } },
      license_id: 'cc-by-4.0',
      isopen: true,
      tags: [{ name: 'roads' }, { name: 'snow' }],
      num_tags: 2,
      keywords: { en: ['roads', 'snow'], fr: ['routes', 'sécurité'] },
      num_resources: 1,
      access_level: 'open',
    });
    expect(pkg.license_title).toMatch(/Creative Commons/i);
    expect(pkg.groups.map((g: { name: string }) => g.name).sort()).toEqual(['roads', 'safety']);
    expect(pkg.groups[0].title_translated.fr).toBeTruthy();
    expect(pkg.metadata_created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+$/);
    expect(pkg.resources[0]).toMatchObject({
      package_id: pkg.id,
      name: 'Plough routes',
      name_translated: { en: 'Plough routes', fr: 'Itinéraires' },
      format: 'JSON',
      url: 'https://data.example.ca/routes.json',
      url_type: null,
      datastore_active: false,
      position: 0,
    });
  });

  it('finds a dataset by id as well as by name; a draft is private and in state "draft"', async () => {
    const byName = await result('package_show', { id: 'transport-draft' }, editorToken);
    expect(byName).toMatchObject({ state: 'draft', private: true });
    const byId = await result('package_show', { id: byName['id'] as string }, editorToken);
    expect(byId['name']).toBe('transport-draft');
  });

  it('lists a restricted dataset (the inventory) but its resources only for its organization', async () => {
    const anonymousView = await result('package_show', { id: 'hospital-incidents' });
    expect(anonymousView).toMatchObject({ access_level: 'restricted', num_resources: 0, resources: [], isopen: false });
    expect((anonymousView['exemption_reason_translated'] as { en: string }).en).toBe('Personal health information');
    const memberView = await result('package_show', { id: 'hospital-incidents' }, healthViewerToken);
    expect(memberView['num_resources']).toBe(1);
  });
});

describe('package_search', () => {
  it('searches published datasets, 10 by default, with count, results, facets and search_facets', async () => {
    const all = await result('package_search');
    expect(all.count).toBe(3);
    expect(names(all)).toEqual(['hospital-incidents', 'road-collisions', 'winter-maintenance']);
    expect(all['facets']).toEqual({});
    expect(all['search_facets']).toEqual({});
    expect(all['sort']).toBe('score desc, metadata_modified desc');
    const text = await result('package_search', { q: 'winter' });
    expect(names(text)).toEqual(['winter-maintenance']);
    const everything = await result('package_search', { q: '*:*' });
    expect(everything.count).toBe(3);
  });

  it('runs fq clauses: several fields, quoted values, alternatives, negation, names and dataset type', async () => {
    const cases: Array<[string, string[]]> = [
      ['organization:transport', ['road-collisions', 'winter-maintenance']],
      ['organization:transport tags:snow', ['winter-maintenance']],
      ['+organization:transport AND +groups:safety', ['winter-maintenance']],
      ['license_id:"cc-by-4.0"', ['winter-maintenance']],
      ['groups:(roads OR safety)', ['road-collisions', 'winter-maintenance']],
      ['tags:roads OR tags:hospitals', ['hospital-incidents', 'road-collisions', 'winter-maintenance']],
      ['-organization:transport', ['hospital-incidents']],
      ['NOT access_level:open', ['hospital-incidents']],
      ['access_level:restricted', ['hospital-incidents']],
      ['res_format:CSV', ['hospital-incidents', 'road-collisions']],
      ['res_format:json', ['winter-maintenance']],
      [`owner_org:${transport.id} tags:safety`, ['road-collisions']],
      ['name:road-collisions', ['road-collisions']],
      ['name:(road-collisions OR winter-maintenance) tags:snow', ['winter-maintenance']],
      ['name:road-collisions organization:health', []],
      ['name:transport-draft', []],
      ['dataset_type:dataset organization:health', ['hospital-incidents']],
      ['dataset_type:harvest', []],
      ['organization:transport organization:health', []],
    ];
    for (const [fq, expected] of cases) expect(names(await result('package_search', { fq })), fq).toEqual(expected);
    const list = await ckan('POST', '/api/3/action/package_search', { body: { fq_list: ['organization:transport', 'tags:snow'] } });
    expect(names(list.json().result)).toEqual(['winter-maintenance']);
    expect(names(await result('package_search', { q: 'tags:roads winter' }))).toEqual(['winter-maintenance']);
  });

  it('answers 400 "Search Query Error" for filters it cannot run faithfully', async () => {
    for (const fq of ['color:blue', 'organization:trans*', 'metadata_modified:[2020-01-01T00:00:00Z TO *]', 'tags:roads tags:snow', '-tags:roads', 'organization:"transport', 'tags:roads OR organization:health']) {
      const response = await ckan('GET', '/api/3/action/package_search', { query: { fq } });
      expect(response.statusCode, fq).toBe(400);
      expect(response.json().error.__type).toBe('Search Query Error');
      expect(response.json().error.message).toMatch(/^Search Query is invalid: /);
    }
  });

  it('sorts as CKAN clients ask, and refuses a sort it does not know', async () => {
    expect((await result('package_search', { sort: 'title_string asc' })).results.map((d) => d['title'])).toEqual([
      'Aardvark hospital incidents',
      'Road collisions road-collisions',
      'Winter road maintenance',
    ]);
    const newest = await result('package_search', { sort: 'metadata_modified desc' });
    const times = newest.results.map((d) => d['metadata_modified'] as string);
    expect([...times].sort().reverse()).toEqual(times);
    expect((await result('package_search', { sort: 'views_recent desc' })).count).toBe(3);
    const bad = await ckan('GET', '/api/3/action/package_search', { query: { sort: 'metadata_created asc' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.__type).toBe('Search Query Error');
  });

  it('counts facets for the fields asked (a JSON list), at most facet.limit values each', async () => {
    const r = await result('package_search', { 'facet.field': JSON.stringify(['organization', 'groups', 'tags', 'res_format', 'license_id', 'access_level', 'unknown_field']) });
    expect(r['facets']).toMatchObject({
      organization: { transport: 2, health: 1 },
      groups: { roads: 2, safety: 1 },
      tags: { roads: 2, safety: 1, snow: 1, hospitals: 1 },
      res_format: { CSV: 2, JSON: 1 },
      license_id: { 'ogl-ontario-1.0': 2, 'cc-by-4.0': 1 },
      access_level: { open: 2, restricted: 1 },
      unknown_field: {},
    });
    const search = r['search_facets'] as Record<string, { title: string; items: Array<{ name: string; display_name: string; count: number }> }>;
    expect(search['organization']).toEqual({
      title: 'organization',
      items: [
        { name: 'transport', display_name: 'Ministry transport', count: 2 },
        { name: 'health', display_name: 'Ministry health', count: 1 },
      ],
    });
    expect(search['groups']!.items[0]).toEqual({ name: 'roads', display_name: 'Roads and highways', count: 2 });
    expect(search['license_id']!.items.find((i) => i.name === 'cc-by-4.0')!.display_name).toMatch(/Creative Commons/i);

    const limited = await result('package_search', { 'facet.field': '["tags"]', 'facet.limit': '1', rows: '0' });
    expect(limited['facets']).toEqual({ tags: { roads: 2 } });
    expect(limited.results).toEqual([]);
    expect(limited.count).toBe(3);
    const unlimited = await result('package_search', { 'facet.field': '["tags"]', 'facet.limit': '-1' });
    expect(Object.keys((unlimited['facets'] as Record<string, object>)['tags']!)).toHaveLength(4);
    const filtered = await result('package_search', { 'facet.field': '["organization"]', fq: 'tags:snow' });
    expect(filtered['facets']).toEqual({ organization: { transport: 1 } });
  });

  it('includes with include_private only the drafts the caller may see', async () => {
    const q = (tokenValue?: string) => result('package_search', { include_private: 'true' }, tokenValue);
    expect(names(await q())).not.toContain('transport-draft');
    const editorView = names(await q(editorToken));
    expect(editorView).toContain('transport-draft');
    expect(editorView).not.toContain('health-draft');
    expect(names(await q(healthViewerToken))).not.toContain('health-draft'); // viewers do not see drafts
    const superView = names(await q(superToken));
    expect(superView).toEqual(expect.arrayContaining(['transport-draft', 'health-draft']));
    expect(names(await result('package_search', {}, editorToken))).not.toContain('transport-draft'); // only when asked
    const draft = (await result('package_search', { include_private: 'true', fq: 'name:transport-draft' }, editorToken)).results[0]!;
    expect(draft).toMatchObject({ state: 'draft', private: true });
  });
});

describe('lists and other read actions', () => {
  it('package_list gives the names of published datasets, with limit and offset', async () => {
    const list = (await result('package_list')) as unknown as string[];
    expect([...list].sort()).toEqual(['hospital-incidents', 'road-collisions', 'winter-maintenance']);
    const page = (await result('package_list', { limit: '1', offset: '1' })) as unknown as string[];
    expect(page).toEqual([list[1]]);
  });

  it('organization_list gives names, or dicts with package counts with all_fields; organization_show one organization', async () => {
    const list = (await result('organization_list')) as unknown as string[];
    expect(list).toEqual(expect.arrayContaining(['health', 'transport']));
    const dicts = (await result('organization_list', { all_fields: 'true', sort: 'package_count desc' })) as unknown as Array<Record<string, unknown>>;
    expect(dicts[0]).toMatchObject({ name: 'transport', package_count: 2, is_organization: true, title_translated: { en: 'Ministry transport', fr: 'Ministère transport' } });
    const only = (await result('organization_list', { organizations: '["health"]', all_fields: 'true' })) as unknown as Array<Record<string, unknown>>;
    expect(only.map((o) => o['name'])).toEqual(['health']);
    const byId = await result('organization_show', { id: transport.id });
    expect(byId).toMatchObject({ name: 'transport', package_count: 2 });
    expect(byId['packages']).toBeUndefined();
    const withDatasets = await result('organization_show', { id: 'transport', include_datasets: 'true' });
    expect((withDatasets['packages'] as Array<{ name: string }>).map((p) => p.name).sort()).toEqual(['road-collisions', 'winter-maintenance']);
    const badSort = await ckan('GET', '/api/3/action/organization_list', { query: { sort: 'colour asc' } });
    expect(badSort.statusCode).toBe(409);
  });

  it('group_list and tag_list', async () => {
    expect(await result('group_list')).toEqual(['roads', 'safety']);
    const groups = (await result('group_list', { all_fields: 'true' })) as unknown as Array<Record<string, unknown>>;
    expect(groups[0]).toMatchObject({ name: 'roads', title: 'Roads and highways', package_count: 2, is_organization: false });
    expect(await result('tag_list')).toEqual(['hospitals', 'roads', 'safety', 'snow']);
    expect(await result('tag_list', { query: 'sn' })).toEqual(['snow']);
  });

  it('resource_show gives a resource by id, when the caller may see it', async () => {
    const pkg = (await result('package_show', { id: 'road-collisions' })) as Dict;
    const resource = await result('resource_show', { id: pkg.resources[0].id });
    expect(resource).toMatchObject({ id: pkg.resources[0].id, package_id: pkg.id, url: 'https://data.example.ca/collisions.csv', format: 'CSV' });
    expect((await ckan('GET', '/api/3/action/resource_show', { query: { id: restrictedResource } })).statusCode).toBe(404);
    expect((await ckan('GET', '/api/3/action/resource_show', { query: { id: restrictedResource }, token: editorToken })).statusCode).toBe(404);
    expect((await ckan('GET', '/api/3/action/resource_show', { query: { id: restrictedResource }, token: healthViewerToken })).statusCode).toBe(200);
  });

  it('serves the datastore’s actions through the same door (GET allowed for searches)', async () => {
    const response = await ckan('GET', '/api/3/action/datastore_search', { query: { resource_id: '00000000-0000-4000-8000-000000000000' } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ success: false, help: 'http://localhost:3000/api/3/action/help_show?name=datastore_search', error: { __type: 'Not Found Error' } });
  });

  it('is described in the OpenAPI document under the "ckan" tag', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of ['/api/3/action/{action}', '/api/action/{action}']) {
      expect(doc.paths[path].get.tags).toEqual(['ckan']);
      expect(doc.paths[path].post.summary).toMatch(/CKAN Action API/);
      expect(doc.paths[path].post.description).toContain('package_search');
    }
  });

  it('status_show and help_show', async () => {
    expect(await result('status_show')).toMatchObject({ ckan_version: '2.10.0', site_url: 'http://localhost:3000', locales_offered: ['en', 'fr'] });
    expect(await result('help_show', { name: 'package_search' })).toMatch(/facet\.field/);
  });
});
