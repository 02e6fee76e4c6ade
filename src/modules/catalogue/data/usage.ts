import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db/index.js';
import { rows } from '../../../kernel/db/index.js';
import type { Bilingual } from '../../../kernel/i18n/index.js';
import { catalogueSettings, dailyMetrics, datasets, resources } from '../schema.js';

/**
 * Usage figures read from the daily counts (data/metrics.ts writes them). A dataset's "views" are
 * the views of its page and of its resources' pages; "downloads" are downloads of its resources.
 */
export interface MonthFigures {
  /** `YYYY-MM` (UTC, like the days counted). */
  month: string;
  views: number;
  downloads: number;
}

/** The first day of a `YYYY-MM` month, as a date. */
const firstDay = (month: string) => `${month}-01`;

/** Views and downloads per month from `from` to `to` (both `YYYY-MM`, inclusive), months without any as zero. */
export async function monthlyFigures(db: Db, from: string, to: string, datasetId?: string): Promise<MonthFigures[]> {
  const found = await rows<{ month: string; views: number; downloads: number }>(
    db,
    sql`
    select to_char(m, 'YYYY-MM') as month, coalesce(sum(dm.views), 0)::int as views, coalesce(sum(dm.downloads), 0)::int as downloads
    from generate_series(${firstDay(from)}::timestamp, ${firstDay(to)}::timestamp, interval '1 month') m
    left join ${dailyMetrics} dm on dm.day >= m::date and dm.day < (m + interval '1 month')::date
      ${datasetId ? sql`and dm.dataset_id = ${datasetId}` : sql``}
    group by m order by m`,
  );
  return found.map((r) => ({ month: r.month, views: Number(r.views), downloads: Number(r.downloads) }));
}

export interface DatasetFigures {
  name: string;
  title: Bilingual;
  organization: { slug: string; name: Bilingual };
  views: number;
  downloads: number;
}

/** Published datasets with the most views (or downloads) counted since a day (`YYYY-MM-DD`). */
export async function topDatasets(db: Db, by: 'views' | 'downloads', since: string, limit: number): Promise<DatasetFigures[]> {
  const found = await rows<{ name: string; title: Bilingual; organization: { slug: string; name: Bilingual }; views: number; downloads: number }>(
    db,
    sql`
    select d.name, d.title, d.organization, t.views, t.downloads
    from (select dataset_id, sum(views)::int as views, sum(downloads)::int as downloads
          from ${dailyMetrics} where day >= ${since}::date group by dataset_id) t
    join ${datasets} d on d.id = t.dataset_id
    where d.state = 'published' and ${by === 'views' ? sql`t.views` : sql`t.downloads`} > 0
    order by ${by === 'views' ? sql`t.views desc, t.downloads desc` : sql`t.downloads desc, t.views desc`}, d.name
    limit ${limit}`,
  );
  return found.map((r) => ({ ...r, views: Number(r.views), downloads: Number(r.downloads) }));
}

/** One line of the usage metrics published as open data. */
export interface UsageLine {
  month: string;
  dataset: string;
  titleEn: string;
  titleFr: string;
  organization: string;
  views: number;
  downloads: number;
}

/**
 * Views and downloads per published dataset and month, for the months before `beforeMonth`
 * (complete months only, so published figures never change afterwards), oldest first.
 */
export async function usageLines(db: Db, beforeMonth: string): Promise<UsageLine[]> {
  const found = await rows<{ month: string; dataset: string; title_en: string | null; title_fr: string | null; organization: string; views: number; downloads: number }>(
    db,
    sql`
    select to_char(date_trunc('month', dm.day::timestamp), 'YYYY-MM') as month, d.name as dataset,
           d.title->>'en' as title_en, d.title->>'fr' as title_fr, d.organization->>'slug' as organization,
           sum(dm.views)::int as views, sum(dm.downloads)::int as downloads
    from ${dailyMetrics} dm join ${datasets} d on d.id = dm.dataset_id
    where d.state = 'published' and dm.day < ${firstDay(beforeMonth)}::date
    group by 1, d.name, d.title, d.organization
    order by 1, d.name`,
  );
  return found.map((r) => ({
    month: r.month,
    dataset: r.dataset,
    titleEn: r.title_en ?? '',
    titleFr: r.title_fr ?? '',
    organization: r.organization,
    views: Number(r.views),
    downloads: Number(r.downloads),
  }));
}

/** Each resource of a dataset with its views and downloads since it was added. */
export async function resourceFigures(db: Db, datasetId: string): Promise<Array<{ id: string; name: Bilingual; format: string; views: number; downloads: number }>> {
  return db
    .select({ id: resources.id, name: resources.name, format: resources.format, views: resources.views, downloads: resources.downloads })
    .from(resources)
    .where(eq(resources.datasetId, datasetId))
    .orderBy(asc(resources.position), asc(resources.createdAt));
}

export async function getSetting<T>(db: Db, key: string): Promise<T | null> {
  const [row] = await db.select({ value: catalogueSettings.value }).from(catalogueSettings).where(eq(catalogueSettings.key, key)).limit(1);
  return (row?.value as T | undefined) ?? null;
}

export async function putSetting(db: Db, key: string, value: unknown, accountId: string | null): Promise<void> {
  await db
    .insert(catalogueSettings)
    .values({ key, value, updatedBy: accountId })
    .onConflictDoUpdate({ target: catalogueSettings.key, set: { value, updatedAt: new Date(), updatedBy: accountId } });
}
