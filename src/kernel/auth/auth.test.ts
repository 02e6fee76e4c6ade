import { createHash } from 'node:crypto';
import argon2 from 'argon2';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { TestClient } from '../../../test/support/client.js';
import { makeAccount, makeOrganization } from '../../modules/identity/test/factories.js';
import { updateAccount } from '../../modules/identity/data/accounts.js';
import { RateLimited, NotAllowed } from '../errors/index.js';
import { anonymous, system, type Actor } from './actor.js';
import { hashPassword, needsRehash, verifyAgainstNothing, verifyPassword } from './passwords.js';
import { authorize, can, definePermission, hasRole, isStaff } from './policy.js';
import { apiTokens, sessions } from './schema.js';
import { createSession, endAccountSessions, findSession, purgeExpiredSessions } from './sessions.js';
import { checkThrottle, clearFailures, hitRateLimit, recordFailure } from './throttle.js';
import {
  findToken,
  issueToken,
  listTokens,
  revokeAccountTokens,
  revokeToken,
  tokenPrefix,
} from './tokens.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const limits = { idleMinutes: 30, absoluteHours: 12 };
const minutes = (n: number) => n * 60_000;
const db = () => t.database.db;

async function sessionRow(id: string) {
  const [row] = await db().select().from(sessions).where(eq(sessions.id, id));
  return row;
}

