import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db/index.js';
import type { Bilingual } from '../../../kernel/i18n/index.js';
import { jobsTable, type JobView } from '../../../kernel/jobs/index.js';
import { harvestSources } from '../schema.js';
import type { HarvestKind, HarvestReport, HarvestSource } from './types.js';

/** The only code that reads and writes `catalogue.harvest_sources`. */
type Row = typeof harvestSources.$inferSelect;

function toSource(row: Row): HarvestSource {
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    kind: row.kind,
    url: row.url,
    organizationId: row.organizationId,
    createdAt: row.createdAt,
    lastJobId: row.lastJobId,
    lastRunAt: row.lastRunAt,
    lastReport: (row.lastReport as HarvestReport | null) ?? null,
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function allSources(db: Db): Promise<HarvestSource[]> {
  return (await db.select().from(harvestSources).orderBy(asc(harvestSources.name))).map(toSource);
}

/** A source by id or name. */
export async function findSource(db: Db, idOrName: string): Promise<HarvestSource | null> {
  const [row] = await db
    .select()
    .from(harvestSources)
    .where(uuidPattern.test(idOrName) ? eq(harvestSources.id, idOrName) : eq(harvestSources.name, idOrName))
    .limit(1);
  return row ? toSource(row) : null;
}

export interface SourceValues {
  title: Bilingual;
  kind: HarvestKind;
  url: string;
  organizationId: string;
}

export async function insertSource(db: Db, values: SourceValues & { name: string; createdBy: string | null }): Promise<HarvestSource> {
  const [row] = await db.insert(harvestSources).values(values).returning();
  return toSource(row!);
}

export async function updateSource(db: Db, id: string, values: SourceValues): Promise<HarvestSource> {
  const [row] = await db.update(harvestSources).set(values).where(eq(harvestSources.id, id)).returning();
  return toSource(row!);
}

export async function setLastJob(db: Db, id: string, jobId: string): Promise<void> {
  await db.update(harvestSources).set({ lastJobId: jobId }).where(eq(harvestSources.id, id));
}

export async function saveReport(db: Db, id: string, report: HarvestReport): Promise<void> {
  await db
    .update(harvestSources)
    .set({ lastReport: report as unknown as Record<string, unknown>, lastRunAt: new Date(report.finishedAt) })
    .where(eq(harvestSources.id, id));
}

/** The harvests of a source, newest first (they are jobs; the payload names the source). */
export async function runsOf(db: Db, sourceId: string, limit = 10): Promise<JobView[]> {
  const j = jobsTable;
  const rows = await db
    .select({
      id: j.id,
      name: j.name,
      status: j.status,
      attempts: j.attempts,
      maxAttempts: j.maxAttempts,
      runAt: j.runAt,
      progressDone: j.progressDone,
      progressTotal: j.progressTotal,
      progressMessage: j.progressMessage,
      lastError: j.lastError,
      result: j.result,
      ownerId: j.ownerId,
      createdAt: j.createdAt,
      finishedAt: j.finishedAt,
    })
    .from(j)
    .where(and(eq(j.name, harvestJob), sql`${j.payload}->>'sourceId' = ${sourceId}`))
    .orderBy(desc(j.createdAt))
    .limit(limit);
  return rows as JobView[];
}

/** The job that harvests a source. */
export const harvestJob = 'catalogue.harvest';
