import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { TestClient } from '../../../../test/support/client.js';
import { auditLog } from '../../../kernel/audit/index.js';
import { system } from '../../../kernel/auth/actor.js';
import { Conflict, InputError } from '../../../kernel/errors/index.js';
import type { Organization } from '../../identity/index.js';
import { makeAccount, makeOrganization, type TestAccount } from '../../identity/test/factories.js';
import { addResource } from '../actions/resources.js';
import { checkStandardId, getStandard, listStandards, registerStandard, tableSchemaProblem } from '../actions/standards.js';
import { findStandard } from '../data/standards.js';
import { catalogueDeps, makeDataset } from './factories.js';

let t: TestApp;
let org: Organization;
let other: Organization;
let editor: TestAccount;
let editorClient: TestClient;
const sys = { actor: system, requestId: 'test' };

const waitTimes = {
  fields: [
    { name: 'office', type: 'string', title: 'Service office', constraints: { required: true } },
    { name: 'month', type: 'yearmonth' },
    { name: 'median_minutes', type: 'number', description: 'Median wait' },
    { name: 'notes' },
  ],
  primaryKey: ['office', 'month'],
  missingValues: ['', 'NA'],
};

const form = (overrides: Record<string, string> = {}) => ({
  organizationId: org.id,
  name: 'service-wait-times',
  version: '1.0.0',
  titleEn: 'Service wait times',
  titleFr: 'Temps d’attente des services',
  descriptionEn: 'Median wait per office and month.',
  descriptionFr: 'Attente médiane par bureau et par mois.',
  schema: JSON.stringify(waitTimes),
  ...overrides,
});

beforeAll(async () => {
  t = await createTestApp();
  org = await makeOrganization(t.app, 'service-ontario');
  other = await makeOrganization(t.app, 'finance');
  editor = await makeAccount(t.app, { roles: [[org.id, ['editor']]] });
  editorClient = new TestClient(t.app);
  await editorClient.signIn(editor.email, editor.password);
});
afterAll(async () => t?.close());

describe('checking a Table Schema', () => {
  const problem = (value: unknown) => tableSchemaProblem(value)?.messageKey.replace('catalogue.standards.errors.schema.', '');
  const params = (value: unknown) => tableSchemaProblem(value)?.params;

  it('accepts a well-formed schema (a field without a type is a string, as the specification says)', () => {
    expect(tableSchemaProblem(waitTimes)).toBeNull();
    expect(tableSchemaProblem({ fields: [{ name: 'a' }], foreignKeys: [{ fields: 'a', reference: { resource: '', fields: 'id' } }] })).toBeNull();
  });

  it('refuses what is not a schema, naming the problem and the field', () => {
    expect(problem([])).toBe('object');
    expect(problem('fields')).toBe('object');
    expect(problem({})).toBe('fields');
    expect(problem({ fields: [] })).toBe('fields');
    expect(problem({ fields: ['a'] })).toBe('fieldObject');
    expect(problem({ fields: [{ name: 'a' }, { type: 'string' }] })).toBe('fieldName');
    expect(params({ fields: [{ name: 'a' }, { type: 'string' }] })).toEqual({ position: 2 });
    expect(problem({ fields: [{ name: 'a' }, { name: 'a' }] })).toBe('fieldDuplicate');
    expect(problem({ fields: [{ name: 'when', type: 'timestamp' }] })).toBe('fieldType');
    expect(params({ fields: [{ name: 'when', type: 'timestamp' }] })).toMatchObject({ name: 'when', type: 'timestamp' });
    expect(problem({ fields: [{ name: 'a', format: 3 }] })).toBe('fieldFormat');
    expect(problem({ fields: [{ name: 'a', constraints: [] }] })).toBe('constraints');
    expect(problem({ fields: [{ name: 'a' }], primaryKey: 'b' })).toBe('primaryKey');
    expect(problem({ fields: [{ name: 'a' }], primaryKey: [1] })).toBe('primaryKeyShape');
    expect(problem({ fields: [{ name: 'a' }], foreignKeys: {} })).toBe('foreignKeyShape');
    expect(problem({ fields: [{ name: 'a' }], foreignKeys: [{ fields: 'b', reference: { fields: 'id' } }] })).toBe('foreignKey');
    expect(problem({ fields: [{ name: 'a' }], missingValues: [null] })).toBe('missingValues');
  });
});

