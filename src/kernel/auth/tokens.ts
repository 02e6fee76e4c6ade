import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { AccountProfile } from './actor.js';
import { apiTokens } from './schema.js';
import { hashSecret, newSecret } from './secrets.js';

/** Every API token secret starts with this, so secret scanners can recognise leaked tokens. */
export const tokenPrefix = 'trl_';

export interface LiveToken extends ApiTokenSummary {
  profile: AccountProfile | null;
  profileEpoch: number;
}

export interface ApiTokenSummary {
  id: string;
  accountId: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const summary = {
  id: apiTokens.id,
  accountId: apiTokens.accountId,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  scopes: apiTokens.scopes,
  createdAt: apiTokens.createdAt,
  expiresAt: apiTokens.expiresAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};

/** Creates a token and returns its secret: the only time the secret exists outside the client. */
export async function issueToken(
  db: Db,
  input: { accountId: string; name: string; scopes: string[]; expiresAt: Date },
): Promise<{ secret: string; token: ApiTokenSummary }> {
  const secret = newSecret(tokenPrefix);
  const [token] = await db
    .insert(apiTokens)
    .values({ ...input, tokenHash: hashSecret(secret), prefix: secret.slice(0, tokenPrefix.length + 6) })
    .returning(summary);
  return { secret, token: token! };
}

/** The live token for a secret, or null (unknown, expired or revoked). Marks it used, at most once a minute. */
export async function findToken(db: Db, secret: string, now = new Date()): Promise<LiveToken | null> {
  if (!secret.startsWith(tokenPrefix)) return null;
  const [token] = await db
    .select({ ...summary, profile: apiTokens.profile, profileEpoch: apiTokens.profileEpoch })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashSecret(secret)), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)))
    .limit(1);
  if (!token) return null;
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, token.id));
  }
  return token;
}

/** Keeps a freshly read profile with the token, unless the account changed meanwhile (see sessions). */
export async function rememberTokenProfile(db: Db, token: LiveToken, profile: AccountProfile): Promise<void> {
  await db.update(apiTokens).set({ profile }).where(and(eq(apiTokens.id, token.id), eq(apiTokens.profileEpoch, token.profileEpoch)));
}

export function listTokens(db: Db, accountId: string): Promise<ApiTokenSummary[]> {
  return db.select(summary).from(apiTokens).where(eq(apiTokens.accountId, accountId)).orderBy(desc(apiTokens.createdAt));
}

export async function getToken(db: Db, id: string): Promise<ApiTokenSummary | null> {
  const [token] = await db.select(summary).from(apiTokens).where(eq(apiTokens.id, id)).limit(1);
  return token ?? null;
}

/** Revokes one token; returns false when it was already revoked. */
export async function revokeToken(db: Db, id: string, now = new Date()): Promise<boolean> {
  const rows = await db.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))).returning({ id: apiTokens.id });
  return rows.length > 0;
}

/** Revokes every live token of an account (deactivation). */
export async function revokeAccountTokens(db: Db, accountId: string, now = new Date()): Promise<void> {
  await db.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.accountId, accountId), isNull(apiTokens.revokedAt)));
}