describe('sessions', () => {
  it('stores only a hash of the cookie value', async () => {
    const account = await makeAccount(t.app);
    const { token, id } = await createSession(db(), account.id, { ip: '192.0.2.1', userAgent: 'probe/1.0' });
    const row = (await sessionRow(id))!;
    expect(row.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(row.tokenHash).not.toContain(token);
    expect(row).toMatchObject({ accountId: account.id, ip: '192.0.2.1', userAgent: 'probe/1.0' });
    expect(await findSession(db(), 'not-the-token', limits)).toBeNull();
  });

  it('refreshes lastSeenAt at most once a minute, and ends after the idle timeout', async () => {
    const account = await makeAccount(t.app);
    const { token, id } = await createSession(db(), account.id, {});
    const start = (await sessionRow(id))!.lastSeenAt;

    // 30 s later: found, but not written.
    expect(await findSession(db(), token, limits, new Date(start.getTime() + 30_000))).toMatchObject({
      id,
      accountId: account.id,
    });
    expect((await sessionRow(id))!.lastSeenAt.getTime()).toBe(start.getTime());

    // 29 minutes later: still alive (within 30 idle minutes), and lastSeenAt moves.
    const later = new Date(start.getTime() + minutes(29));
    expect(await findSession(db(), token, limits, later)).not.toBeNull();
    expect((await sessionRow(id))!.lastSeenAt.getTime()).toBe(later.getTime());

    // 31 minutes after the last request: gone, and removed.
    expect(await findSession(db(), token, limits, new Date(later.getTime() + minutes(31)))).toBeNull();
    expect(await sessionRow(id)).toBeUndefined();
  });

  it('ends after the absolute timeout whatever the activity', async () => {
    const account = await makeAccount(t.app);
    const { token, id } = await createSession(db(), account.id, {});
    const created = (await sessionRow(id))!.createdAt;
    // Active every 20 minutes for almost 12 hours: still alive.
    let now = created.getTime();
    while (now + minutes(20) < created.getTime() + limits.absoluteHours * 3_600_000) {
      now += minutes(20);
      expect(await findSession(db(), token, limits, new Date(now))).not.toBeNull();
    }
    // Just past 12 hours, although the last request was minutes ago.
    const past = new Date(created.getTime() + limits.absoluteHours * 3_600_000 + 1000);
    expect(past.getTime() - now).toBeLessThan(minutes(30));
    expect(await findSession(db(), token, limits, past)).toBeNull();
    expect(await sessionRow(id)).toBeUndefined();
  });

  it('endAccountSessions ends every session of the account except the one kept', async () => {
    const account = await makeAccount(t.app);
    const other = await makeAccount(t.app);
    const kept = await createSession(db(), account.id, {});
    const ended = await createSession(db(), account.id, {});
    const others = await createSession(db(), other.id, {});
    await endAccountSessions(db(), account.id, kept.id);
    expect(await sessionRow(kept.id)).toBeDefined();
    expect(await sessionRow(ended.id)).toBeUndefined();
    expect(await sessionRow(others.id)).toBeDefined();
    await endAccountSessions(db(), account.id);
    expect(await sessionRow(kept.id)).toBeUndefined();
    expect(await sessionRow(others.id)).toBeDefined();
  });

  it('purgeExpiredSessions removes idle and too-old sessions only', async () => {
    const account = await makeAccount(t.app);
    const live = await createSession(db(), account.id, {});
    const idle = await createSession(db(), account.id, {});
    const old = await createSession(db(), account.id, {});
    const now = new Date();
    await db()
      .update(sessions)
      .set({ lastSeenAt: new Date(now.getTime() - minutes(31)) })
      .where(eq(sessions.id, idle.id));
    await db()
      .update(sessions)
      .set({ createdAt: new Date(now.getTime() - 13 * 3_600_000) })
      .where(eq(sessions.id, old.id));
    await purgeExpiredSessions(db(), limits, now);
    expect(await sessionRow(live.id)).toBeDefined();
    expect(await sessionRow(idle.id)).toBeUndefined();
    expect(await sessionRow(old.id)).toBeUndefined();
  });
});

describe('API tokens', () => {
  it('stores only a hash of the secret, and shows a short prefix', async () => {
    const account = await makeAccount(t.app);
    const expiresAt = new Date(Date.now() + 86_400_000);
    const { secret, token } = await issueToken(db(), {
      accountId: account.id,
      name: 'probe',
      scopes: ['identity:read'],
      expiresAt,
    });
    expect(secret.startsWith(tokenPrefix)).toBe(true);
    expect(secret.length).toBeGreaterThan(40);
    expect(token.prefix).toBe(secret.slice(0, tokenPrefix.length + 6));
    const [row] = await db().select().from(apiTokens).where(eq(apiTokens.id, token.id));
    expect(row!.tokenHash).not.toBe(secret);
    expect(row!.tokenHash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(secret);
    // Summaries never carry the hash.
    expect(Object.keys((await listTokens(db(), account.id))[0]!)).not.toContain('tokenHash');
  });

  it('findToken refuses unknown, expired and revoked tokens, and marks use at most once a minute', async () => {
    const account = await makeAccount(t.app);
    const expiresAt = new Date(Date.now() + 86_400_000);
    const { secret, token } = await issueToken(db(), {
      accountId: account.id,
      name: 'probe',
      scopes: ['identity:read'],
      expiresAt,
    });
    const now = new Date();
    expect((await findToken(db(), secret, now))?.id).toBe(token.id);
    const used = async () =>
      (await db().select().from(apiTokens).where(eq(apiTokens.id, token.id)))[0]!.lastUsedAt;
    expect((await used())?.getTime()).toBe(now.getTime());
    await findToken(db(), secret, new Date(now.getTime() + 30_000));
    expect((await used())?.getTime()).toBe(now.getTime());
    await findToken(db(), secret, new Date(now.getTime() + 61_000));
    expect((await used())?.getTime()).toBe(now.getTime() + 61_000);

    expect(await findToken(db(), `${tokenPrefix}unknown`)).toBeNull();
    expect(await findToken(db(), secret.slice(tokenPrefix.length))).toBeNull(); // without the prefix
    expect(await findToken(db(), secret, new Date(expiresAt.getTime() + 1))).toBeNull();
    expect(await findToken(db(), secret, expiresAt)).toBeNull(); // expiry instant itself is expired

    expect(await revokeToken(db(), token.id)).toBe(true);
    expect(await revokeToken(db(), token.id)).toBe(false);
    expect(await findToken(db(), secret)).toBeNull();
  });

  it('revokeAccountTokens revokes every live token of the account only', async () => {
    const account = await makeAccount(t.app);
    const other = await makeAccount(t.app);
    const expiresAt = new Date(Date.now() + 86_400_000);
    const a = await issueToken(db(), { accountId: account.id, name: 'a', scopes: [], expiresAt });
    const b = await issueToken(db(), { accountId: other.id, name: 'b', scopes: [], expiresAt });
    await revokeAccountTokens(db(), account.id);
    expect(await findToken(db(), a.secret)).toBeNull();
    expect(await findToken(db(), b.secret)).not.toBeNull();
  });
});

describe('API tokens over HTTP', () => {
  async function signedIn(account: { email: string; password: string }) {
    const client = new TestClient(t.app);
    await client.signIn(account.email, account.password);
    return client;
  }

  async function createToken(client: TestClient, scopes: string[]): Promise<string> {
    const response = await client.api('POST', '/api/v1/me/tokens', {
      name: `probe ${scopes.join(' ')}`,
      scopes,
      days: 30,
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ secret: string }>().secret;
  }

  it('a read-only token can read the account but not change it, nor create tokens', async () => {
    const account = await makeAccount(t.app, { name: 'Token Reader' });
    const client = await signedIn(account);
    const readOnly = await createToken(client, ['identity:read']);
    const api = new TestClient(t.app);

    const me = await api.api('GET', '/api/v1/me', undefined, readOnly);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ account: { email: account.email } });

    const patch = await api.api('PATCH', '/api/v1/me', { displayName: 'Changed', locale: 'fr' }, readOnly);
    expect(patch.statusCode).toBe(403);
    expect(patch.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(patch.json()).toMatchObject({ status: 403, code: 'not_allowed' });
    expect((await api.api('GET', '/api/v1/me', undefined, readOnly)).json()).toMatchObject({
      account: { displayName: 'Token Reader' },
    });

    // Even a token with write access cannot mint tokens: only a person at a browser can.
    const writer = await createToken(client, ['identity:read', 'identity:write']);
    const mint = await api.api(
      'POST',
      '/api/v1/me/tokens',
      { name: 'from a token', scopes: ['identity:read'], days: 30 },
      writer,
    );
    expect(mint.statusCode).toBe(403);
    expect(
      (await api.api('PATCH', '/api/v1/me', { displayName: 'Written by token', locale: 'en' }, writer))
        .statusCode,
    ).toBe(200);
  });

  it('an unknown or expired token is refused with 401 problem+json and WWW-Authenticate', async () => {
    const account = await makeAccount(t.app);
    const expired = await issueToken(db(), {
      accountId: account.id,
      name: 'old',
      scopes: ['identity:read'],
      expiresAt: new Date(Date.now() - 1000),
    });
    for (const authorization of [
      `Bearer ${tokenPrefix}nope`,
      `Bearer ${expired.secret}`,
      'Bearer',
      'Basic dXNlcjpwYXNz',
    ]) {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization } });
      expect(response.statusCode, authorization).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 401, code: 'unauthenticated', instance: '/api/v1/me' });
    }
  });

  it('a deactivated account’s token stops working', async () => {
    // Through the person’s own deactivation (which also revokes the tokens)...
    const account = await makeAccount(t.app);
    const client = await signedIn(account);
    const secret = await createToken(client, ['identity:read']);
    expect((await client.api('GET', '/api/v1/me', undefined, secret)).statusCode).toBe(200);
    expect(
      (await client.api('POST', '/api/v1/me/deactivation', { currentPassword: account.password })).statusCode,
    ).toBe(204);
    expect((await client.api('GET', '/api/v1/me', undefined, secret)).statusCode).toBe(401);

    // ...and even when the token was not revoked, the kernel checks the account is active.
    const other = await makeAccount(t.app);
    const { secret: live } = await issueToken(db(), {
      accountId: other.id,
      name: 'live',
      scopes: ['identity:read'],
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const otherClient = await signedIn(other);
    expect((await otherClient.api('GET', '/api/v1/me', undefined, live)).statusCode).toBe(200);
    // Deactivated through identity's data layer (which drops the profile cached with sessions and
    // tokens), without revoking the token.
    await updateAccount(db(), other.id, { status: 'deactivated' });
    expect((await otherClient.api('GET', '/api/v1/me', undefined, live)).statusCode).toBe(401);
    // The session of that account no longer counts either.
    expect((await otherClient.api('GET', '/api/v1/me')).statusCode).toBe(401);
  });
});