describe('registering a standard', () => {
  it('an editor registers a version through the form; anyone can read it, with its columns', async () => {
    const formPage = await editorClient.get('/en/data-standards/new');
    expect(formPage.statusCode).toBe(200);
    const response = await editorClient.post('/en/data-standards/new', form(), { csrfFrom: '/en/data-standards/new' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/en/data-standards/service-wait-times/versions/1.0.0?notice=registered');
    const page = await new TestClient(t.app).get('/fr/data-standards/service-wait-times');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Temps d’attente des services');
    expect(page.body).toContain('median_minutes');
    expect(page.body).toContain('yearmonth');
    expect(page.body).toContain('office, month'); // primary key
    const list = await new TestClient(t.app).get('/en/data-standards');
    expect(list.body).toContain('Service wait times');
    expect(list.body).not.toContain('Register a standard'); // anonymous
    expect((await editorClient.get('/en/data-standards')).body).toContain('Register a standard');
    const [entry] = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'catalogue.standard.registered'));
    expect(entry).toMatchObject({ organizationId: org.id, details: { name: 'service-wait-times', version: '1.0.0', fields: 4 } });
  });

  it('shows what is wrong with the schema, and keeps everything typed', async () => {
    const broken = '{"fields": [{"name": "a", "type": "text"}]}';
    const response = await editorClient.post('/en/data-standards/new', form({ name: 'broken', schema: broken }), { csrfFrom: '/en/data-standards/new' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('href="#schema"');
    expect(response.body).toContain('Field “a” has the type “text”, which Table Schema does not know.');
    expect(response.body).toContain('{&quot;fields&quot;: [{&quot;name&quot;: &quot;a&quot;, &quot;type&quot;: &quot;text&quot;}]}');
    expect(response.body).toContain('value="Service wait times"');
    const notJson = await editorClient.post('/fr/data-standards/new', form({ name: 'broken', schema: '{fields: [' }), { csrfFrom: '/fr/data-standards/new' });
    expect(notJson.statusCode).toBe(422);
    expect(notJson.body).toContain('Le Table Schema n’est pas du JSON valide.');
    const empty = await editorClient.post('/en/data-standards/new', {}, { csrfFrom: '/en/data-standards/new' });
    expect(empty.body).toContain('Enter a short name');
    expect(empty.body).toContain('Enter the Table Schema');
  });

  it('keeps each version as registered: the same version again is refused, a new one is a new row', async () => {
    const deps = catalogueDeps(t.app);
    const first = await registerStandard(deps, sys, form({ name: 'road-closures', version: '1' }));
    const again = await registerStandard(deps, sys, form({ name: 'road-closures', version: '1', titleEn: 'Changed' })).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(Conflict);
    expect((again as Conflict).field).toBe('version');
    expect((await findStandard(t.database.db, first.id))!.title.en).toBe('Service wait times');
    const second = await registerStandard(deps, sys, form({ name: 'road-closures', version: '2', schema: JSON.stringify({ fields: [{ name: 'road', type: 'string' }] }) }));
    expect(second.id).not.toBe(first.id);
    const detail = await getStandard(deps, sys, 'road-closures');
    expect(detail.standard.version).toBe('2');
    expect(detail.versions.map((v) => v.version)).toEqual(['2', '1']);
    expect((await listStandards(deps)).find((s) => s.name === 'road-closures')).toMatchObject({ version: '2', versions: 2 });
    const old = await new TestClient(t.app).get('/en/data-standards/road-closures/versions/1');
    expect(old.body).toContain('This is an older version. The latest is 2.');
    const page = await editorClient.post('/en/data-standards/new', form({ name: 'road-closures', version: '2' }), { csrfFrom: '/en/data-standards/new' });
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('Version 2 of this standard is already registered.');
  });

  it('a name belongs to the organization that registered it first', async () => {
    const outsider = await makeAccount(t.app, { roles: [[other.id, ['editor']]] });
    const client = new TestClient(t.app);
    await client.signIn(outsider.email, outsider.password);
    const taken = await client.post('/en/data-standards/new', form({ organizationId: other.id, version: '9' }), { csrfFrom: '/en/data-standards/new' });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('Another organization already uses this short name');
    const forOtherOrg = await client.api('POST', '/api/v1/data-standards', { ...form({ name: 'sneaky' }), schema: waitTimes });
    expect(forOtherOrg.statusCode).toBe(403);
  });

  it('residents may read but not register; anonymous people are sent to sign in', async () => {
    const resident = await makeAccount(t.app);
    const client = new TestClient(t.app);
    await client.signIn(resident.email, resident.password);
    expect((await client.get('/en/data-standards/new')).statusCode).toBe(403);
    const anonymous = await new TestClient(t.app).get('/en/data-standards/new');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toContain('/en/sign-in');
  });

  it('offers a new version prefilled from an existing one', async () => {
    const deps = catalogueDeps(t.app);
    const base = await registerStandard(deps, sys, form({ name: 'prefill', version: '1' }));
    const page = await editorClient.get(`/en/data-standards/new?from=${base.id}`);
    expect(page.body).toContain('value="prefill"');
    expect(page.body).toContain('median_minutes');
  });
});

describe('resources that follow a standard', () => {
  it('lists the published datasets whose resources declare it, and refuses an unknown standard id', async () => {
    const deps = catalogueDeps(t.app);
    const standard = await registerStandard(deps, sys, form({ name: 'beach-water', version: '2024' }));
    const dataset = await makeDataset(t.app, org.id, { link: false });
    const draft = await makeDataset(t.app, org.id, { publish: false, link: false });
    await addResource(deps, sys, dataset.name, { kind: 'link', nameEn: 'Samples', url: 'https://example.test/s.csv', standardId: standard.id });
    await addResource(deps, sys, draft.name, { kind: 'link', nameEn: 'Samples', url: 'https://example.test/s.csv', standardId: standard.id });
    const detail = await getStandard(deps, sys, standard.id);
    expect(detail.usedBy).toEqual([{ name: dataset.name, title: dataset.title }]);
    const page = await new TestClient(t.app).get('/en/data-standards/beach-water');
    expect(page.body).toContain(`href="/en/datasets/${dataset.name}"`);
    await expect(checkStandardId(deps, standard.id)).resolves.toBeUndefined();
    await expect(checkStandardId(deps, '00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(InputError);
  });
});

describe('JSON API', () => {
  it('registers with the schema as an object or as text, and serves versions and the bare Table Schema', async () => {
    const created = await editorClient.api('POST', '/api/v1/data-standards', { ...form({ name: 'api-standard', version: '1.0' }), schema: waitTimes });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'api-standard', version: '1.0', schema: waitTimes, organization: { id: org.id } });
    const asText = await editorClient.api('POST', '/api/v1/data-standards', form({ name: 'api-standard', version: '1.1' }));
    expect(asText.statusCode).toBe(201);
    const bad = await editorClient.api('POST', '/api/v1/data-standards', { ...form({ name: 'api-standard', version: '1.2' }), schema: { fields: [{ type: 'string' }] } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([{ field: 'schema', rule: 'tableSchema', message: 'Field 1 needs a name' }]);
    const anonymous = new TestClient(t.app);
    const list = (await anonymous.api('GET', '/api/v1/data-standards')).json();
    expect(list.items.find((s: { name: string }) => s.name === 'api-standard')).toMatchObject({ version: '1.1', versions: 2 });
    const latest = (await anonymous.api('GET', '/api/v1/data-standards/api-standard')).json();
    expect(latest.standard.version).toBe('1.1');
    const byId = (await anonymous.api('GET', `/api/v1/data-standards/${created.json().id}`)).json();
    expect(byId.standard.version).toBe('1.0');
    const one = (await anonymous.api('GET', '/api/v1/data-standards/api-standard/versions/1.0')).json();
    expect(one.latest).toBe(false);
    const bare = await anonymous.api('GET', '/api/v1/data-standards/api-standard/versions/1.0/schema');
    expect(bare.json()).toEqual(waitTimes);
    expect((await anonymous.api('GET', '/api/v1/data-standards/api-standard/versions/9')).statusCode).toBe(404);
    expect((await anonymous.api('POST', '/api/v1/data-standards', { ...form({ name: 'x-anon' }), schema: waitTimes })).statusCode).toBe(401);
  });
});
