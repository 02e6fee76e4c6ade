import { and, count, eq, gt, inArray, lt, max } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { RateLimited } from '../errors/index.js';
import { authFailures, rateLimits } from './schema.js';
import { sql } from 'drizzle-orm';

const windowMs = 15 * 60_000;
const maxWaitMs = 15 * 60_000;

export interface ThrottleKey {
  key: string;
  /** Failures allowed in the window before waits begin. */
  allowed: number;
}

/**
 * Progressive back-off for sign-in: once a key has `allowed` failures in 15 minutes, each further
 * attempt must wait 2^(failures − allowed) seconds after the last failure (1 s, 2 s, 4 s …), up to
 * 15 minutes. Throws
 * `RateLimited` with the wait. Keys are per submitted account and per address, so guessing one
 * account from many addresses, or many accounts from one address, both slow down.
 */
export async function checkThrottle(db: Db, keys: ThrottleKey[], now = new Date()): Promise<void> {
  const since = new Date(now.getTime() - windowMs);
  const rows = await db
    .select({ key: authFailures.key, failures: count(), last: max(authFailures.failedAt) })
    .from(authFailures)
    .where(and(inArray(authFailures.key, keys.map((k) => k.key)), gt(authFailures.failedAt, since)))
    .groupBy(authFailures.key);
  let waitMs = 0;
  for (const row of rows) {
    const allowed = keys.find((k) => k.key === row.key)?.allowed ?? Infinity;
    const extra = Number(row.failures) - allowed;
    if (extra < 0 || !row.last) continue;
    const required = Math.min(maxWaitMs, 1000 * 2 ** extra);
    const remaining = new Date(row.last).getTime() + required - now.getTime();
    waitMs = Math.max(waitMs, remaining);
  }
  if (waitMs > 0) throw new RateLimited(Math.ceil(waitMs / 1000), 'errors.signInThrottled.body');
}

export async function recordFailure(db: Db, keys: string[], now = new Date()): Promise<void> {
  await db.insert(authFailures).values(keys.map((key) => ({ key, failedAt: now })));
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.delete(authFailures).where(eq(authFailures.key, key));
}

/**
 * Counts one request against `limit` per `windowSeconds` for `key` (fixed window, shared by every
 * replica through the database). Throws `RateLimited` when over.
 */
export async function hitRateLimit(db: Db, key: string, limit: number, windowSeconds: number, now = new Date()): Promise<void> {
  const windowMsLen = windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMsLen) * windowMsLen);
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } })
    .returning({ count: rateLimits.count });
  if (row && row.count > limit) {
    throw new RateLimited(Math.ceil((windowStart.getTime() + windowMsLen - now.getTime()) / 1000));
  }
}

/** Drops counters and failures too old to matter (periodic job). */
export async function purgeThrottles(db: Db, now = new Date()): Promise<void> {
  const old = new Date(now.getTime() - 24 * 3_600_000);
  await db.delete(authFailures).where(lt(authFailures.failedAt, old));
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, old));
}