describe('sign-in back-off (checkThrottle / recordFailure)', () => {
  const t0 = new Date('2030-01-01T12:00:00.000Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);

  async function waitAt(keys: Array<{ key: string; allowed: number }>, now: Date): Promise<number> {
    try {
      await checkThrottle(db(), keys, now);
      return 0;
    } catch (error) {
      expect(error).toBeInstanceOf(RateLimited);
      expect((error as RateLimited).messageKey).toBe('errors.signInThrottled.body');
      return (error as RateLimited).retryAfterSeconds;
    }
  }

  it('lets the allowed failures through, then waits 1 s, 2 s, 4 s… after the last failure', async () => {
    const key = { key: 'account:backoff@example.test', allowed: 3 };
    await recordFailure(db(), [key.key], at(0));
    await recordFailure(db(), [key.key], at(1000));
    expect(await waitAt([key], at(1001))).toBe(0); // 2 failures of 3 allowed
    await recordFailure(db(), [key.key], at(2000));
    // Once the allowed failures are used, each further attempt waits: 2^0 s after the last failure.
    expect(await waitAt([key], at(2100))).toBe(1);
    expect(await waitAt([key], at(3000))).toBe(0);
    await recordFailure(db(), [key.key], at(3000));
    expect(await waitAt([key], at(3000))).toBe(2);
    expect(await waitAt([key], at(4999))).toBe(1);
    expect(await waitAt([key], at(5000))).toBe(0);
    await recordFailure(db(), [key.key], at(5000));
    expect(await waitAt([key], at(5000))).toBe(4);
    await recordFailure(db(), [key.key], at(9000));
    expect(await waitAt([key], at(9000))).toBe(8);
  });

  it('caps the wait at 15 minutes, and forgets failures older than 15 minutes', async () => {
    const key = { key: 'account:cap@example.test', allowed: 2 };
    for (let i = 0; i < 20; i++) await recordFailure(db(), [key.key], at(i * 1000));
    const last = 19_000;
    expect(await waitAt([key], at(last))).toBe(15 * 60);
    expect(await waitAt([key], at(last + minutes(10)))).toBe(5 * 60);
    expect(await waitAt([key], at(last + minutes(15)))).toBe(0);
    expect(await waitAt([key], at(last + minutes(16)))).toBe(0);
  });

  it('applies the longest wait of several keys (account and address), and clearFailures resets one', async () => {
    const account = { key: 'account:multi@example.test', allowed: 5 };
    const address = { key: 'ip:192.0.2.77', allowed: 1 };
    for (let i = 0; i < 3; i++) await recordFailure(db(), [account.key, address.key], at(i * 100));
    expect(await waitAt([account], at(300))).toBe(0);
    expect(await waitAt([account, address], at(300))).toBe(4); // address: 3 failures, 1 allowed → 2^2 s
    await clearFailures(db(), address.key);
    expect(await waitAt([account, address], at(300))).toBe(0);
  });
});

describe('hitRateLimit', () => {
  it('counts requests in fixed windows shared through the database', async () => {
    const key = `rate:probe:${Math.random()}`;
    const now = new Date('2030-01-01T00:00:10.000Z');
    for (let i = 0; i < 3; i++) await hitRateLimit(db(), key, 3, 60, now);
    const error = await hitRateLimit(db(), key, 3, 60, now).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).retryAfterSeconds).toBe(50);
    expect((error as RateLimited).status).toBe(429);
    // Still refused later in the same window; a new window starts afresh.
    await expect(hitRateLimit(db(), key, 3, 60, new Date('2030-01-01T00:00:59.000Z'))).rejects.toBeInstanceOf(
      RateLimited,
    );
    await expect(
      hitRateLimit(db(), key, 3, 60, new Date('2030-01-01T00:01:00.000Z')),
    ).resolves.toBeUndefined();
    // Other keys are counted apart.
    await expect(hitRateLimit(db(), `${key}:other`, 3, 60, now)).resolves.toBeUndefined();
  });
});

