import { and, asc, count, eq, ilike, or, sql } from 'drizzle-orm';
import type { AccountProfile } from '../../../kernel/auth/actor.js';
import { forgetProfiles } from '../../../kernel/auth/sessions.js';
import type { Db } from '../../../kernel/db/index.js';
import type { Locale } from '../../../kernel/i18n/index.js';
import { likePattern } from '../../../kernel/search/index.js';
import { accounts, memberships } from '../schema.js';
import type { Account, Page } from '../types.js';

export type AccountRecord = typeof accounts.$inferSelect;

export function toAccount(row: AccountRecord): Account {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    locale: row.locale,
    superadmin: row.superadmin,
    status: row.status,
    emailVerified: row.emailVerifiedAt !== null,
    createdAt: row.createdAt,
    lastSignInAt: row.lastSignInAt,
  };
}

export async function findAccountByEmail(db: Db, email: string): Promise<AccountRecord | null> {
  const [row] = await db.select().from(accounts).where(sql`lower(${accounts.email}) = lower(${email})`).limit(1);
  return row ?? null;
}

export async function findAccount(db: Db, id: string): Promise<AccountRecord | null> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id)).limit(1);
  return row ?? null;
}

export async function insertAccount(
  db: Db,
  values: { email: string; displayName: string; passwordHash: string; locale: Locale; emailVerifiedAt?: Date | null; superadmin?: boolean },
): Promise<AccountRecord> {
  const [row] = await db.insert(accounts).values(values).returning();
  return row!;
}

export async function updateAccount(db: Db, id: string, patch: Partial<Omit<AccountRecord, 'id' | 'createdAt'>>): Promise<AccountRecord> {
  const [row] = await db.update(accounts).set({ ...patch, updatedAt: new Date() }).where(eq(accounts.id, id)).returning();
  // Sessions and tokens keep a copy of the profile; it must not outlive this change.
  if (['displayName', 'email', 'locale', 'superadmin', 'status'].some((k) => k in patch)) await forgetProfiles(db, id);
  return row!;
}

/** What the kernel needs to know about a signed-in account, in one query. */
export async function accountProfile(db: Db, id: string): Promise<AccountProfile | null> {
  const [row] = await db
    .select({
      id: accounts.id,
      displayName: accounts.displayName,
      email: accounts.email,
      locale: accounts.locale,
      superadmin: accounts.superadmin,
      status: accounts.status,
      memberships: sql<Array<{ organizationId: string; role: string }> | null>`(
        select json_agg(json_build_object('organizationId', m.organization_id, 'role', m.role))
        from ${memberships} m where m.account_id = ${accounts.id})`,
    })
    .from(accounts)
    .where(eq(accounts.id, id))
    .limit(1);
  if (!row) return null;
  return {
    accountId: row.id,
    displayName: row.displayName,
    email: row.email,
    locale: row.locale,
    superadmin: row.superadmin,
    active: row.status === 'active',
    memberships: row.memberships ?? [],
  };
}

export async function searchAccounts(db: Db, q: string | undefined, limit: number, offset: number): Promise<Page<Account>> {
  const filter = q ? or(ilike(accounts.email, likePattern(q)), ilike(accounts.displayName, likePattern(q))) : undefined;
  const [rows, [total]] = await Promise.all([
    db.select().from(accounts).where(filter).orderBy(asc(accounts.displayName), asc(accounts.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(accounts).where(filter),
  ]);
  return { items: rows.map(toAccount), total: total?.n ?? 0, limit, offset };
}

export async function countActiveSuperadmins(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(accounts).where(and(eq(accounts.superadmin, true), eq(accounts.status, 'active')));
  return row?.n ?? 0;
}
