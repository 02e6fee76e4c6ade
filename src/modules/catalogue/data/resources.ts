import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db/index.js';
import { resources } from '../schema.js';
import type { Resource } from '../types.js';

export type ResourceRow = typeof resources.$inferSelect;

export function toResource(row: ResourceRow): Resource {
  return {
    id: row.id,
    datasetId: row.datasetId,
    position: row.position,
    name: row.name,
    description: row.description,
    kind: row.kind,
    url: row.url,
    fileName: row.fileName,
    format: row.format,
    mediaType: row.mediaType,
    size: row.size,
    sha256: row.sha256,
    tableSchema: row.tableSchema,
    standardId: row.standardId,
    datastoreTable: row.datastoreTable,
    datastoreRows: row.datastoreRows,
    loadStatus: row.loadStatus,
    loadJobId: row.loadJobId,
    loadedAt: row.loadedAt,
    validation: row.validation,
    views: row.views,
    downloads: row.downloads,
    createdAt: row.createdAt,
    modifiedAt: row.modifiedAt,
  };
}

/** The resources of several datasets at once, in each dataset's order. */
export async function resourcesOfMany(db: Db, datasetIds: string[]): Promise<ResourceRow[]> {
  if (!datasetIds.length) return [];
  return db.select().from(resources).where(inArray(resources.datasetId, datasetIds)).orderBy(asc(resources.position), asc(resources.createdAt));
}

export async function resourcesOf(db: Db, datasetId: string): Promise<ResourceRow[]> {
  return db.select().from(resources).where(eq(resources.datasetId, datasetId)).orderBy(asc(resources.position), asc(resources.createdAt));
}

export async function findResource(db: Db, id: string): Promise<ResourceRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [row] = await db.select().from(resources).where(eq(resources.id, id)).limit(1);
  return row ?? null;
}

export type ResourceValues = Omit<typeof resources.$inferInsert, 'id' | 'createdAt' | 'modifiedAt' | 'position'>;

/** Adds a resource at the end of the dataset's list. */
export async function insertResource(db: Db, values: ResourceValues): Promise<ResourceRow> {
  const [row] = await db
    .insert(resources)
    .values({
      ...values,
      position: sql`coalesce((select max(position) + 1 from ${resources} where dataset_id = ${values.datasetId}), 0)`,
    })
    .returning();
  return row!;
}

export async function updateResource(db: Db, id: string, patch: Partial<ResourceValues>): Promise<ResourceRow> {
  const [row] = await db.update(resources).set({ ...patch, modifiedAt: new Date() }).where(eq(resources.id, id)).returning();
  return row!;
}

export async function deleteResource(db: Db, id: string): Promise<void> {
  await db.delete(resources).where(eq(resources.id, id));
}
