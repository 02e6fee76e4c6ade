import { and, count, desc, eq, gte, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../../kernel/db/index.js';
import { feedback, improvements, pageFeedback, type Achieved } from '../schema.js';

export type FeedbackRow = typeof feedback.$inferSelect;

/**
 * Stores one response and counts its rating for the KPIs, on the local day. Returns null when the
 * reference already has a response (a second submission stores nothing).
 */
export async function insertFeedback(
  db: Db,
  values: { serviceId: string; reference: string | null; satisfaction: number; achieved: Achieved | null; comment: string | null; locale: string },
  timeZone: string,
): Promise<FeedbackRow | null> {
  const [row] = await db.insert(feedback).values(values).onConflictDoNothing().returning();
  if (!row) return null;
  await db.execute(sql`
    insert into services.daily_ratings (service_id, day, rating, responses)
    values (${row.serviceId}, (${row.submittedAt.toISOString()}::timestamptz at time zone ${timeZone})::date, ${values.satisfaction}, 1)
    on conflict (service_id, day, rating) do update set responses = services.daily_ratings.responses + 1`);
  return row;
}

export async function referenceUsed(db: Db, serviceId: string, reference: string): Promise<boolean> {
  const [row] = await db.select({ id: feedback.id }).from(feedback).where(and(eq(feedback.serviceId, serviceId), eq(feedback.reference, reference))).limit(1);
  return !!row;
}

export interface InboxFilter {
  satisfaction?: number[];
  achieved?: Achieved;
  status?: 'open' | 'actioned';
  tag?: string;
  withComment?: boolean;
  /** Local days, both included. */
  from?: string;
  to?: string;
}

function inboxWhere(serviceId: string, f: InboxFilter, timeZone: string): SQL {
  const parts: SQL[] = [eq(feedback.serviceId, serviceId)];
  if (f.satisfaction?.length) parts.push(sql`${feedback.satisfaction} in (${sql.join(f.satisfaction.map((s) => sql`${s}`), sql`, `)})`);
  if (f.achieved) parts.push(eq(feedback.achieved, f.achieved));
  if (f.status) parts.push(eq(feedback.actioned, f.status === 'actioned'));
  if (f.tag) parts.push(sql`${f.tag} = any(${feedback.tags})`);
  if (f.withComment) parts.push(isNotNull(feedback.comment));
  if (f.from) parts.push(gte(feedback.submittedAt, sql`(${f.from}::date::timestamp at time zone ${timeZone})`));
  if (f.to) parts.push(lt(feedback.submittedAt, sql`((${f.to}::date + 1)::timestamp at time zone ${timeZone})`));
  return and(...parts)!;
}

/** A page of a service's feedback, newest first, and how many match. */
export async function listFeedback(db: Db, serviceId: string, filter: InboxFilter, timeZone: string, limit: number, offset: number): Promise<{ rows: FeedbackRow[]; total: number }> {
  const where = inboxWhere(serviceId, filter, timeZone);
  const [found, [total]] = await Promise.all([
    db.select().from(feedback).where(where).orderBy(desc(feedback.submittedAt), desc(feedback.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(feedback).where(where),
  ]);
  return { rows: found, total: Number(total?.n ?? 0) };
}

/** The tags in use on a service's feedback, most used first. */
export async function tagsInUse(db: Db, serviceId: string): Promise<Array<{ tag: string; uses: number }>> {
  const found = await rows<{ tag: string; uses: string }>(
    db,
    sql`select tag, count(*) as uses from services.feedback, unnest(tags) as tag where service_id = ${serviceId} group by tag order by count(*) desc, tag limit 50`,
  );
  return found.map((r) => ({ tag: r.tag, uses: Number(r.uses) }));
}

export async function findFeedback(db: Db, id: string): Promise<FeedbackRow | null> {
  const [row] = await db.select().from(feedback).where(eq(feedback.id, id)).limit(1);
  return row ?? null;
}

export async function updateFeedback(db: Db, id: string, values: Partial<Pick<FeedbackRow, 'tags' | 'actioned' | 'actionedAt' | 'actionedBy'>>): Promise<FeedbackRow> {
  const [row] = await db.update(feedback).set(values).where(eq(feedback.id, id)).returning();
  return row!;
}

/** Responses submitted since `since`, per service (the weekly digest). */
export async function feedbackSince(db: Db, since: Date): Promise<FeedbackRow[]> {
  return db.select().from(feedback).where(gte(feedback.submittedAt, since)).orderBy(feedback.serviceId, desc(feedback.submittedAt));
}

export async function insertPageFeedback(db: Db, values: typeof pageFeedback.$inferInsert): Promise<void> {
  await db.insert(pageFeedback).values(values);
}

export async function listPageFeedback(db: Db, limit: number, offset: number): Promise<{ rows: Array<typeof pageFeedback.$inferSelect>; total: number }> {
  const [found, [total]] = await Promise.all([
    db.select().from(pageFeedback).orderBy(desc(pageFeedback.submittedAt)).limit(limit).offset(offset),
    db.select({ n: count() }).from(pageFeedback),
  ]);
  return { rows: found, total: Number(total?.n ?? 0) };
}

export async function insertImprovement(db: Db, values: typeof improvements.$inferInsert): Promise<typeof improvements.$inferSelect> {
  const [row] = await db.insert(improvements).values(values).returning();
  return row!;
}

export async function listImprovements(db: Db, serviceId: string): Promise<Array<typeof improvements.$inferSelect>> {
  return db.select().from(improvements).where(eq(improvements.serviceId, serviceId)).orderBy(desc(improvements.publishedOn), desc(improvements.createdAt));
}