describe('passwords', () => {
  it('hashes with argon2id at m=19456, t=2, p=1 and verifies', async () => {
    const hash = await hashPassword('correct horse battery staple');
    // PHC string: $argon2id$v=19$<params>$<salt>$<hash>; node-argon2 writes the parameters as m,p,t.
    const [, algorithm, version, params] = hash.split('$');
    expect(algorithm).toBe('argon2id');
    expect(version).toBe('v=19');
    expect(Object.fromEntries(params!.split(',').map((p) => p.split('=')))).toEqual({
      m: '19456',
      t: '2',
      p: '1',
    });
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapl')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
    expect(await hashPassword('same')).not.toBe(await hashPassword('same')); // salted
    expect(needsRehash(hash)).toBe(false);
    const weak = await argon2.hash('old', {
      type: argon2.argon2id,
      memoryCost: 4096,
      timeCost: 1,
      parallelism: 1,
    });
    expect(needsRehash(weak)).toBe(true);
    expect(await verifyPassword(weak, 'old')).toBe(true);
    expect(await verifyAgainstNothing('anything')).toBe(false);
  });
});

describe('policy', () => {
  const orgA = '00000000-0000-4000-8000-00000000000a';
  const orgB = '00000000-0000-4000-8000-00000000000b';
  const actor = (over: Partial<Actor>): Actor => ({
    ...anonymous,
    kind: 'account',
    accountId: '00000000-0000-4000-8000-000000000099',
    ...over,
  });
  const admin = actor({ memberships: [{ organizationId: orgA, role: 'admin' }] });
  const editor = actor({ memberships: [{ organizationId: orgA, role: 'editor' }] });
  const viewer = actor({ memberships: [{ organizationId: orgA, role: 'viewer' }] });
  const publisher = actor({ memberships: [{ organizationId: orgA, role: 'publisher' }] });
  const superadmin = actor({ superadmin: true });

  it('hasRole: ranked roles include lower ones, in that organization only', () => {
    expect(['admin', 'editor', 'viewer'].map((r) => hasRole(admin, orgA, r))).toEqual([true, true, true]);
    expect(['admin', 'editor', 'viewer'].map((r) => hasRole(editor, orgA, r))).toEqual([false, true, true]);
    expect(['admin', 'editor', 'viewer'].map((r) => hasRole(viewer, orgA, r))).toEqual([false, false, true]);
    expect(hasRole(admin, orgB, 'viewer')).toBe(false);
    expect(hasRole(admin, null, 'viewer')).toBe(false);
    expect(hasRole(anonymous, orgA, 'viewer')).toBe(false);
  });

  it('hasRole: unranked roles match exactly; superadmins hold every role everywhere', () => {
    expect(hasRole(publisher, orgA, 'publisher')).toBe(true);
    expect(hasRole(publisher, orgA, 'viewer')).toBe(false);
    expect(hasRole(admin, orgA, 'publisher')).toBe(false);
    expect(hasRole(superadmin, orgB, 'admin')).toBe(true);
    expect(hasRole(superadmin, null, 'publisher')).toBe(true);
  });

  it('can(): token scopes restrict what the account could otherwise do; the system may do anything', () => {
    const edit = definePermission<{ id: string }>('probe.edit', 'probe:write', (a, org) =>
      hasRole(a, org.id, 'editor'),
    );
    expect(can(admin, edit, { id: orgA })).toBe(true);
    expect(can(viewer, edit, { id: orgA })).toBe(false);
    expect(can({ ...admin, kind: 'token', scopes: ['probe:read'] }, edit, { id: orgA })).toBe(false);
    expect(can({ ...admin, kind: 'token', scopes: ['probe:read', 'probe:write'] }, edit, { id: orgA })).toBe(
      true,
    );
    expect(can({ ...superadmin, kind: 'token', scopes: [] }, edit, { id: orgA })).toBe(false);
    expect(can(system, edit, { id: orgB })).toBe(true);
    expect(() => authorize(viewer, edit, { id: orgA })).toThrow(NotAllowed);
    expect(() => authorize(editor, edit, { id: orgA })).not.toThrow();
    expect(Object.isFrozen(edit)).toBe(true);
  });

  it('isStaff: members of any organization and superadmins', () => {
    expect(isStaff(viewer)).toBe(true);
    expect(isStaff(superadmin)).toBe(true);
    expect(isStaff(actor({}))).toBe(false);
  });

  it('roles given through the identity module are honoured over HTTP (viewer refused, admin allowed)', async () => {
    const org = await makeOrganization(t.app);
    const body = { nameEn: 'Renamed', nameFr: 'Renommé', kind: 'ministry' };
    const viewerAccount = await makeAccount(t.app, { roles: [[org.id, ['viewer']]] });
    const viewerClient = new TestClient(t.app);
    await viewerClient.signIn(viewerAccount.email, viewerAccount.password);
    expect((await viewerClient.api('PATCH', `/api/v1/organizations/${org.slug}`, body)).statusCode).toBe(403);
    const adminAccount = await makeAccount(t.app, { roles: [[org.id, ['admin']]] });
    const adminClient = new TestClient(t.app);
    await adminClient.signIn(adminAccount.email, adminAccount.password);
    expect((await adminClient.api('PATCH', `/api/v1/organizations/${org.slug}`, body)).statusCode).toBe(200);
  });
});
