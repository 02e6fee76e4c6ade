import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, lastEmail, type TestApp } from '../../../../test/support/app.js';
import { TestClient } from '../../../../test/support/client.js';
import { auditLog, type ActionContext } from '../../../kernel/audit/index.js';
import { system, type Actor } from '../../../kernel/auth/actor.js';
import { Conflict, InputError, NotAllowed, RateLimited } from '../../../kernel/errors/index.js';
import { outbox } from '../../../kernel/notify/index.js';
import type { IdentityApi, Organization } from '../../identity/index.js';
import { makeAccount, makeOrganization, type TestAccount } from '../../identity/test/factories.js';
import {
  answerDatasetRequest,
  createDatasetRequest,
  followRequest,
  getDatasetRequest,
  listDatasetRequests,
  requestRateLimits,
  unfollowRequest,
  voteForRequest,
  withdrawVote,
} from '../actions/requests.js';
import { countVotes } from '../data/requests.js';
import { seedRequestsDemo } from '../demo-requests.js';
import { datasetRequests } from '../schema.js';
import { catalogueDeps, makeDataset } from './factories.js';

let t: TestApp;
let org: Organization;
let other: Organization;
let editor: TestAccount;
let outsider: TestAccount;
let superadmin: TestAccount;
const sys = { actor: system, requestId: 'test' };

/** The action context of a signed-in account (what a route builds from its session). */
async function as(account: TestAccount, app = t.app): Promise<ActionContext> {
  const profile = (await (app.apis.get('identity') as IdentityApi).accountDirectory.profile(account.id))!;
  const actor: Actor = {
    kind: 'account',
    accountId: profile.accountId,
    displayName: profile.displayName,
    email: profile.email,
    locale: profile.locale,
    superadmin: profile.superadmin,
    memberships: profile.memberships,
    scopes: null,
    sessionId: null,
    tokenId: null,
  };
  return { actor, requestId: 'test', client: { ip: '192.0.2.1' } };
}

const anonymousAt = (ip: string): ActionContext => ({ actor: { ...system, kind: 'anonymous', superadmin: false }, requestId: 'test', client: { ip } });

async function signedIn(account: TestAccount): Promise<TestClient> {
  const client = new TestClient(t.app);
  await client.signIn(account.email, account.password);
  return client;
}

async function emailsTo(address: string) {
  return t.database.db.select().from(outbox).where(eq(outbox.recipient, address));
}

beforeAll(async () => {
  t = await createTestApp();
  org = await makeOrganization(t.app, 'transport');
  other = await makeOrganization(t.app, 'health');
  editor = await makeAccount(t.app, { roles: [[org.id, ['editor']]] });
  outsider = await makeAccount(t.app, { roles: [[other.id, ['editor']]] });
  superadmin = await makeAccount(t.app, { superadmin: true });
});
afterAll(async () => t?.close());

