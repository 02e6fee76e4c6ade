import { asc, eq, inArray, max } from 'drizzle-orm';
import type { Db } from '../../../kernel/db/index.js';
import { countAll } from '../../../kernel/db/index.js';
import type { DatasetRow } from '../data/datasets.js';
import type { ResourceRow } from '../data/resources.js';
import { datasets, resources } from '../schema.js';

/**
 * The queries the DCAT and datapackage outputs need: published datasets a page at a time, in a
 * stable order (creation, then id) so that paging through a growing catalogue never skips one.
 */
export async function publishedPage(db: Db, limit: number, offset: number): Promise<DatasetRow[]> {
  return db.select().from(datasets).where(eq(datasets.state, 'published')).orderBy(asc(datasets.createdAt), asc(datasets.id)).limit(limit).offset(offset);
}

export async function publishedSummary(db: Db): Promise<{ total: number; modified: Date | null }> {
  const [row] = await db.select({ total: countAll(), modified: max(datasets.modifiedAt) }).from(datasets).where(eq(datasets.state, 'published'));
  return { total: row?.total ?? 0, modified: row?.modified ? new Date(row.modified) : null };
}

/** The resources of several datasets at once, in each dataset's order. */
export async function resourcesOfMany(db: Db, datasetIds: string[]): Promise<Map<string, ResourceRow[]>> {
  const out = new Map<string, ResourceRow[]>();
  if (!datasetIds.length) return out;
  const rows = await db
    .select()
    .from(resources)
    .where(inArray(resources.datasetId, datasetIds))
    .orderBy(asc(resources.datasetId), asc(resources.position), asc(resources.createdAt));
  for (const row of rows) out.set(row.datasetId, [...(out.get(row.datasetId) ?? []), row]);
  return out;
}
