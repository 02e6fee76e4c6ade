import type { ActionContext } from '../../../kernel/audit/index.js';
import { NotFound } from '../../../kernel/errors/index.js';
import { contextOf } from '../../../kernel/http/pages.js';
import { getDataset, getDatasets, type CatalogueDeps, type DatasetDetail } from '../actions/datasets.js';
import { listGroups, listLicences } from '../actions/groups.js';
import { getResource } from '../actions/resources.js';
import { searchCatalogue, type SearchRequest } from '../actions/search.js';
import { findResource } from '../data/resources.js';
import type { Dataset, FacetValue, SearchFacets } from '../types.js';
import { groupDict, organizationDict, packageDict, plain, resourceDict } from './dicts.js';
import { searchQueryError, validationError } from './errors.js';
import { flag, integer, required, requiredOneOf, stringList, text } from './params.js';
import { parseFilterQuery, resolveFilters, sortOf, splitQuery, type Filters } from './solr.js';
import type { CkanAction, CkanCall } from './types.js';

/** CKAN's limits: `rows` defaults to 10 and is capped at 1000 (`ckan.search.rows_max`). */
const rowsDefault = 10;
const rowsMax = 1000;
/** `facet.limit` defaults to 50 (`search.facets.limit`); a negative limit means "all". */
const facetLimitDefault = 50;
const facetLimitAll = 100_000;
/** CKAN's `ckan.group_and_organization_list_max` and `…_all_fields_max`. */
const listMax = 1000;
const listAllFieldsMax = 25;

const defaultSort = 'score desc, metadata_modified desc';

/** CKAN facet field → Trillium facet. */
const facetNames: Record<string, keyof SearchFacets> = {
  organization: 'organization',
  groups: 'group',
  tags: 'keyword',
  keywords: 'keyword',
  res_format: 'format',
  license_id: 'licence',
  access_level: 'access',
};

function orNull<T>(promise: Promise<T>): Promise<T | null> {
  return promise.catch((error: unknown) => {
    if (error instanceof NotFound) return null;
    throw error;
  });
}


/** Whether a dataset passes the filters (for `name:` searches, answered without the search index). */
function passes(d: Dataset, f: Filters): boolean {
  const any = (list: string[] | undefined, values: string[], fold = (v: string) => v) => !list || values.some((v) => list.map(fold).includes(fold(v)));
  return (
    any(f.organization, [d.organization.slug]) &&
    any(f.group, d.groups) &&
    any(f.keyword, d.keywords.en, (v) => v.toLowerCase()) &&
    any(f.format, d.formats, (v) => v.toUpperCase()) &&
    any(f.licence, d.licenceId ? [d.licenceId] : []) &&
    any(f.access, [d.accessLevel])
  );
}

/** Facet counts over a few datasets, the way the search counts them. */
function countFacets(datasets: Dataset[]): SearchFacets {
  const count = (values: (d: Dataset) => string[], label?: (d: Dataset) => FacetValue['label']) => {
    const counts = new Map<string, FacetValue>();
    for (const d of datasets) {
      for (const value of new Set(values(d))) {
        const entry = counts.get(value) ?? { value, count: 0, ...(label ? { label: label(d) } : {}) };
        entry.count++;
        counts.set(value, entry);
      }
    }
    return [...counts.values()].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  };
  return {
    organization: count((d) => [d.organization.slug], (d) => d.organization.name),
    group: count((d) => d.groups),
    keyword: count((d) => d.keywords.en.map((k) => k.toLowerCase())),
    format: count((d) => d.formats),
    licence: count((d) => (d.licenceId ? [d.licenceId] : [])),
    access: count((d) => [d.accessLevel]),
  };
}

interface Found {
  total: number;
  datasets: Dataset[];
  /** Already read in full (`name:` searches); otherwise read when the result needs them. */
  details?: DatasetDetail[];
  facets: SearchFacets;
}

/**
 * `name:` clauses: each named dataset is read through `getDataset` (so visibility is the action's),
 * then checked against the other clauses. Full text, if any, is checked with the search itself.
 */
