import { index, integer, jsonb, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AccountProfile } from './actor.js';
import { kernelSchema } from '../db/schema.js';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A copy of the account's profile (roles, status) kept with the session or token, so a request
 * needs one query instead of two. The owner of accounts clears it, in the same transaction, whenever
 * roles or account details change (`forgetProfiles`); the epoch stops a request that read the old
 * profile from putting it back after such a change.
 */
const cachedProfile = () => ({
  profile: jsonb('profile').$type<AccountProfile>(),
  profileEpoch: integer('profile_epoch').notNull().default(0),
});

/** Browser sessions. Only a hash of the cookie value is stored, so a database leak opens no session. */
export const sessions = kernelSchema.table(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    accountId: uuid('account_id').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    lastSeenAt: at('last_seen_at').notNull().defaultNow(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    ...cachedProfile(),
  },
  (t) => [index('sessions_account_idx').on(t.accountId)],
);

/** API tokens for machine clients: hashed at rest, scoped, expiring and revocable. */
export const apiTokens = kernelSchema.table(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id').notNull(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    /** First characters of the secret, shown so people can tell their tokens apart. */
    prefix: text('prefix').notNull(),
    scopes: text('scopes').array().notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    expiresAt: at('expires_at').notNull(),
    lastUsedAt: at('last_used_at'),
    revokedAt: at('revoked_at'),
    ...cachedProfile(),
  },
  (t) => [index('api_tokens_account_idx').on(t.accountId)],
);

/** Failed sign-ins per key (`account:<email>` or `ip:<address>`), for progressive back-off. */
export const authFailures = kernelSchema.table(
  'auth_failures',
  {
    key: text('key').notNull(),
    failedAt: at('failed_at').notNull().defaultNow(),
  },
  (t) => [index('auth_failures_key_idx').on(t.key, t.failedAt)],
);

/** Fixed-window request counters shared by every replica. */
export const rateLimits = kernelSchema.table(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: at('window_start').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);