describe('asking for a dataset', () => {
  it('a signed-in person asks in French, follows it, and the page marks the text with its language', async () => {
    const resident = await makeAccount(t.app, { locale: 'fr' });
    const client = await signedIn(resident);
    const response = await client.post(
      '/fr/dataset-requests/new',
      { locale: 'fr', title: 'Temps d’attente aux urgences', description: 'Par hôpital et par mois.', organizationId: org.id, follow: 'true' },
      { csrfFrom: '/fr/dataset-requests/new' },
    );
    expect(response.statusCode).toBe(303);
    const id = response.headers.location!.match(/dataset-requests\/([0-9a-f-]{36})\?notice=created/)![1]!;
    const page = await client.get(response.headers.location!);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1 class="govuk-heading-l" lang="fr">Temps d’attente aux urgences</h1>');
    expect(page.body).toContain('Votre demande a été envoyée.');
    expect(page.body).toContain('Ne plus recevoir de courriels sur cette demande'); // following
    const english = await new TestClient(t.app).get(`/en/dataset-requests/${id}`);
    expect(english.body).toContain('lang="fr">Temps d’attente aux urgences</h1>');
    expect(english.body).toContain(`Ministry transport`);
    const [row] = await t.database.db.select().from(datasetRequests).where(eq(datasetRequests.id, id));
    expect(row).toMatchObject({ locale: 'fr', requesterId: resident.id, organizationId: org.id, status: 'received', votes: 0 });
  });

  it('anonymous people may ask too (without following), and the language defaults to the page’s', async () => {
    const anonymous = new TestClient(t.app);
    const form = await anonymous.get('/fr/dataset-requests/new');
    expect(form.body).toContain('Vous n’êtes pas connecté');
    expect(form.body).not.toContain('name="follow"');
    const created = await createDatasetRequest(catalogueDeps(t.app), anonymousAt('198.51.100.7'), { title: 'Snow clearing routes', description: 'Which streets first.', follow: true });
    expect(created).toMatchObject({ locale: 'en', status: 'received', organization: null, votes: 0 });
    const detail = await getDatasetRequest(catalogueDeps(t.app), anonymousAt('198.51.100.7'), created.id);
    expect(detail.you).toEqual({ signedIn: false, voted: false, following: false, canVote: false, canAnswer: false });
  });

  it('names each wrong field, in the page’s language, and keeps what was typed', async () => {
    const client = new TestClient(t.app);
    const empty = await client.post('/en/dataset-requests/new', { description: 'Kept text' }, { csrfFrom: '/en/dataset-requests/new' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('govuk-error-summary');
    expect(empty.body).toContain('href="#title"');
    expect(empty.body).toContain('Say what data you need');
    expect(empty.body).toContain('Kept text');
    const french = await client.post('/fr/dataset-requests/new', { title: 'x'.repeat(201), description: 'y', organizationId: '00000000-0000-4000-8000-000000000000' }, { csrfFrom: '/fr/dataset-requests/new' });
    expect(french.statusCode).toBe(422);
    expect(french.body).toContain('Le titre doit compter au plus 200 caractères');
    const unknownOrg = await client.post('/fr/dataset-requests/new', { title: 'Titre', description: 'y', organizationId: '00000000-0000-4000-8000-000000000000' }, { csrfFrom: '/fr/dataset-requests/new' });
    expect(unknownOrg.statusCode).toBe(422);
    expect(unknownOrg.body).toContain('Choisissez une organisation dans la liste');
  });

  it('limits anonymous requests per address (counting only requests that would be saved)', async () => {
    const deps = catalogueDeps(t.app);
    const ctx = anonymousAt('203.0.113.9');
    await expect(createDatasetRequest(deps, ctx, { title: '' })).rejects.toBeInstanceOf(InputError);
    for (let i = 0; i < requestRateLimits.anonymousPerHour; i++) await createDatasetRequest(deps, ctx, { title: `Request ${i}`, description: 'd' });
    // The window is fixed (one hour): send enough that one window must overflow, whatever the clock.
    const outcomes = [];
    for (let i = 0; i <= requestRateLimits.anonymousPerHour; i++) {
      outcomes.push(await createDatasetRequest(deps, ctx, { title: `More ${i}`, description: 'd' }).then(() => 'saved', (e: unknown) => e));
    }
    expect(outcomes.some((o) => o instanceof RateLimited)).toBe(true);
    // Another address is not affected.
    await expect(createDatasetRequest(deps, anonymousAt('203.0.113.10'), { title: 'Elsewhere', description: 'd' })).resolves.toMatchObject({ status: 'received' });
  });
});

describe('voting', () => {
  it('one vote per person, which they can take back; the page shows the buttons that apply', async () => {
    const deps = catalogueDeps(t.app);
    const request = await createDatasetRequest(deps, sys, { title: 'Bridge inspections', description: 'Results by bridge.' });
    const voter = await makeAccount(t.app);
    const client = await signedIn(voter);
    const voted = await client.post(`/en/dataset-requests/${request.id}/vote`, {}, { csrfFrom: `/en/dataset-requests/${request.id}` });
    expect(voted.statusCode).toBe(303);
    expect(voted.headers.location).toBe(`/en/dataset-requests/${request.id}?notice=voted`);
    await client.post(`/en/dataset-requests/${request.id}/vote`, {}, { csrfFrom: `/en/dataset-requests/${request.id}` });
    const page = await client.get(`/en/dataset-requests/${request.id}?notice=voted`);
    expect(page.body).toContain('Your vote has been counted.');
    expect(page.body).toContain('1 vote');
    expect(page.body).toContain('Take back my vote');
    expect((await getDatasetRequest(deps, await as(voter), request.id)).request.votes).toBe(1);
    await client.post(`/en/dataset-requests/${request.id}/unvote`, {}, { csrfFrom: `/en/dataset-requests/${request.id}` });
    expect(await withdrawVote(deps, await as(voter), request.id)).toEqual({ votes: 0, voted: false, following: false });
    expect(await countVotes(t.database.db, request.id)).toBe(0);
  });

  it('sends anonymous voters to sign in (pages) or answers 401 (API)', async () => {
    const request = await createDatasetRequest(catalogueDeps(t.app), sys, { title: 'Library visits', description: 'By branch.' });
    const anonymous = new TestClient(t.app);
    const page = await anonymous.get(`/en/dataset-requests/${request.id}`);
    expect(page.body).toContain('Sign in to vote for this request');
    expect(page.body).not.toContain(`/dataset-requests/${request.id}/vote"`);
    const vote = await anonymous.post(`/en/dataset-requests/${request.id}/vote`, {}, { csrfFrom: '/en/dataset-requests/new' });
    expect(vote.statusCode).toBe(303);
    expect(vote.headers.location).toContain('/en/sign-in');
    expect((await anonymous.api('PUT', `/api/v1/dataset-requests/${request.id}/vote`, {})).statusCode).toBe(401);
    await expect(voteForRequest(catalogueDeps(t.app), anonymousAt('192.0.2.50'), request.id)).rejects.toBeInstanceOf(NotAllowed);
  });

  it('counts every vote exactly when many people vote at once, and a person voting twice at once only once', async () => {
    const deps = catalogueDeps(t.app);
    const request = await createDatasetRequest(deps, sys, { title: 'Transit ridership', description: 'By route and hour.' });
    const voters = await Promise.all(Array.from({ length: 25 }, () => makeAccount(t.app)));
    const contexts = await Promise.all(voters.map((v) => as(v)));
    await Promise.all(contexts.map((ctx) => voteForRequest(deps, ctx, request.id)));
    await Promise.all(Array.from({ length: 5 }, () => voteForRequest(deps, contexts[0]!, request.id)));
    let detail = await getDatasetRequest(deps, sys, request.id);
    expect(detail.request.votes).toBe(25);
    expect(await countVotes(t.database.db, request.id)).toBe(25);
    await Promise.all(contexts.slice(0, 10).flatMap((ctx) => [withdrawVote(deps, ctx, request.id), withdrawVote(deps, ctx, request.id)]));
    detail = await getDatasetRequest(deps, sys, request.id);
    expect(detail.request.votes).toBe(15);
    expect(await countVotes(t.database.db, request.id)).toBe(15);
  });

  it('closes voting once a request is published or declined (a vote may still be taken back)', async () => {
    const deps = catalogueDeps(t.app);
    const request = await createDatasetRequest(deps, sys, { title: 'Closed', description: 'x', organizationId: org.id });
    const voter = await as(await makeAccount(t.app));
    await voteForRequest(deps, voter, request.id);
    await answerDatasetRequest(deps, await as(editor), request.id, { status: 'declined', noteEn: 'Personal data', noteFr: 'Données personnelles' });
    await expect(voteForRequest(deps, await as(await makeAccount(t.app)), request.id)).rejects.toBeInstanceOf(Conflict);
    expect((await getDatasetRequest(deps, voter, request.id)).you.canVote).toBe(false);
    expect((await withdrawVote(deps, voter, request.id)).votes).toBe(0);
  });

  it('ranks requests by votes, then the oldest first, and filters by status', async () => {
    const fresh = await createTestApp();
    try {
      const d = catalogueDeps(fresh.app);
      const o = await makeOrganization(fresh.app, 'ranking');
      const first = await createDatasetRequest(d, sys, { title: 'Oldest, one vote', description: 'x', organizationId: o.id });
      const second = await createDatasetRequest(d, sys, { title: 'Two votes', description: 'x' });
      const third = await createDatasetRequest(d, sys, { title: 'Newer, one vote', description: 'x', organizationId: o.id });
      const fourth = await createDatasetRequest(d, sys, { title: 'No votes', description: 'x' });
      // Distinct ages, whatever the clock's resolution.
      await fresh.database.db.update(datasetRequests).set({ createdAt: new Date('2024-01-01T00:00:00Z') }).where(eq(datasetRequests.id, first.id));
      await fresh.database.db.update(datasetRequests).set({ createdAt: new Date('2024-02-01T00:00:00Z') }).where(eq(datasetRequests.id, third.id));
      const people = await Promise.all([1, 2, 3, 4].map(() => makeAccount(fresh.app)));
      const ctxOf = (a: TestAccount) => as(a, fresh.app);
      await voteForRequest(d, await ctxOf(people[0]!), second.id);
      await voteForRequest(d, await ctxOf(people[1]!), second.id);
      await voteForRequest(d, await ctxOf(people[2]!), third.id);
      await voteForRequest(d, await ctxOf(people[3]!), first.id);
      const ranked = await listDatasetRequests(d, sys, { limit: 10, offset: 0 });
      expect(ranked.items.map((r) => r.id)).toEqual([second.id, first.id, third.id, fourth.id]);
      expect(ranked.counts).toEqual({ received: 4, planned: 0, published: 0, declined: 0 });
      await answerDatasetRequest(d, sys, third.id, { status: 'planned' });
      const planned = await listDatasetRequests(d, sys, { statuses: ['planned'], limit: 10, offset: 0 });
      expect(planned.items.map((r) => r.id)).toEqual([third.id]);
      const client = new TestClient(fresh.app);
      const page = await client.get('/en/dataset-requests?status=planned');
      expect(page.body).toContain('Newer, one vote');
      expect(page.body).not.toContain('Two votes');
      expect(page.body).toContain('1 request');
      const api = await client.api('GET', '/api/v1/dataset-requests?limit=2');
      expect(api.json()).toMatchObject({ total: 4, limit: 2, offset: 0, next: '/api/v1/dataset-requests?limit=2&offset=2' });
      expect(api.json().items.map((r: { title: string }) => r.title)).toEqual(['Two votes', 'Oldest, one vote']);
      expect(api.json().items[0]).not.toHaveProperty('requesterId');
    } finally {
      await fresh.close();
    }
  });
});

describe('answering a request', () => {
  it('only editors of the suggested organization (or superadmins) may answer; without one, only superadmins', async () => {
    const deps = catalogueDeps(t.app);
    const request = await createDatasetRequest(deps, sys, { title: 'Permits', description: 'x', organizationId: org.id });
    const orphan = await createDatasetRequest(deps, sys, { title: 'Orphan', description: 'x' });
    await expect(answerDatasetRequest(deps, await as(outsider), request.id, { status: 'planned' })).rejects.toBeInstanceOf(NotAllowed);
    await expect(answerDatasetRequest(deps, await as(await makeAccount(t.app)), request.id, { status: 'planned' })).rejects.toBeInstanceOf(NotAllowed);
    await expect(answerDatasetRequest(deps, await as(editor), orphan.id, { status: 'planned' })).rejects.toBeInstanceOf(NotAllowed);
    expect(await answerDatasetRequest(deps, await as(editor), request.id, { status: 'planned' })).toMatchObject({ status: 'planned' });
    expect(await answerDatasetRequest(deps, await as(superadmin), orphan.id, { status: 'planned' })).toMatchObject({ status: 'planned' });
    const outsiderClient = await signedIn(outsider);
    expect((await outsiderClient.get(`/en/dataset-requests/${request.id}/answer`)).statusCode).toBe(403);
  });

  it('published needs a published dataset, and declined a reason in both languages', async () => {
    const deps = catalogueDeps(t.app);
    const request = await createDatasetRequest(deps, sys, { title: 'Road salt', description: 'x', organizationId: org.id });
    const draft = await makeDataset(t.app, org.id, { publish: false });
    const ctx = await as(editor);
    const noDataset = await answerDatasetRequest(deps, ctx, request.id, { status: 'published' }).catch((e: InputError) => e);
    expect((noDataset as InputError).fields).toEqual([expect.objectContaining({ field: 'dataset', messageKey: 'catalogue.requests.errors.dataset.required' })]);
    const notPublished = await answerDatasetRequest(deps, ctx, request.id, { status: 'published', dataset: draft.name }).catch((e: InputError) => e);
    expect((notPublished as InputError).fields).toEqual([expect.objectContaining({ field: 'dataset', messageKey: 'catalogue.requests.errors.dataset.invalid' })]);
    const noReason = await answerDatasetRequest(deps, ctx, request.id, { status: 'declined', noteEn: 'Only English' }).catch((e: InputError) => e);
    expect((noReason as InputError).fields.map((f) => f.field)).toEqual(['noteFr']);

    const client = await signedIn(editor);
    const form = await client.post(`/en/dataset-requests/${request.id}/answer`, { status: 'declined', noteFr: 'Seulement en français' }, { csrfFrom: `/en/dataset-requests/${request.id}/answer` });
    expect(form.statusCode).toBe(422);
    expect(form.body).toContain('Say in English why the request is declined');
    expect(form.body).toContain('Seulement en français');

    const published = await makeDataset(t.app, org.id);
    const done = await client.post(`/en/dataset-requests/${request.id}/answer`, { status: 'published', dataset: published.name }, { csrfFrom: `/en/dataset-requests/${request.id}/answer` });
    expect(done.statusCode).toBe(303);
    const page = await client.get(`/en/dataset-requests/${request.id}`);
    expect(page.body).toContain(`href="/en/datasets/${published.name}"`);
    expect(page.body).toContain('Published');
  });

  it('emails followers in their own language when the status changes, once per change, never the person answering', async () => {
    const deps = catalogueDeps(t.app);
    const requester = await makeAccount(t.app, { locale: 'fr' });
    const voter = await makeAccount(t.app, { locale: 'en' });
    const silent = await makeAccount(t.app);
    const request = await createDatasetRequest(deps, await as(requester), { title: 'Qualité de l’eau des plages', description: 'Par plage.', locale: 'fr', organizationId: org.id, follow: true });
    await voteForRequest(deps, await as(voter), request.id);
    await followRequest(deps, await as(voter), request.id);
    await voteForRequest(deps, await as(silent), request.id);
    await followRequest(deps, await as(editor), request.id);

    await answerDatasetRequest(deps, await as(editor), request.id, { status: 'planned', noteEn: 'Expected in June.', noteFr: 'Prévu en juin.' });
    const french = (await lastEmail(t.database, requester.email))!;
    expect(french.locale).toBe('fr');
    expect(french.subject).toBe('Demande de jeu de données : publication prévue');
    expect(french.body).toContain('« Qualité de l’eau des plages »');
    expect(french.body).toContain('Prévu en juin.');
    expect(french.body).toContain(`http://localhost:3000/fr/dataset-requests/${request.id}`);
    const english = (await lastEmail(t.database, voter.email))!;
    expect(english.subject).toBe('Dataset request: publication planned');
    expect(english.body).toContain('Expected in June.');
    expect(english.body).toContain(`http://localhost:3000/en/dataset-requests/${request.id}`);
    expect(await emailsTo(silent.email)).toEqual([]); // voted, but does not follow
    expect(await emailsTo(editor.email)).toEqual([]); // answered it

    // Same status again (a new note): no new email.
    await answerDatasetRequest(deps, await as(editor), request.id, { status: 'planned', noteEn: 'Now July.', noteFr: 'Plutôt juillet.' });
    expect(await emailsTo(voter.email)).toHaveLength(1);

    // Someone who stops following gets nothing more.
    await unfollowRequest(deps, await as(voter), request.id);
    const dataset = await makeDataset(t.app, org.id);
    await answerDatasetRequest(deps, await as(editor), request.id, { status: 'published', dataset: dataset.name });
    expect(await emailsTo(voter.email)).toHaveLength(1);
    const publishedEmail = (await lastEmail(t.database, requester.email))!;
    expect(publishedEmail.subject).toBe('Demande de jeu de données : les données sont publiées');
    expect(publishedEmail.body).toContain(`http://localhost:3000/fr/datasets/${dataset.name}`);

    // The reads of followers' addresses are in the audit log, for each person to see.
    const reads = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'catalogue.personal_data.read'), eq(auditLog.subjectId, requester.id)));
    expect(reads.map((r) => r.purpose)).toEqual(['catalogue.requests.purpose.statusEmail', 'catalogue.requests.purpose.statusEmail']);
    const changes = await t.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'catalogue.request.status_changed'), eq(auditLog.targetId, request.id)));
    expect(changes.map((c) => c.details)).toEqual([
      { from: 'received', to: 'planned', notified: 2 },
      { from: 'planned', to: 'planned', notified: 0 },
      { from: 'planned', to: 'published', dataset: dataset.name, notified: 1 },
    ]);
  });

  it('the declined email gives the reason in the follower’s language', async () => {
    const deps = catalogueDeps(t.app);
    const follower = await makeAccount(t.app, { locale: 'fr' });
    const request = await createDatasetRequest(deps, sys, { title: 'Salaries', description: 'x', organizationId: org.id });
    await followRequest(deps, await as(follower), request.id);
    await answerDatasetRequest(deps, await as(editor), request.id, { status: 'declined', noteEn: 'It holds personal information.', noteFr: 'Elles contiennent des renseignements personnels.' });
    const email = (await lastEmail(t.database, follower.email))!;
    expect(email.subject).toBe('Demande de jeu de données : refusée');
    expect(email.body).toContain('Elles contiennent des renseignements personnels.');
    expect(email.body).not.toContain('It holds personal information.');
    const page = await new TestClient(t.app).get(`/fr/dataset-requests/${request.id}`);
    expect(page.body).toContain('Pourquoi elle a été refusée');
    expect(page.body).toContain('Elles contiennent des renseignements personnels.');
  });

  it('a superadmin may send a request to another organization; an editor only to one they edit', async () => {
    const deps = catalogueDeps(t.app);
    const request = await createDatasetRequest(deps, sys, { title: 'Hospital beds', description: 'x', organizationId: org.id });
    await expect(answerDatasetRequest(deps, await as(editor), request.id, { status: 'received', organizationId: other.id })).rejects.toBeInstanceOf(NotAllowed);
    const moved = await answerDatasetRequest(deps, await as(superadmin), request.id, { status: 'received', organizationId: other.id });
    expect(moved.organization?.id).toBe(other.id);
    expect((await getDatasetRequest(deps, await as(outsider), request.id)).you.canAnswer).toBe(true);
    expect((await getDatasetRequest(deps, await as(editor), request.id)).you.canAnswer).toBe(false);
  });
});