async function searchByName(deps: CatalogueDeps, ctx: ActionContext, request: SearchRequest, names: string[], filters: Filters): Promise<Found> {
  if (names.length > rowsMax) throw searchQueryError(`at most ${rowsMax} names at once`);
  const candidates = (await Promise.all(names.map((name) => orNull(getDataset(deps, ctx, name))))).filter((d): d is DatasetDetail => d !== null);
  let matching = candidates.filter((c) => (c.dataset.state === 'published' || (c.dataset.state === 'draft' && request.drafts)) && passes(c.dataset, filters));
  if (request.q && matching.length) {
    const hits = await searchCatalogue(deps, ctx, { q: request.q, organization: [...new Set(matching.map((m) => m.dataset.organization.slug))], drafts: request.drafts, limit: rowsMax }, 'en');
    const ids = new Set(hits.fuzzy ? [] : hits.datasets.map((d) => d.id));
    matching = matching.filter((m) => ids.has(m.dataset.id));
  }
  const offset = request.offset ?? 0;
  const page = matching.slice(offset, offset + (request.limit ?? rowsDefault));
  return { total: matching.length, datasets: page.map((m) => m.dataset), details: page, facets: countFacets(matching.map((m) => m.dataset)) };
}

function emptyFacets(): SearchFacets {
  return { organization: [], group: [], keyword: [], format: [], licence: [], access: [] };
}

/** The search `package_search` runs: filters from `q` and `fq`, Trillium's search underneath. */
async function runSearch(call: CkanCall, options: { rows: number; start: number; facetLimit?: number; facets: Array<keyof SearchFacets> }): Promise<Found & { sort: string }> {
  const { params, deps } = call;
  const ctx = contextOf(call.request);
  const sort = text(params, 'sort') ?? defaultSort;
  const { text: q, clauses } = splitQuery(text(params, 'q'));
  const fqs = [params['fq'], ...(stringList(params, 'fq_list') ?? [])].flat().filter((fq): fq is string => typeof fq === 'string');
  for (const fq of fqs) clauses.push(...parseFilterQuery(fq));
  const filters = await resolveFilters(clauses, () => deps.identity.listOrganizations());
  const request: SearchRequest = {
    q,
    organization: filters.organization,
    group: filters.group,
    keyword: filters.keyword,
    format: filters.format,
    licence: filters.licence,
    access: filters.access,
    sort: sortOf(sort),
    limit: options.rows,
    offset: options.start,
    drafts: flag(params, 'include_private') || flag(params, 'include_drafts'),
    facetLimit: options.facetLimit ?? facetLimitDefault,
    facets: options.facets,
  };
  if (filters.nothing) return { total: 0, datasets: [], facets: emptyFacets(), sort };
  if (filters.names) return { ...(await searchByName(deps, ctx, request, filters.names, filters)), sort };
  const result = await searchCatalogue(deps, ctx, request, 'en');
  // Trillium shows close matches for a misspelled query; CKAN clients expect exact matches only.
  if (result.fuzzy) return { total: 0, datasets: [], facets: emptyFacets(), sort };
  return { total: result.total, datasets: result.datasets, facets: result.facets, sort };
}

async function displayNames(call: CkanCall): Promise<{ group: Map<string, string>; licence: Map<string, string> }> {
  const [groups, licences] = await Promise.all([listGroups(call.deps), listLicences(call.deps)]);
  return {
    group: new Map(groups.map((g) => [g.name, plain(g.title) || g.name])),
    licence: new Map(licences.map((l) => [l.id, plain(l.title) || l.id])),
  };
}

const packageSearch: CkanAction = async (call) => {
  const { params } = call;
  const rows = Math.min(integer(params, 'rows', rowsDefault), rowsMax);
  const start = integer(params, 'start', 0);
  const fields = flag(params, 'facet', true) ? (stringList(params, 'facet.field') ?? []) : [];
  const limit = integer(params, 'facet.limit', facetLimitDefault, { negative: true });
  const facetLimit = limit < 0 ? facetLimitAll : limit;
  // Like CKAN, facets are counted only when asked for (`facet.field`).
  const counted = [...new Set(fields.map((f) => facetNames[f]).filter((f): f is keyof SearchFacets => f !== undefined))];
  const found = await runSearch(call, { rows, start, facetLimit: Math.max(facetLimit, 1), facets: counted });
  const names = fields.some((f) => f === 'groups' || f === 'license_id') ? await displayNames(call) : null;
  const facets: Record<string, Record<string, number>> = {};
  const searchFacets: Record<string, { title: string; items: Array<{ name: string; display_name: string; count: number }> }> = {};
  for (const field of fields) {
    const facet = facetNames[field];
    const values = (facet ? found.facets[facet] : []).slice(0, facetLimit);
    const display = (v: FacetValue) =>
      facet === 'organization' ? plain(v.label) || v.value : facet === 'group' ? (names?.group.get(v.value) ?? v.value) : facet === 'licence' ? (names?.licence.get(v.value) ?? v.value) : v.value;
    facets[field] = Object.fromEntries(values.map((v) => [v.value, v.count]));
    searchFacets[field] = { title: field, items: values.map((v) => ({ name: v.value, display_name: display(v), count: v.count })) };
  }
  return { count: found.total, sort: found.sort, results: await packageDicts(call, found, fieldList(params)), facets, search_facets: searchFacets };
};

