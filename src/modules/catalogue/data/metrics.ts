import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db/index.js';
import { dailyMetrics, datasets, resources } from '../schema.js';

/** Stands for "the dataset page itself" in the daily metrics (resource pages use their id). */
export const datasetPageKey = '00000000-0000-0000-0000-000000000000';

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

async function count(db: Db, datasetId: string, resourceId: string, column: 'views' | 'downloads'): Promise<void> {
  await db
    .insert(dailyMetrics)
    .values({ day: today(), datasetId, resourceId, views: column === 'views' ? 1 : 0, downloads: column === 'downloads' ? 1 : 0 })
    .onConflictDoUpdate({
      target: [dailyMetrics.day, dailyMetrics.datasetId, dailyMetrics.resourceId],
      set: column === 'views' ? { views: sql`${dailyMetrics.views} + 1` } : { downloads: sql`${dailyMetrics.downloads} + 1` },
    });
}

/** Counts a view of a dataset page, or of one of its resource pages (totals feed the "popular" sort). */
export async function recordView(db: Db, datasetId: string, resourceId?: string): Promise<void> {
  await count(db, datasetId, resourceId ?? datasetPageKey, 'views');
  if (resourceId) await db.update(resources).set({ views: sql`${resources.views} + 1` }).where(eq(resources.id, resourceId));
  else await db.update(datasets).set({ views: sql`${datasets.views} + 1` }).where(eq(datasets.id, datasetId));
}

/** Counts a download of a resource, for it and for its dataset. */
export async function recordDownload(db: Db, datasetId: string, resourceId: string): Promise<void> {
  await count(db, datasetId, resourceId, 'downloads');
  await db.update(resources).set({ downloads: sql`${resources.downloads} + 1` }).where(eq(resources.id, resourceId));
  await db.update(datasets).set({ downloads: sql`${datasets.downloads} + 1` }).where(eq(datasets.id, datasetId));
}
