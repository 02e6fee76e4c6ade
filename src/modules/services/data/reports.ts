import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db/index.js';
import { assessments, costs, countReports, standardPoints, standardResults, standards } from '../schema.js';

export type CountReportRow = typeof countReports.$inferSelect;
export type CostRow = typeof costs.$inferSelect;
export type StandardDefinitionRow = typeof standards.$inferSelect;
export type StandardPointRow = typeof standardPoints.$inferSelect;
export type AssessmentRow = typeof assessments.$inferSelect;

/** Reports counts for a period and channel, replacing an earlier report for the same ones. */
export async function upsertCountReports(db: Db, values: Array<typeof countReports.$inferInsert>): Promise<void> {
  for (let i = 0; i < values.length; i += 1000) {
    await db
      .insert(countReports)
      .values(values.slice(i, i + 1000))
      .onConflictDoUpdate({
        target: [countReports.serviceId, countReports.periodStart, countReports.periodEnd, countReports.channel],
        set: { started: sql`excluded.started`, completed: sql`excluded.completed`, missing: sql`excluded.missing`, source: sql`excluded.source`, reportedBy: sql`excluded.reported_by`, reportedAt: sql`now()` },
      });
  }
}

export async function countReportsOf(db: Db, serviceId: string): Promise<CountReportRow[]> {
  return db.select().from(countReports).where(eq(countReports.serviceId, serviceId)).orderBy(desc(countReports.periodStart), asc(countReports.channel));
}

export async function upsertCost(db: Db, values: typeof costs.$inferInsert): Promise<CostRow> {
  const [row] = await db
    .insert(costs)
    .values(values)
    .onConflictDoUpdate({ target: [costs.serviceId, costs.periodStart, costs.periodEnd, costs.channel], set: { amount: sql`excluded.amount`, enteredBy: sql`excluded.entered_by`, enteredAt: sql`now()` } })
    .returning();
  return row!;
}

export async function costsOf(db: Db, serviceId: string): Promise<CostRow[]> {
  return db.select().from(costs).where(eq(costs.serviceId, serviceId)).orderBy(desc(costs.periodStart), asc(costs.channel));
}

export async function insertStandard(db: Db, values: typeof standards.$inferInsert): Promise<StandardDefinitionRow> {
  const [row] = await db.insert(standards).values(values).returning();
  return row!;
}

/** Imports standards by (service, code), returning their ids by code. */
export async function upsertStandards(db: Db, values: Array<typeof standards.$inferInsert>): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (let i = 0; i < values.length; i += 500) {
    const found = await db
      .insert(standards)
      .values(values.slice(i, i + 500))
      .onConflictDoUpdate({ target: [standards.serviceId, standards.code], set: { name: sql`excluded.name`, type: sql`excluded.type`, channel: sql`excluded.channel`, target: sql`excluded.target`, url: sql`excluded.url` } })
      .returning({ id: standards.id, serviceId: standards.serviceId, code: standards.code });
    for (const r of found) ids.set(`${r.serviceId}/${r.code}`, r.id);
  }
  return ids;
}

export async function findStandard(db: Db, id: string): Promise<StandardDefinitionRow | null> {
  const [row] = await db.select().from(standards).where(eq(standards.id, id)).limit(1);
  return row ?? null;
}

export async function upsertStandardResults(db: Db, values: Array<typeof standardResults.$inferInsert>): Promise<void> {
  for (let i = 0; i < values.length; i += 1000) {
    await db
      .insert(standardResults)
      .values(values.slice(i, i + 1000))
      .onConflictDoUpdate({
        target: [standardResults.standardId, standardResults.periodStart, standardResults.periodEnd],
        set: { volumeMeetingTarget: sql`excluded.volume_meeting_target`, totalVolume: sql`excluded.total_volume`, reportedAt: sql`now()` },
      });
  }
}

export async function standardResultsOf(db: Db, standardIds: string[]): Promise<Array<typeof standardResults.$inferSelect>> {
  if (standardIds.length === 0) return [];
  return db.select().from(standardResults).where(sql`${standardResults.standardId} in (${sql.join(standardIds.map((id) => sql`${id}::uuid`), sql`, `)})`).orderBy(desc(standardResults.periodStart));
}

export async function standardsOf(db: Db, serviceId: string): Promise<StandardDefinitionRow[]> {
  return db.select().from(standards).where(eq(standards.serviceId, serviceId)).orderBy(asc(sql`${standards.name}->>'en'`));
}

export async function listStandardPoints(db: Db, activeOnly: boolean): Promise<StandardPointRow[]> {
  return db.select().from(standardPoints).where(activeOnly ? eq(standardPoints.active, true) : undefined).orderBy(asc(standardPoints.position), asc(standardPoints.id));
}

export async function upsertStandardPoint(db: Db, values: typeof standardPoints.$inferInsert): Promise<void> {
  await db
    .insert(standardPoints)
    .values(values)
    .onConflictDoUpdate({ target: standardPoints.id, set: { position: values.position, title: values.title, description: values.description, active: values.active ?? true } });
}

export async function insertAssessment(db: Db, values: typeof assessments.$inferInsert): Promise<AssessmentRow> {
  const [row] = await db.insert(assessments).values(values).returning();
  return row!;
}

/** Every rating of a service, newest first (the first per point is the current one). */
export async function assessmentsOf(db: Db, serviceId: string): Promise<AssessmentRow[]> {
  return db.select().from(assessments).where(and(eq(assessments.serviceId, serviceId))).orderBy(desc(assessments.recordedAt), desc(assessments.id));
}
