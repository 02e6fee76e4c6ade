import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { hashSecret, newSecret } from '../../../kernel/auth/secrets.js';
import type { Db } from '../../../kernel/db/index.js';
import { invitations } from '../schema.js';
import type { Invitation } from '../types.js';

const open = and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt));
const view = {
  id: invitations.id,
  organizationId: invitations.organizationId,
  email: invitations.email,
  roles: invitations.roles,
  expiresAt: invitations.expiresAt,
  createdAt: invitations.createdAt,
};

export async function createInvitation(db: Db, values: { organizationId: string; email: string; roles: string[]; invitedBy: string | null; ttlDays: number }): Promise<{ invitation: Invitation; secret: string }> {
  const secret = newSecret();
  // An expired invitation to the same address is replaced rather than blocking a new one.
  await db
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(invitations.organizationId, values.organizationId), sql`lower(${invitations.email}) = lower(${values.email})`, open));
  const [row] = await db
    .insert(invitations)
    .values({
      organizationId: values.organizationId,
      email: values.email,
      roles: values.roles,
      invitedBy: values.invitedBy,
      tokenHash: hashSecret(secret),
      expiresAt: new Date(Date.now() + values.ttlDays * 86_400_000),
    })
    .returning(view);
  return { invitation: row!, secret };
}

export async function openInvitationFor(db: Db, organizationId: string, email: string): Promise<Invitation | null> {
  const [row] = await db
    .select(view)
    .from(invitations)
    .where(and(eq(invitations.organizationId, organizationId), sql`lower(${invitations.email}) = lower(${email})`, open, gt(invitations.expiresAt, new Date())))
    .limit(1);
  return row ?? null;
}

export async function findLiveInvitation(db: Db, secret: string): Promise<Invitation | null> {
  const [row] = await db
    .select(view)
    .from(invitations)
    .where(and(eq(invitations.tokenHash, hashSecret(secret)), open, gt(invitations.expiresAt, new Date())))
    .limit(1);
  return row ?? null;
}

export async function listOpenInvitations(db: Db, organizationId: string): Promise<Invitation[]> {
  return db.select(view).from(invitations).where(and(eq(invitations.organizationId, organizationId), open)).orderBy(asc(invitations.createdAt));
}

export async function findInvitation(db: Db, id: string): Promise<Invitation | null> {
  const [row] = await db.select(view).from(invitations).where(eq(invitations.id, id)).limit(1);
  return row ?? null;
}

/** Marks an open invitation revoked; false if it was not open. */
export async function revokeInvitation(db: Db, id: string): Promise<boolean> {
  const rows = await db.update(invitations).set({ revokedAt: new Date() }).where(and(eq(invitations.id, id), open)).returning({ id: invitations.id });
  return rows.length > 0;
}

/** Marks an open invitation accepted by an account; false if someone used it first. */
export async function markAccepted(db: Db, id: string, accountId: string): Promise<boolean> {
  const rows = await db
    .update(invitations)
    .set({ acceptedAt: new Date(), acceptedAccountId: accountId })
    .where(and(eq(invitations.id, id), open))
    .returning({ id: invitations.id });
  return rows.length > 0;
}
