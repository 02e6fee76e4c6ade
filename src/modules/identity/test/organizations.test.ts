import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, lastEmail, linkIn, pathOf, type TestApp } from '../../../../test/support/app.js';
import { TestClient } from '../../../../test/support/client.js';
import type { Organization } from '../index.js';
import { makeAccount, makeOrganization, type TestAccount } from './factories.js';

let t: TestApp;
let org: Organization;
let admin: TestAccount;
let adminClient: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  org = await makeOrganization(t.app, 'transport');
  admin = await makeAccount(t.app, { roles: [[org.id, ['admin']]], name: 'Ada Admin' });
  adminClient = new TestClient(t.app);
  await adminClient.signIn(admin.email, admin.password);
});
afterAll(async () => t?.close());

describe('organizations', () => {
  it('a superadmin creates an organization with bilingual names; both languages are required', async () => {
    const root = await makeAccount(t.app, { superadmin: true });
    const client = new TestClient(t.app);
    await client.signIn(root.email, root.password);
    const missing = await client.post('/en/organizations/new', { slug: 'health', nameEn: 'Ministry of Health', kind: 'ministry' }, { csrfFrom: '/en/organizations/new' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Enter the name in French');
    expect(missing.body).toContain('value="Ministry of Health"');
    const badSlug = await client.post('/en/organizations/new', { slug: 'Bad Slug', nameEn: 'A', nameFr: 'B', kind: 'ministry' }, { csrfFrom: '/en/organizations/new' });
    expect(badSlug.body).toContain('Short name must be 2 to 60 lower-case letters');
    const created = await client.post('/en/organizations/new', { slug: 'health', nameEn: 'Ministry of Health', nameFr: 'Ministère de la Santé', kind: 'ministry', parentId: org.id }, { csrfFrom: '/en/organizations/new' });
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/en/organizations/health');
    const taken = await client.post('/en/organizations/new', { slug: 'health', nameEn: 'X', nameFr: 'Y', kind: 'agency' }, { csrfFrom: '/en/organizations/new' });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('already used by another organization');
    const page = await new TestClient(t.app).get('/fr/organizations/health');
    expect(page.body).toContain('Ministère de la Santé');
    expect(page.body).toContain('href="/fr/organizations/transport"'); // its parent
  });

  it('finds organizations in either language, with French stemming', async () => {
    await makeOrganization(t.app, 'finances');
    const anyone = new TestClient(t.app);
    const fr = await anyone.get('/fr/organizations?q=ministères');
    expect(fr.statusCode).toBe(200);
    expect(fr.body).toContain('/fr/organizations/finances');
    const api = await anyone.api('GET', '/api/v1/organizations?q=transport');
    expect(api.json().items.map((o: Organization) => o.slug)).toContain('transport');
  });

  it('an organization admin edits names but cannot move the organization; a loop is refused', async () => {
    const edit = await adminClient.post('/en/organizations/transport/edit', { nameEn: 'Ministry of Transportation', nameFr: 'Ministère des Transports', kind: 'ministry' }, { csrfFrom: '/en/organizations/transport/edit' });
    expect(edit.statusCode).toBe(303);
    const moved = await adminClient.api('PATCH', '/api/v1/organizations/transport', { nameEn: 'Ministry of Transportation', nameFr: 'Ministère des Transports', kind: 'ministry', parentId: org.id });
    expect(moved.statusCode).toBe(403);
    const root = await makeAccount(t.app, { superadmin: true });
    const superClient = new TestClient(t.app);
    await superClient.signIn(root.email, root.password);
    const health = await superClient.api('GET', '/api/v1/organizations/health');
    const loop = await superClient.api('PATCH', '/api/v1/organizations/transport', { nameEn: 'T', nameFr: 'T', kind: 'ministry', parentId: health.json().organization.id });
    expect(loop.statusCode).toBe(422);
    expect(loop.json().errors[0]).toMatchObject({ field: 'parentId', rule: 'loop' });
  });
});

describe('members and invitations', () => {
  it('an admin invites a new person, who creates an account from the link and joins', async () => {
    const invite = await adminClient.post('/en/organizations/transport/members/invite', { email: 'new.staff@example.test', roles: 'editor' }, { csrfFrom: '/en/organizations/transport/members/invite' });
    expect(invite.statusCode).toBe(303);
    const again = await adminClient.post('/en/organizations/transport/members/invite', { email: 'NEW.STAFF@example.test', roles: 'viewer' }, { csrfFrom: '/en/organizations/transport/members/invite' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('already has an invitation waiting');

    const email = await lastEmail(t.database, 'new.staff@example.test');
    expect(email?.subject).toContain('Ministry');
    const link = pathOf(linkIn(email!.body));
    const newcomer = new TestClient(t.app);
    const page = await newcomer.get(link);
    expect(page.body).toContain('Create your account');
    const short = await newcomer.post(link, { displayName: 'New Staff', password: 'short' }, { csrfFrom: link });
    expect(short.statusCode).toBe(422);
    const joined = await newcomer.post(link, { displayName: 'New Staff', password: 'a long enough password' }, { csrfFrom: link });
    expect(joined.statusCode).toBe(303);
    const me = await newcomer.api('GET', '/api/v1/me');
    expect(me.json().memberships[0]).toMatchObject({ organizationSlug: 'transport', roles: ['editor'] });
    expect((await newcomer.get(link)).statusCode).toBe(404); // used up
  });

  it('an existing account accepts only when signed in with the invited address', async () => {
    const person = await makeAccount(t.app);
    await adminClient.post('/en/organizations/transport/members/invite', { email: person.email, roles: ['viewer', 'editor'] }, { csrfFrom: '/en/organizations/transport/members/invite' });
    const link = pathOf(linkIn((await lastEmail(t.database, person.email))!.body));
    const anonymous = new TestClient(t.app);
    expect((await anonymous.get(link)).body).toContain('Sign in to accept');
    const someoneElse = new TestClient(t.app);
    const other = await makeAccount(t.app);
    await someoneElse.signIn(other.email, other.password);
    expect((await someoneElse.post(link, {}, { csrfFrom: link })).statusCode).toBe(403);
    const client = new TestClient(t.app);
    await client.signIn(person.email, person.password);
    expect((await client.post(link, {}, { csrfFrom: link })).statusCode).toBe(303);
    expect((await client.api('GET', '/api/v1/me')).json().memberships[0].roles).toEqual(['editor', 'viewer']);
  });

  it('keeps at least one admin, and records each read of members’ details for them to see', async () => {
    const members = await adminClient.api('GET', '/api/v1/organizations/transport/members');
    expect(members.statusCode).toBe(200);
    const demote = await adminClient.api('PUT', `/api/v1/organizations/transport/members/${admin.id}`, { roles: ['viewer'] });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().code).toBe('conflict');

    const staff = members.json().members.find((m: { displayName: string }) => m.displayName === 'New Staff');
    const staffClient = new TestClient(t.app);
    await staffClient.signIn('new.staff@example.test', 'a long enough password');
    const activity = await staffClient.api('GET', '/api/v1/me/activity');
    const reads = activity.json().items.filter((e: { action: string }) => e.action === 'identity.personal_data.read');
    expect(reads.length).toBeGreaterThan(0);
    // The members list is one read of several people's data: one entry naming each of them.
    expect(reads[0]).toMatchObject({ actorId: admin.id, subjectId: null, targetType: 'accounts', purpose: 'identity.purpose.membership' });
    expect(reads[0].details.subjects).toContain(staff.accountId);
    const page = await staffClient.get('/en/account/activity');
    expect(page.body).toContain('Managing the members of an organization');
  });

  it('a role change applies at once to sessions and tokens already open (their cached profile is dropped)', async () => {
    const person = await makeAccount(t.app, { roles: [[org.id, ['admin']]] });
    const client = new TestClient(t.app);
    await client.signIn(person.email, person.password);
    expect((await client.get('/en/organizations/transport/members')).statusCode).toBe(200);
    expect((await client.get('/en/organizations/transport/members')).statusCode).toBe(200); // served from the cached profile
    const token = (await client.api('POST', '/api/v1/me/tokens', { name: 't', scopes: ['identity:read'], days: 30 })).json().secret as string;
    expect((await new TestClient(t.app).api('GET', '/api/v1/organizations/transport/members', undefined, token)).statusCode).toBe(200);

    const changed = await adminClient.api('PUT', `/api/v1/organizations/transport/members/${person.id}`, { roles: ['viewer'] });
    expect(changed.statusCode).toBe(200);
    expect((await client.get('/en/organizations/transport/members')).statusCode).toBe(403);
    expect((await new TestClient(t.app).api('GET', '/api/v1/organizations/transport/members', undefined, token)).statusCode).toBe(403);
  });

  it('removes a member', async () => {
    const person = await makeAccount(t.app, { roles: [[org.id, ['viewer']]] });
    const removed = await adminClient.post(`/en/organizations/transport/members/${person.id}/remove`, {}, { csrfFrom: `/en/organizations/transport/members/${person.id}` });
    expect(removed.statusCode).toBe(303);
    const client = new TestClient(t.app);
    await client.signIn(person.email, person.password);
    expect((await client.api('GET', '/api/v1/me')).json().memberships).toEqual([]);
  });
});

describe('API tokens and the JSON API', () => {
  it('creates a scoped token once, uses it, then revokes it', async () => {
    const person = await makeAccount(t.app);
    const client = new TestClient(t.app);
    await client.signIn(person.email, person.password);
    const created = await client.post('/en/account/tokens', { name: 'my script', scopes: 'identity:read', days: '30' }, { csrfFrom: '/en/account/tokens' });
    expect(created.statusCode).toBe(201);
    const secret = created.body.match(/id="token-secret">([^<]+)</)![1]!;
    expect(secret.startsWith('trl_')).toBe(true);
    expect(created.headers['cache-control']).toBe('no-store');

    const me = await new TestClient(t.app).api('GET', '/api/v1/me', undefined, secret);
    expect(me.statusCode).toBe(200);
    expect(me.json().account.email).toBe(person.email);
    const write = await new TestClient(t.app).api('PATCH', '/api/v1/me', { displayName: 'Nope', locale: 'en' }, secret);
    expect(write.statusCode).toBe(403);

    const list = await client.get('/en/account/tokens');
    expect(list.body).toContain('my script');
    expect(list.body).not.toContain(secret);
    const id = (await client.api('GET', '/api/v1/me/tokens')).json().items[0].id;
    expect((await client.post(`/en/account/tokens/${id}/revoke`, {}, { csrfFrom: '/en/account/tokens' })).statusCode).toBe(303);
    const after = await new TestClient(t.app).api('GET', '/api/v1/me', undefined, secret);
    expect(after.statusCode).toBe(401);
    expect(after.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses scopes that do not exist or exceed the owner', async () => {
    const person = await makeAccount(t.app);
    const client = new TestClient(t.app);
    await client.signIn(person.email, person.password);
    const admin = await client.api('POST', '/api/v1/me/tokens', { name: 'x', scopes: ['platform:admin'], days: 30 });
    expect(admin.statusCode).toBe(422);
    const unknown = await client.api('POST', '/api/v1/me/tokens', { name: 'x', scopes: ['nope:nope'], days: 30 });
    expect(unknown.json().errors[0]).toMatchObject({ field: 'scopes', rule: 'invalid' });
  });

  it('answers bad JSON input with problem+json naming each field, in the requested language', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      payload: { displayName: '', email: 'nope', password: 'x' },
      headers: { 'accept-language': 'fr-CA' },
    });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = response.json();
    expect(problem).toMatchObject({ status: 422, code: 'input_error', title: 'Des renseignements manquent ou sont erronés' });
    expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(['displayName', 'email', 'password']);
    expect(problem.errors[1].message).toContain('Entrez une adresse courriel dans le bon format');
    const malformed = await t.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: '{"broken', headers: { 'content-type': 'application/json' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('bad_request');
  });
});

describe('platform administration of accounts', () => {
  it('a superadmin deactivates an account, which ends its sessions; the platform keeps one superadmin', async () => {
    const root = await makeAccount(t.app, { superadmin: true });
    const superClient = new TestClient(t.app);
    await superClient.signIn(root.email, root.password);
    const person = await makeAccount(t.app);
    const personClient = new TestClient(t.app);
    await personClient.signIn(person.email, person.password);

    const found = await superClient.get(`/en/admin/accounts?q=${encodeURIComponent(person.email)}`);
    expect(found.body).toContain(person.email);
    const off = await superClient.post(`/en/admin/accounts/${person.id}`, { status: 'deactivated' }, { csrfFrom: `/en/admin/accounts/${person.id}` });
    expect(off.statusCode).toBe(303);
    expect((await personClient.get('/en/account')).statusCode).toBe(303);
    const signIn = await new TestClient(t.app).post('/en/sign-in', { email: person.email, password: person.password });
    expect(signIn.body).toContain('This account has been deactivated');

    // Remove every other superadmin, then try to remove the last one.
    const all = (await superClient.api('GET', '/api/v1/accounts?limit=100')).json().items as Array<{ id: string; superadmin: boolean }>;
    for (const a of all.filter((x) => x.superadmin && x.id !== root.id)) await superClient.api('PATCH', `/api/v1/accounts/${a.id}`, { superadmin: false });
    const last = await superClient.api('PATCH', `/api/v1/accounts/${root.id}`, { superadmin: false });
    expect(last.statusCode).toBe(409);
  });
});
