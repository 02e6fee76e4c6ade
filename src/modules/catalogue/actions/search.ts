import type { ActionContext } from '../../../kernel/audit/index.js';
import type { Locale } from '../../../kernel/i18n/index.js';
import { facetCounts, fuzzyDatasets, searchDatasets, suggestQuery, type Sort } from '../data/search.js';
import { toDataset } from '../data/datasets.js';
import { editableOrganizations } from '../policies/index.js';
import type { AccessLevel, SearchFacets, SearchResult } from '../types.js';
import type { CatalogueDeps } from './datasets.js';

export interface SearchRequest {
  q?: string | undefined;
  organization?: string[] | undefined;
  group?: string[] | undefined;
  keyword?: string[] | undefined;
  format?: string[] | undefined;
  licence?: string[] | undefined;
  access?: AccessLevel[] | undefined;
  sort?: Sort | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
  /** Include the drafts of organizations the actor edits. */
  drafts?: boolean | undefined;
  facetLimit?: number | undefined;
  /** The facets to count (all when not given): each costs a pass over the matches. */
  facets?: ReadonlyArray<keyof SearchFacets> | undefined;
}

/**
 * Finds datasets: full text in both languages, facets, sorting and paging. When the text matches
 * nothing, close matches and a corrected query are offered instead.
 */
export async function searchCatalogue(deps: CatalogueDeps, ctx: ActionContext, request: SearchRequest, locale: Locale): Promise<SearchResult> {
  const db = deps.kernel.database.db;
  const q = request.q?.trim() || undefined;
  const query = {
    q,
    locale,
    organizations: request.organization ?? [],
    groups: request.group ?? [],
    keywords: request.keyword ?? [],
    formats: request.format ?? [],
    licences: request.licence ?? [],
    access: request.access ?? [],
    sort: request.sort ?? (q ? 'relevance' : 'newest'),
    limit: Math.min(Math.max(request.limit ?? 20, 0), 1000),
    offset: Math.max(request.offset ?? 0, 0),
    draftsOf: request.drafts ? editableOrganizations(ctx.actor) : [],
    allDrafts: !!request.drafts && ctx.actor.superadmin,
    ...(request.facetLimit ? { facetLimit: request.facetLimit } : {}),
    ...(request.facets ? { facets: request.facets } : {}),
  };
  const [page, counts] = await Promise.all([searchDatasets(db, query), facetCounts(db, query)]);
  if (counts.total > 0 || !q) return { total: counts.total, datasets: page.map(toDataset), facets: counts.facets, suggestion: null, fuzzy: false };
  const [fuzzy, suggestion] = await Promise.all([fuzzyDatasets(db, query), suggestQuery(db, q)]);
  return { total: fuzzy.total, datasets: fuzzy.datasets.map(toDataset), facets: counts.facets, suggestion, fuzzy: fuzzy.total > 0 };
}
