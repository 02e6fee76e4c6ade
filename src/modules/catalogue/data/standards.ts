import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db/index.js';
import { rows } from '../../../kernel/db/index.js';
import type { Bilingual } from '../../../kernel/i18n/index.js';
import { dataStandards, datasets, resources } from '../schema.js';

export type StandardRow = typeof dataStandards.$inferSelect;
export type StandardValues = Omit<typeof dataStandards.$inferInsert, 'id' | 'createdAt'>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One version of a standard, by id (resources refer to it so; the datastore validates loaded data
 * against its `schema`).
 */
export async function findStandard(db: Db, id: string): Promise<StandardRow | null> {
  if (!uuidPattern.test(id)) return null;
  const [row] = await db.select().from(dataStandards).where(eq(dataStandards.id, id)).limit(1);
  return row ?? null;
}

export async function findStandardVersion(db: Db, name: string, version: string): Promise<StandardRow | null> {
  const [row] = await db
    .select()
    .from(dataStandards)
    .where(and(eq(dataStandards.name, name), eq(dataStandards.version, version)))
    .limit(1);
  return row ?? null;
}

/** Every version of a standard, the most recently registered first. */
export async function versionsOf(db: Db, name: string): Promise<StandardRow[]> {
  return db.select().from(dataStandards).where(eq(dataStandards.name, name)).orderBy(desc(dataStandards.createdAt), desc(dataStandards.version));
}

/** The latest version of each standard, by name, with how many versions it has. */
export async function latestStandards(db: Db): Promise<Array<StandardRow & { versions: number }>> {
  const found = await rows<{ id: string; versions: number }>(
    db,
    sql`select distinct on (s.name) s.id, (select count(*)::int from ${dataStandards} v where v.name = s.name) as versions
        from ${dataStandards} s order by s.name, s.created_at desc, s.version desc`,
  );
  if (!found.length) return [];
  const full = await db.select().from(dataStandards).where(inArray(dataStandards.id, found.map((f) => f.id))).orderBy(asc(dataStandards.name));
  return full.map((row) => ({ ...row, versions: Number(found.find((f) => f.id === row.id)?.versions ?? 1) }));
}

/** Every version of every standard (the resource form offers them). */
export async function allStandardVersions(db: Db): Promise<StandardRow[]> {
  return db.select().from(dataStandards).orderBy(asc(dataStandards.name), desc(dataStandards.createdAt));
}

/** Adds a version; null when that name and version exist already (versions never change). */
export async function insertStandard(db: Db, values: StandardValues): Promise<StandardRow | null> {
  const [row] = await db.insert(dataStandards).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

/** Published datasets with a resource that declares conformance to one of these versions. */
export async function datasetsUsing(db: Db, standardIds: string[]): Promise<Array<{ name: string; title: Bilingual; standardId: string }>> {
  if (!standardIds.length) return [];
  return db
    .selectDistinct({ name: datasets.name, title: datasets.title, standardId: sql<string>`${resources.standardId}` })
    .from(resources)
    .innerJoin(datasets, eq(datasets.id, resources.datasetId))
    .where(and(inArray(resources.standardId, standardIds), eq(datasets.state, 'published')))
    .orderBy(asc(datasets.name))
    .limit(200);
}
