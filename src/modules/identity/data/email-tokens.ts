import { and, eq, gt, isNull } from 'drizzle-orm';
import { hashSecret, newSecret } from '../../../kernel/auth/secrets.js';
import type { Db } from '../../../kernel/db/index.js';
import { emailTokens } from '../schema.js';

export type EmailTokenPurpose = (typeof emailTokens.$inferSelect)['purpose'];

/** Makes a one-time link secret; earlier unused links for the same purpose stop working. */
export async function issueEmailToken(db: Db, accountId: string, purpose: EmailTokenPurpose, ttlMinutes: number): Promise<string> {
  const secret = newSecret();
  const now = new Date();
  await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.accountId, accountId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
  await db.insert(emailTokens).values({ accountId, purpose, tokenHash: hashSecret(secret), expiresAt: new Date(now.getTime() + ttlMinutes * 60_000) });
  return secret;
}

/** The account a live link belongs to, without using it up (to show a confirmation page). */
export async function peekEmailToken(db: Db, secret: string, purpose: EmailTokenPurpose): Promise<string | null> {
  const [row] = await db
    .select({ accountId: emailTokens.accountId })
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, hashSecret(secret)), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, new Date())))
    .limit(1);
  return row?.accountId ?? null;
}

/** Uses up a live link and returns its account, or null if unknown, used or expired. Atomic. */
export async function consumeEmailToken(db: Db, secret: string, purpose: EmailTokenPurpose): Promise<string | null> {
  const now = new Date();
  const [row] = await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.tokenHash, hashSecret(secret)), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
    .returning({ accountId: emailTokens.accountId });
  return row?.accountId ?? null;
}
