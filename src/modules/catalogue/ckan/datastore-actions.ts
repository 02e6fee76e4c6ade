import { contextOf } from '../../../kernel/http/pages.js';
import { liveDataById, queryDatastore, searchDatastoreSql } from '../actions/datastore-query.js';
import { maxLimit } from '../datastore/query.js';
import { ckanType } from '../datastore/types.js';
import type { CkanAction, CkanCall } from './types.js';

/** The action's own address (`/api/3/action/…` or `/api/action/…`, as the client called it). */
function actionPath(call: CkanCall, name: string): string {
  const path = call.request.url.split('?')[0]!;
  return path.endsWith(`/${name}`) ? path : `/api/3/action/${name}`;
}

/** CKAN sends `fields` and `sort` as lists or comma-separated text, and `filters` as an object or JSON text. */
function listParam(value: unknown): unknown {
  return Array.isArray(value) ? value.map(String).join(',') : value;
}

/**
 * `datastore_search`: `resource_id`, `filters` (JSON object), `q` (text or JSON object of field →
 * text), `fields`, `sort`, `limit` (default 100, at most 32,000: larger values are capped, as in
 * CKAN), `offset`, `include_total`; and Trillium's keyset paging (`after`). Returns CKAN's shape:
 * `fields`, `records`, `total` (with `total_was_estimated`), `_links` (start, next) and `next_page`
 * (the keyset address of the next page).
 */
const datastoreSearch: CkanAction = async (call) => {
  const p = call.params;
  const ctx = contextOf(call.request);
  const resourceId = String(p['resource_id'] ?? p['id'] ?? '');
  const data = await liveDataById(call.deps, ctx, resourceId);
  const rawLimit = p['limit'];
  const limit =
    rawLimit === undefined || rawLimit === ''
      ? undefined
      : /^\d+$/.test(String(rawLimit))
        ? String(Math.min(Number(rawLimit), maxLimit))
        : rawLimit;
  const raw: Record<string, unknown> = {
    filters: p['filters'],
    q: p['q'],
    fields: listParam(p['fields']),
    sort: listParam(p['sort']),
    limit,
    offset: p['offset'],
    after: p['after'],
    include_total: p['include_total'],
  };
  const page = await queryDatastore(call.deps, ctx, data, raw);
  const path = actionPath(call, 'datastore_search');
  const offset = p['after'] ? 0 : Number(p['offset'] ?? 0) || 0;
  const pageLimit = Number(limit ?? 100);
  const link = (extra: Record<string, string>) => {
    const search = new URLSearchParams();
    search.set('resource_id', data.resource.id);
    for (const name of ['q', 'fields', 'sort', 'filters', 'include_total'] as const) {
      const v = raw[name];
      if (v !== undefined && v !== null && v !== '')
        search.set(name, typeof v === 'string' ? v : JSON.stringify(v));
    }
    if (limit !== undefined) search.set('limit', String(pageLimit));
    for (const [k, v] of Object.entries(extra)) search.set(k, v);
    return `${path}?${search}`;
  };
  const result: Record<string, unknown> = {
    resource_id: data.resource.id,
    fields: page.fields.map((f) => ({ id: f.name, type: f.type === 'id' ? 'int' : ckanType(f.type) })),
    records: page.records,
    records_format: 'objects',
    limit: pageLimit,
    offset,
    _links: { start: link({}), next: link({ offset: String(offset + pageLimit) }) },
    next_page: page.nextCursor ? link({ after: page.nextCursor }) : null,
  };
  for (const name of ['q', 'filters', 'sort'] as const) if (p[name] !== undefined) result[name] = p[name];
  if (page.total !== null) {
    result['total'] = page.total;
    result['total_was_estimated'] = page.totalEstimated;
  }
  return result;
};

/**
 * `datastore_search_sql`: one read-only SELECT over datastore tables (named by resource id) that
 * the caller may see, with a statement timeout and a row cap. Returns `fields`, `records` and
 * `records_truncated` when the cap cut the result.
 */
const datastoreSearchSql: CkanAction = async (call) => {
  const result = await searchDatastoreSql(call.deps, contextOf(call.request), call.params['sql']);
  return {
    sql: call.params['sql'],
    fields: result.fields,
    records: result.records,
    ...(result.truncated ? { records_truncated: true } : {}),
  };
};

/** CKAN's datastore actions (`datastore_search`, `datastore_search_sql`), backed by datastore/. */
export const datastoreActions: Record<string, CkanAction> = {
  datastore_search: datastoreSearch,
  datastore_search_sql: datastoreSearchSql,
};