/** Package fields that need more than the search gives: resources, the licence's title, groups. */
const detailFields = new Set(['resources', 'num_resources', 'license_title', 'license_url', 'isopen', 'groups']);

/** CKAN's `fl`: the fields wanted in each result (a JSON list, or names separated by spaces or commas). */
function fieldList(params: Record<string, unknown>): string[] | undefined {
  const value = params['fl'];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && !value.trim().startsWith('[')) return value.split(/[\s,]+/).filter(Boolean);
  return stringList(params, 'fl');
}

/**
 * The results as package dicts, each read in full through `getDataset` (resources as the caller
 * may see them). With `fl` naming only fields the search already has, nothing more is read.
 */
async function packageDicts(call: CkanCall, found: Found, fields: string[] | undefined): Promise<Array<Record<string, unknown>>> {
  const publicUrl = call.deps.kernel.config.publicUrl;
  const details =
    found.details ??
    (!fields || fields.some((f) => detailFields.has(f))
      ? await getDatasets(call.deps, contextOf(call.request), found.datasets)
      : found.datasets.map((dataset) => ({ dataset, resources: null, licence: null, groups: [], permissions: { edit: false, delete: false, viewResources: false } })));
  const dicts = details.map((d) => packageDict(d, publicUrl));
  return fields ? dicts.map((d) => Object.fromEntries(fields.filter((f) => f in d).map((f) => [f, d[f]]))) : dicts;
}

const packageShow: CkanAction = async (call) => {
  const id = requiredOneOf(call.params, ['id', 'name_or_id']);
  return packageDict(await getDataset(call.deps, contextOf(call.request), id), call.deps.kernel.config.publicUrl);
};

/** Names of published datasets, 1,000 at a time underneath (the search's page size). */
const packageList: CkanAction = async (call) => {
  const ctx = contextOf(call.request);
  const offset = integer(call.params, 'offset', 0);
  const limit = integer(call.params, 'limit', Number.MAX_SAFE_INTEGER);
  const names: string[] = [];
  while (names.length < limit) {
    const page = Math.min(rowsMax, limit - names.length);
    const result = await searchCatalogue(call.deps, ctx, { sort: 'name', limit: page, offset: offset + names.length, facets: [] }, 'en');
    names.push(...result.datasets.map((d) => d.name));
    if (result.datasets.length < page) break;
  }
  return names;
};

/** How many published datasets each organization or group has (from the search's facets). */
async function packageCounts(call: CkanCall, facet: 'organization' | 'group'): Promise<Map<string, number>> {
  const result = await searchCatalogue(call.deps, contextOf(call.request), { limit: 0, facetLimit: facetLimitAll, facets: [facet] }, 'en');
  return new Map(result.facets[facet].map((v) => [v.value, v.count]));
}

