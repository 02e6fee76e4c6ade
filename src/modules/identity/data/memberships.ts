import { and, asc, count, eq, sql } from 'drizzle-orm';
import { forgetProfiles } from '../../../kernel/auth/sessions.js';
import type { Db } from '../../../kernel/db/index.js';
import { accounts, memberships, organizations } from '../schema.js';
import type { Member, MembershipView } from '../types.js';

export async function membershipsOf(db: Db, accountId: string): Promise<MembershipView[]> {
  const rows = await db
    .select({
      organizationId: organizations.id,
      organizationSlug: organizations.slug,
      organizationName: organizations.name,
      roles: sql<string[]>`array_agg(${memberships.role} order by ${memberships.role})`,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.accountId, accountId))
    .groupBy(organizations.id)
    .orderBy(asc(sql`lower(${organizations.name}->>'en')`));
  return rows;
}

export async function membersOf(db: Db, organizationId: string): Promise<Member[]> {
  return db
    .select({
      accountId: accounts.id,
      displayName: accounts.displayName,
      email: accounts.email,
      status: accounts.status,
      roles: sql<string[]>`array_agg(${memberships.role} order by ${memberships.role})`,
    })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(eq(memberships.organizationId, organizationId))
    .groupBy(accounts.id)
    .orderBy(asc(sql`lower(${accounts.displayName})`));
}

export async function rolesIn(db: Db, accountId: string, organizationId: string): Promise<string[]> {
  const rows = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.accountId, accountId), eq(memberships.organizationId, organizationId)));
  return rows.map((r) => r.role).sort();
}

/** Replaces an account's roles in an organization (no roles: not a member any more). */
export async function setRoles(db: Db, accountId: string, organizationId: string, roles: string[], grantedBy: string | null): Promise<void> {
  await db.delete(memberships).where(and(eq(memberships.accountId, accountId), eq(memberships.organizationId, organizationId)));
  if (roles.length) {
    await db.insert(memberships).values(roles.map((role) => ({ accountId, organizationId, role, grantedBy })));
  }
  // Sessions and tokens keep a copy of the roles; it must not outlive this change.
  await forgetProfiles(db, accountId);
}

/** Active admins of an organization, locked so two concurrent changes cannot both remove the last one. */
export async function lockAndCountAdmins(db: Db, organizationId: string): Promise<number> {
  await db.execute(sql`select 1 from ${organizations} where id = ${organizationId} for update`);
  const [row] = await db
    .select({ n: count() })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, 'admin'), eq(accounts.status, 'active')));
  return row?.n ?? 0;
}
