import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db/index.js';
import { countAll } from '../../../kernel/db/index.js';
import { datasetRequests, requestFollowers, requestVotes, type RequestStatus } from '../schema.js';

export type RequestRow = typeof datasetRequests.$inferSelect;
export type RequestValues = Pick<typeof datasetRequests.$inferInsert, 'title' | 'description' | 'locale' | 'requesterId' | 'organizationId'>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findRequest(db: Db, id: string): Promise<RequestRow | null> {
  if (!uuidPattern.test(id)) return null;
  const [row] = await db.select().from(datasetRequests).where(eq(datasetRequests.id, id)).limit(1);
  return row ?? null;
}

export async function insertRequest(db: Db, values: RequestValues): Promise<RequestRow> {
  const [row] = await db.insert(datasetRequests).values(values).returning();
  return row!;
}

export async function updateRequest(
  db: Db,
  id: string,
  patch: Partial<Pick<typeof datasetRequests.$inferInsert, 'status' | 'statusNote' | 'datasetId' | 'organizationId'>>,
): Promise<RequestRow> {
  const [row] = await db.update(datasetRequests).set({ ...patch, updatedAt: new Date() }).where(eq(datasetRequests.id, id)).returning();
  return row!;
}

/**
 * Requests ranked by demand: most votes first, then the oldest (it has waited longest). Optionally
 * only some statuses.
 */
export async function listRequests(db: Db, filter: { statuses?: RequestStatus[]; limit: number; offset: number }): Promise<{ rows: RequestRow[]; total: number }> {
  const where = filter.statuses?.length ? inArray(datasetRequests.status, filter.statuses) : undefined;
  const [rows, [count]] = await Promise.all([
    db
      .select()
      .from(datasetRequests)
      .where(where)
      .orderBy(desc(datasetRequests.votes), asc(datasetRequests.createdAt), asc(datasetRequests.id))
      .limit(filter.limit)
      .offset(filter.offset),
    db.select({ n: countAll() }).from(datasetRequests).where(where),
  ]);
  return { rows, total: count?.n ?? 0 };
}

/** How many requests have each status (the list's filters show them). */
export async function countByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db.select({ status: datasetRequests.status, n: countAll() }).from(datasetRequests).groupBy(datasetRequests.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/**
 * Adds one person's vote. The count moves in the same statement that sees the vote is new, so many
 * people voting at once are all counted, and a second vote by the same person is not.
 */
export async function addVote(db: Db, requestId: string, accountId: string): Promise<boolean> {
  const inserted = await db.insert(requestVotes).values({ requestId, accountId }).onConflictDoNothing().returning({ accountId: requestVotes.accountId });
  if (!inserted.length) return false;
  await db.update(datasetRequests).set({ votes: sql`${datasetRequests.votes} + 1` }).where(eq(datasetRequests.id, requestId));
  return true;
}

/** Takes a person's vote back; false when they had not voted. */
export async function removeVote(db: Db, requestId: string, accountId: string): Promise<boolean> {
  const deleted = await db
    .delete(requestVotes)
    .where(and(eq(requestVotes.requestId, requestId), eq(requestVotes.accountId, accountId)))
    .returning({ accountId: requestVotes.accountId });
  if (!deleted.length) return false;
  await db.update(datasetRequests).set({ votes: sql`greatest(${datasetRequests.votes} - 1, 0)` }).where(eq(datasetRequests.id, requestId));
  return true;
}

export async function hasVoted(db: Db, requestId: string, accountId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: requestVotes.accountId })
    .from(requestVotes)
    .where(and(eq(requestVotes.requestId, requestId), eq(requestVotes.accountId, accountId)))
    .limit(1);
  return !!row;
}

/** The number of votes actually stored (the `votes` column is kept equal to it). */
export async function countVotes(db: Db, requestId: string): Promise<number> {
  const [row] = await db.select({ n: countAll() }).from(requestVotes).where(eq(requestVotes.requestId, requestId));
  return row?.n ?? 0;
}

export async function addFollower(db: Db, requestId: string, accountId: string): Promise<boolean> {
  const inserted = await db.insert(requestFollowers).values({ requestId, accountId }).onConflictDoNothing().returning({ accountId: requestFollowers.accountId });
  return inserted.length > 0;
}

export async function removeFollower(db: Db, requestId: string, accountId: string): Promise<boolean> {
  const deleted = await db
    .delete(requestFollowers)
    .where(and(eq(requestFollowers.requestId, requestId), eq(requestFollowers.accountId, accountId)))
    .returning({ accountId: requestFollowers.accountId });
  return deleted.length > 0;
}

export async function isFollowing(db: Db, requestId: string, accountId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: requestFollowers.accountId })
    .from(requestFollowers)
    .where(and(eq(requestFollowers.requestId, requestId), eq(requestFollowers.accountId, accountId)))
    .limit(1);
  return !!row;
}

/** Accounts to tell when the request's status changes. */
export async function followersOf(db: Db, requestId: string): Promise<string[]> {
  const rows = await db.select({ accountId: requestFollowers.accountId }).from(requestFollowers).where(eq(requestFollowers.requestId, requestId)).orderBy(asc(requestFollowers.createdAt));
  return rows.map((r) => r.accountId);
}