/** `organization_list` and `group_list`: names, or dicts with `all_fields`; sorted, filtered, paged. */
async function listOf<T extends { name: string; title: string }>(
  call: CkanCall,
  items: T[],
  filterKey: string,
  counts: () => Promise<Map<string, number>>,
  dict: (item: T, count?: number) => Record<string, unknown>,
): Promise<unknown[]> {
  const { params } = call;
  const allFields = flag(params, 'all_fields');
  const max = allFields ? listAllFieldsMax : listMax;
  const limit = Math.min(integer(params, 'limit', max), max);
  const offset = integer(params, 'offset', 0);
  const only = stringList(params, filterKey);
  const sort = (text(params, 'sort') ?? 'title asc').toLowerCase().trim().replace(/\s+/g, ' ');
  const withCount = allFields ? flag(params, 'include_dataset_count', true) : false;
  const [field, direction = 'asc'] = sort.split(' ');
  if (!['name', 'title', 'package_count'].includes(field!) || !['asc', 'desc'].includes(direction)) {
    throw validationError({ sort: [`Cannot sort by "${sort}"; use name, title or package_count, asc or desc`] });
  }
  const countMap = withCount || field === 'package_count' ? await counts() : null;
  const selected = only ? items.filter((i) => only.includes(i.name)) : items;
  const key = (i: T) => (field === 'package_count' ? (countMap!.get(i.name) ?? 0) : field === 'name' ? i.name : i.title.toLowerCase());
  const sorted = [...selected].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    const order = x < y ? -1 : x > y ? 1 : a.name.localeCompare(b.name);
    return direction === 'desc' ? -order : order;
  });
  const page = sorted.slice(offset, offset + limit);
  return allFields ? page.map((i) => dict(i, withCount ? (countMap!.get(i.name) ?? 0) : undefined)) : page.map((i) => i.name);
}

const organizationList: CkanAction = async (call) => {
  const organizations = await call.deps.identity.listOrganizations();
  const items = organizations.map((o) => ({ name: o.slug, title: plain(o.name), organization: o }));
  return listOf(call, items, 'organizations', () => packageCounts(call, 'organization'), (i, count) => organizationDict(i.organization, count));
};

const organizationShow: CkanAction = async (call) => {
  const id = required(call.params, 'id');
  const organization = await call.deps.identity.getOrganization(id);
  if (!organization) throw new NotFound();
  const withDatasets = flag(call.params, 'include_datasets');
  const found = await runSearch(
    { ...call, params: { fq: `organization:"${organization.slug.replace(/"/g, '\\"')}"`, sort: 'metadata_modified desc' } },
    { rows: withDatasets ? rowsMax : 0, start: 0, facets: [] },
  );
  return { ...organizationDict(organization, found.total), ...(withDatasets ? { packages: await packageDicts(call, found, undefined) } : {}) };
};

const groupList: CkanAction = async (call) => {
  const groups = await listGroups(call.deps);
  const items = groups.map((g) => ({ name: g.name, title: plain(g.title), group: g }));
  return listOf(call, items, 'groups', () => packageCounts(call, 'group'), (i, count) => groupDict(i.group, count));
};

/** Keywords of published datasets (the English ones, lower-cased as search counts them). */
const tagList: CkanAction = async (call) => {
  const result = await searchCatalogue(call.deps, contextOf(call.request), { limit: 0, facetLimit: facetLimitAll, facets: ['keyword'] }, 'en');
  const query = text(call.params, 'query')?.toLowerCase();
  const tags = result.facets.keyword.map((v) => v.value).filter((t) => !query || t.includes(query)).sort();
  return flag(call.params, 'all_fields') ? tags.map((name) => ({ id: name, name, display_name: name, vocabulary_id: null })) : tags;
};

const resourceShow: CkanAction = async (call) => {
  const id = required(call.params, 'id');
  // CKAN names a resource by its id alone; the action wants its dataset too. Only the dataset's id
  // is read here: whether the caller may see the resource is `getResource`'s decision.
  const row = await findResource(call.deps.kernel.database.db, id);
  if (!row) throw new NotFound();
  const { detail } = await getResource(call.deps, contextOf(call.request), row.datasetId, id);
  return resourceDict(detail.resource, detail.dataset, call.deps.kernel.config.publicUrl);
};

const statusShow: CkanAction = async (call) => {
  const config = call.deps.kernel.config;
  return {
    site_title: config.siteNameEn,
    site_title_translated: { en: config.siteNameEn, fr: config.siteNameFr },
    site_url: config.publicUrl,
    site_description: '',
    error_emails_to: null,
    locale_default: 'en',
    locales_offered: ['en', 'fr'],
    // The CKAN API version whose actions and shapes this adapter follows.
    ckan_version: '2.10.0',
    extensions: ['fluent', 'datastore', 'trillium'],
  };
};

/** The read actions: safe to call with GET. */
export const readActions: Record<string, CkanAction> = {
  package_search: packageSearch,
  package_show: packageShow,
  package_list: packageList,
  organization_list: organizationList,
  organization_show: organizationShow,
  group_list: groupList,
  tag_list: tagList,
  resource_show: resourceShow,
  status_show: statusShow,
};
