import { and, eq, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { AccountProfile } from './actor.js';
import { apiTokens, sessions } from './schema.js';
import { hashSecret, newSecret } from './secrets.js';

export interface SessionLimits {
  idleMinutes: number;
  absoluteHours: number;
}

export interface OpenSession {
  id: string;
  accountId: string;
  /** The cached profile, or null when it must be read again (then `rememberProfile`). */
  profile: AccountProfile | null;
  profileEpoch: number;
}

// Prepared once per database: the lookup runs on every signed-in request.
const lookups = new WeakMap<Db, ReturnType<typeof prepareLookup>>();
function prepareLookup(db: Db) {
  return db
    .select()
    .from(sessions)
    .where(eq(sessions.tokenHash, sql.placeholder('hash')))
    .limit(1)
    .prepare('trillium_session_by_token');
}

/** Starts a session and returns the cookie value (shown to nobody else, stored only as a hash). */
export async function createSession(db: Db, accountId: string, client: { ip?: string; userAgent?: string }): Promise<{ token: string; id: string }> {
  const token = newSecret();
  const [row] = await db
    .insert(sessions)
    .values({ tokenHash: hashSecret(token), accountId, ip: client.ip ?? null, userAgent: client.userAgent?.slice(0, 300) ?? null })
    .returning({ id: sessions.id });
  return { token, id: row!.id };
}

/**
 * The live session for a cookie value, or null when unknown or timed out (idle or absolute).
 * `lastSeenAt` is refreshed at most once a minute, so most requests only read.
 */
export async function findSession(db: Db, token: string, limits: SessionLimits, now = new Date()): Promise<OpenSession | null> {
  let lookup = lookups.get(db);
  if (!lookup) lookups.set(db, (lookup = prepareLookup(db)));
  const [row] = await lookup.execute({ hash: hashSecret(token) });
  if (!row) return null;
  const idleExpired = now.getTime() - row.lastSeenAt.getTime() > limits.idleMinutes * 60_000;
  const absoluteExpired = now.getTime() - row.createdAt.getTime() > limits.absoluteHours * 3_600_000;
  if (idleExpired || absoluteExpired) {
    await db.delete(sessions).where(eq(sessions.id, row.id));
    return null;
  }
  if (now.getTime() - row.lastSeenAt.getTime() > 60_000) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.id));
  }
  return { id: row.id, accountId: row.accountId, profile: row.profile, profileEpoch: row.profileEpoch };
}

/**
 * Keeps a freshly read profile with the session, unless the account changed since the session was
 * read: then the epoch moved and the next request reads the profile again.
 */
export async function rememberProfile(db: Db, session: OpenSession, profile: AccountProfile): Promise<void> {
  await db
    .update(sessions)
    .set({ profile })
    .where(and(eq(sessions.id, session.id), eq(sessions.profileEpoch, session.profileEpoch)));
}

/**
 * Forgets every cached copy of an account's profile (sessions and API tokens). The module that
 * owns accounts calls it in the same transaction as any change to roles or account details.
 */
export async function forgetProfiles(db: Db, accountId: string): Promise<void> {
  await db.update(sessions).set({ profile: null, profileEpoch: sql`${sessions.profileEpoch} + 1` }).where(eq(sessions.accountId, accountId));
  await db.update(apiTokens).set({ profile: null, profileEpoch: sql`${apiTokens.profileEpoch} + 1` }).where(eq(apiTokens.accountId, accountId));
}

export async function endSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of an account (password change, deactivation), optionally keeping one. */
export async function endAccountSessions(db: Db, accountId: string, exceptSessionId?: string | null): Promise<void> {
  await db
    .delete(sessions)
    .where(exceptSessionId ? and(eq(sessions.accountId, accountId), ne(sessions.id, exceptSessionId)) : eq(sessions.accountId, accountId));
}

/** Removes sessions that can no longer be used (run by a periodic job). */
export async function purgeExpiredSessions(db: Db, limits: SessionLimits, now = new Date()): Promise<void> {
  await db
    .delete(sessions)
    .where(
      or(
        lt(sessions.lastSeenAt, new Date(now.getTime() - limits.idleMinutes * 60_000)),
        lt(sessions.createdAt, new Date(now.getTime() - limits.absoluteHours * 3_600_000)),
      ),
    );
}
