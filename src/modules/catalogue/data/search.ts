import { getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../../kernel/db/index.js';
import { rows } from '../../../kernel/db/index.js';
import type { Locale } from '../../../kernel/i18n/index.js';
import { rank, searchQuery } from '../../../kernel/search/index.js';
import { datasets, vocabulary } from '../schema.js';
import type { AccessLevel, FacetValue, SearchFacets } from '../types.js';
import type { DatasetRow } from './datasets.js';

/** Every facet, in the order pages show them. */
export const facetNames: ReadonlyArray<keyof SearchFacets> = ['organization', 'group', 'keyword', 'format', 'licence', 'access'];

export const sorts = ['relevance', 'newest', 'name', 'popular', 'quality'] as const;
export type Sort = (typeof sorts)[number];

export interface SearchQuery {
  q?: string | undefined;
  organizations?: string[];
  groups?: string[];
  keywords?: string[];
  formats?: string[];
  licences?: string[];
  access?: AccessLevel[];
  locale: Locale;
  sort: Sort;
  limit: number;
  offset: number;
  /** Organizations whose drafts are included too (their editors asked for them). */
  draftsOf?: string[];
  /** Every organization's drafts (a superadmin asked for them). */
  allDrafts?: boolean;
  facetLimit?: number;
  /** The facets to count (all when not given); the total is always counted. */
  facets?: ReadonlyArray<keyof SearchFacets>;
}

/** Visibility and facet filters (AND across facets, OR within one). */
function filters(query: SearchQuery, withText: boolean): SQL {
  const parts: SQL[] = [
    query.allDrafts
      ? sql`d.state in ('published', 'draft')`
      : query.draftsOf?.length
      ? sql`(d.state = 'published' or (d.state = 'draft' and d.organization_id in (${sql.join(query.draftsOf.map((id) => sql`${id}::uuid`), sql`, `)})))`
      : sql`d.state = 'published'`,
  ];
  const list = (values: string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);
  if (query.organizations?.length) parts.push(sql`d.organization->>'slug' in (${list(query.organizations)})`);
  if (query.groups?.length) parts.push(sql`d.groups && array[${list(query.groups)}]::text[]`);
  if (query.formats?.length) parts.push(sql`d.formats && array[${list(query.formats.map((f) => f.toUpperCase()))}]::text[]`);
  if (query.licences?.length) parts.push(sql`d.licence_id in (${list(query.licences)})`);
  if (query.access?.length) parts.push(sql`d.access_level in (${list(query.access)})`);
  if (query.keywords?.length) {
    parts.push(sql`exists (select 1 from jsonb_array_elements_text(d.keywords->${query.locale}) k where lower(k) in (${list(query.keywords.map((k) => k.toLowerCase()))}))`);
  }
  if (withText && query.q?.trim()) parts.push(sql`d.search @@ ${searchQuery(query.q.trim())}`);
  return sql.join(parts, sql` and `);
}

function order(query: SearchQuery): SQL {
  const name = sql`lower(coalesce(nullif(d.title->>${query.locale}, ''), d.title->>${query.locale === 'en' ? 'fr' : 'en'}, d.name))`;
  switch (query.sort) {
    case 'newest':
      return sql`d.modified_at desc, d.id`;
    case 'name':
      return sql`${name} asc, d.id`;
    case 'popular':
      return sql`d.views desc, d.downloads desc, d.modified_at desc, d.id`;
    case 'quality':
      return sql`d.quality_score desc, d.modified_at desc, d.id`;
    default:
      // Ranked on the name, titles and keywords (data/datasets.ts `search_head`): a match there
      // is what matters most, and ranking the whole document of every match costs several times more.
      return query.q?.trim() ? sql`${rank(sql`d.search_head`, query.q.trim())} desc, d.modified_at desc, d.id` : sql`d.modified_at desc, d.id`;
  }
}

// The filters and orders above name the table `d`; the search document itself is never sent back.
const d = alias(datasets, 'd');
const { search: _search, searchHead: _searchHead, ...listed } = getTableColumns(d);

/** One page of matching datasets, in the asked order. */
export async function searchDatasets(db: Db, query: SearchQuery): Promise<DatasetRow[]> {
  // The page is chosen on ids alone, then read: a sort carries every selected column of every
  // match, and reading the wide ones (descriptions, keywords) of thousands of matches costs more
  // than ranking them.
  const page = await db.select({ id: d.id }).from(d).where(filters(query, true)).orderBy(order(query)).limit(query.limit).offset(query.offset);
  if (!page.length) return [];
  const found = new Map((await db.select(listed).from(d).where(inArray(d.id, page.map((p) => p.id)))).map((row) => [row.id, row]));
  return page.flatMap(({ id }) => {
    const row = found.get(id);
    return row ? [{ ...row, search: null, searchHead: null }] : [];
  });
}

/** The number of matches and, for each facet, its most frequent values among them. */
export async function facetCounts(db: Db, query: SearchQuery): Promise<{ total: number; facets: SearchFacets }> {
  const limit = query.facetLimit ?? 20;
  const facet = (expression: SQL, label: SQL | null = null) => sql`
    (select coalesce(json_agg(x), '[]') from (
      select value, ${label ?? sql`null::jsonb`} as label, count(*)::int as count
      from m, lateral (select ${expression} as value) v
      where value is not null and value <> ''
      group by value${label ? sql`, label` : sql``}
      order by count desc, value
      limit ${limit}) x)`;
  const unnested = (name: string, values: SQL, value: SQL) => sql`
    (select coalesce(json_agg(x), '[]') from (
      select ${value} as value, null::jsonb as label, count(*)::int as count
      from m, ${values} ${sql.raw(name)} group by ${value} order by count desc, ${value} limit ${limit}) x)`;
  const counted: Record<keyof SearchFacets, { columns: SQL; select: SQL }> = {
    // Counted by id, then named from one dataset each: reading the names of every match costs
    // five times more than counting ids.
    organization: {
      columns: sql`d.organization_id`,
      select: sql`
    (select coalesce(json_agg(x order by x.count desc, x.value), '[]') from (
      select o.organization->>'slug' as value, o.organization->'name' as label, c.count
      from (select organization_id, count(*)::int as count from m group by organization_id order by count desc, organization_id limit ${limit}) c
      cross join lateral (select organization from ${datasets} where organization_id = c.organization_id limit 1) o) x)`,
    },
    group: { columns: sql`d.groups`, select: unnested('g', sql`unnest(m.groups)`, sql`g`) },
    keyword: { columns: sql`d.keywords`, select: unnested('k', sql`jsonb_array_elements_text(m.keywords->${query.locale})`, sql`lower(k)`) },
    format: { columns: sql`d.formats`, select: unnested('f', sql`unnest(m.formats)`, sql`f`) },
    licence: { columns: sql`d.licence_id`, select: facet(sql`m.licence_id`) },
    access: { columns: sql`d.access_level`, select: facet(sql`m.access_level`) },
  };
  // Only the asked facets are counted: each one reads every match, which is what costs most.
  const wanted = (query.facets ?? facetNames).filter((name) => name in counted);
  const [row] = await rows<{ total: number } & Partial<Record<keyof SearchFacets, FacetValue[]>>>(
    db,
    wanted.length
      ? sql`
    with m as (select ${sql.join(wanted.map((name) => counted[name].columns), sql`, `)} from ${datasets} d where ${filters(query, true)})
    select (select count(*)::int from m) as total, ${sql.join(wanted.map((name) => sql`${counted[name].select} as ${sql.identifier(name)}`), sql`, `)}`
      : sql`select count(*)::int as total from ${datasets} d where ${filters(query, true)}`,
  );
  const strip = (values: FacetValue[]) => values.map((v) => (v.label ? v : { value: v.value, count: v.count }));
  return {
    total: row?.total ?? 0,
    facets: {
      organization: strip(row?.organization ?? []),
      group: strip(row?.group ?? []),
      keyword: strip(row?.keyword ?? []),
      format: strip(row?.format ?? []),
      licence: strip(row?.licence ?? []),
      access: strip(row?.access ?? []),
    },
  };
}

/**
 * When nothing matches: datasets whose titles and keywords contain a word close to the query
 * (trigram word similarity, so "minstry" still finds "ministry").
 */
export async function fuzzyDatasets(db: Db, query: SearchQuery): Promise<{ total: number; datasets: DatasetRow[] }> {
  const q = query.q?.trim() ?? '';
  const where = sql`${filters(query, false)} and ${q} <% d.search_text`;
  const [count] = await rows<{ n: number }>(db, sql`select count(*)::int as n from ${datasets} d where ${where}`);
  const found = await db
    .select(listed)
    .from(d)
    .where(where)
    .orderBy(sql`word_similarity(${q}, d.search_text) desc, d.modified_at desc, d.id`)
    .limit(query.limit)
    .offset(query.offset);
  return { total: count?.n ?? 0, datasets: found.map((row) => ({ ...row, search: null, searchHead: null })) };
}

/** "Did you mean": each word of the query replaced by the closest known word, if any differs. */
export async function suggestQuery(db: Db, q: string): Promise<string | null> {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
  let changed = false;
  const corrected: string[] = [];
  for (const word of words) {
    const [best] = await rows<{ word: string }>(
      db,
      sql`select word from ${vocabulary} where word % ${word} order by similarity(word, ${word}) desc, uses desc limit 1`,
    );
    if (best && best.word !== word) {
      corrected.push(best.word);
      changed = true;
    } else corrected.push(word);
  }
  return changed ? corrected.join(' ') : null;
}