describe('JSON API', () => {
  it('asks, votes, follows and answers through /api/v1/dataset-requests', async () => {
    const client = await signedIn(await makeAccount(t.app));
    const created = await client.api('POST', '/api/v1/dataset-requests', { title: 'Ferry schedules', description: 'As GTFS.', organizationId: org.id, follow: true });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect(created.json()).toMatchObject({ title: 'Ferry schedules', locale: 'en', status: 'received', organization: { id: org.id, slug: 'transport' } });
    expect((await client.api('PUT', `/api/v1/dataset-requests/${id}/vote`, {})).json()).toEqual({ votes: 1, voted: true, following: true });
    expect((await client.api('DELETE', `/api/v1/dataset-requests/${id}/follow`)).json()).toEqual({ votes: 1, voted: true, following: false });
    expect((await client.api('GET', `/api/v1/dataset-requests/${id}`)).json().you).toMatchObject({ voted: true, following: false, canAnswer: false });
    expect((await client.api('PUT', `/api/v1/dataset-requests/${id}/status`, { status: 'planned' })).statusCode).toBe(403);
    const editorClient = await signedIn(editor);
    const bad = await editorClient.api('PUT', `/api/v1/dataset-requests/${id}/status`, { status: 'declined' });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const answered = await editorClient.api('PUT', `/api/v1/dataset-requests/${id}/status`, { status: 'declined', noteEn: 'No.', noteFr: 'Non.' });
    expect(answered.json()).toMatchObject({ status: 'declined', statusNote: { en: 'No.', fr: 'Non.' } });
    const missing = await client.api('POST', '/api/v1/dataset-requests', { description: 'No title' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toEqual([{ field: 'title', rule: 'required', message: 'Say what data you need' }]);
    expect((await client.api('GET', '/api/v1/dataset-requests/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});

describe('demo data', () => {
  it('seeds requests in both languages with each answer, and a standard in two versions, once', async () => {
    const fresh = await createTestApp();
    try {
      await makeOrganization(fresh.app, 'demo-org');
      const deps = catalogueDeps(fresh.app);
      expect(await seedRequestsDemo(deps)).toHaveLength(1);
      expect(await seedRequestsDemo(deps)).toEqual([]);
      const { items, counts } = await listDatasetRequests(deps, sys, { limit: 10, offset: 0 });
      expect(items.map((r) => r.locale).sort()).toEqual(['en', 'en', 'fr', 'fr']);
      expect(counts).toMatchObject({ planned: 1, declined: 1 });
    } finally {
      await fresh.close();
    }
  });
});

describe('rate limit on the page', () => {
  it('shows the form again with the wait and the text kept once an address asks too often', async () => {
    const client = new TestClient(t.app);
    let refused;
    for (let i = 0; i <= 2 * requestRateLimits.anonymousPerHour && !refused; i++) {
      const response = await client.post('/en/dataset-requests/new', { title: `Flood ${i}`, description: 'Kept description' }, { csrfFrom: '/en/dataset-requests/new' });
      if (response.statusCode === 429) refused = response;
      else expect(response.statusCode).toBe(303);
    }
    expect(refused).toBeDefined();
    expect(refused!.headers['retry-after']).toBeDefined();
    expect(refused!.body).toContain('You have tried too many times.');
    expect(refused!.body).toContain('Kept description');
  });
});
