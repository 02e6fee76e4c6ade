import type { ActionContext } from '../../../kernel/audit/index.js';
import { can } from '../../../kernel/auth/policy.js';
import { NotFound } from '../../../kernel/errors/index.js';
import { exportText, type ExportFormat } from '../datastore/export.js';
import { parseDataQuery, runQuery, type DataPage } from '../datastore/query.js';
import { runDatastoreSql, type SqlLimits, type SqlResult } from '../datastore/sql-search.js';
import { liveColumns, tableOwners, type LiveColumn } from '../datastore/store.js';
import { cataloguePermissions } from '../policies/index.js';
import type { Dataset, Resource } from '../types.js';
import type { CatalogueDeps } from './datasets.js';
import { getResource, getResourceById } from './resources.js';

/** A resource's live datastore table, for someone who may see the resource. */
export interface LiveData {
  dataset: Dataset;
  resource: Resource;
  table: string;
  columns: LiveColumn[];
}

/**
 * The live table of a resource the actor may see (the resource's own visibility rules: data of a
 * restricted dataset is for its organization only), or NotFound when it has none.
 */
export async function liveData(
  deps: CatalogueDeps,
  ctx: ActionContext,
  datasetIdOrName: string,
  resourceId: string,
): Promise<LiveData> {
  return liveDataOf(deps, await getResource(deps, ctx, datasetIdOrName, resourceId));
}

/** The same, found from the resource id alone (CKAN clients only send `resource_id`). */
export async function liveDataById(
  deps: CatalogueDeps,
  ctx: ActionContext,
  resourceId: string,
): Promise<LiveData> {
  // Missing and not visible read the same, so the answer does not tell which resources exist.
  const found = await getResourceById(deps, ctx, resourceId).catch((error: unknown) => (error instanceof NotFound ? notLoaded() : Promise.reject(error)));
  return liveDataOf(deps, found);
}

async function liveDataOf(deps: CatalogueDeps, { resource, detail }: Awaited<ReturnType<typeof getResource>>): Promise<LiveData> {
  const table = resource.datastoreTable;
  // A table's columns change only with a new load, which sets `loadedAt`: that is the cache key.
  const columns = table ? await liveColumns(deps.kernel.database.db, table, resource.loadedAt) : null;
  if (!table || !columns) return notLoaded();
  return { dataset: detail.dataset, resource: detail.resource, table, columns };
}

function notLoaded(): never {
  throw new NotFound('catalogue.datastore.errors.notLoaded');
}

export interface QueryOptions {
  /** Accept `field=value` parameters as filters (the Trillium API; CKAN uses `filters` only). */
  fieldFilters?: boolean;
  /** Above this many rows (estimated), totals are estimated (default 100,000). */
  exactCountLimit?: number;
}

/** One page of a query over a resource's data: filters, full text, fields, sort, offset or keyset paging, total. */
export async function queryDatastore(
  deps: CatalogueDeps,
  ctx: ActionContext,
  data: LiveData,
  raw: Record<string, unknown>,
  options: QueryOptions = {},
): Promise<DataPage> {
  const query = parseDataQuery(raw, data.columns, { fieldFilters: options.fieldFilters ?? false });
  void ctx;
  return runQuery(deps.kernel.database.db, data.table, data.columns, query, {
    rowCount: data.resource.datastoreRows,
    ...(options.exactCountLimit !== undefined ? { exactCountLimit: options.exactCountLimit } : {}),
  });
}

/** Reads a resource's data and queries it in one call (the JSON API and the resource page). */
export async function queryResourceData(
  deps: CatalogueDeps,
  ctx: ActionContext,
  datasetIdOrName: string,
  resourceId: string,
  raw: Record<string, unknown>,
  options: QueryOptions = {},
): Promise<DataPage & { data: LiveData }> {
  const data = await liveData(deps, ctx, datasetIdOrName, resourceId);
  return { ...(await queryDatastore(deps, ctx, data, raw, options)), data };
}

/**
 * Any query's result as a CSV or JSON download, streamed in batches (never whole in memory).
 * Paging parameters become a cap: `limit` is how many rows at most (all when absent).
 */
export async function exportResourceData(
  deps: CatalogueDeps,
  ctx: ActionContext,
  datasetIdOrName: string,
  resourceId: string,
  raw: Record<string, unknown>,
  format: ExportFormat,
): Promise<{ fileName: string; contentType: string; chunks: AsyncGenerator<string> }> {
  const data = await liveData(deps, ctx, datasetIdOrName, resourceId);
  const cap = raw['limit'] === undefined || raw['limit'] === '' ? null : undefined;
  const query = parseDataQuery(raw, data.columns, { fieldFilters: true, maxLimit: Number.MAX_SAFE_INTEGER });
  const base =
    (data.resource.fileName ?? data.resource.id).replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '_') || 'data';
  return {
    fileName: `${base}.${format}`,
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    chunks: exportText(
      deps.kernel.database.db,
      data.table,
      data.columns,
      query,
      format,
      cap === null ? null : query.limit,
    ),
  };
}

/**
 * CKAN's `datastore_search_sql`: one read-only SELECT over datastore tables the actor may see
 * (see datastore/sql-search.ts for the safety layers). Tables are named by resource id.
 */
export async function searchDatastoreSql(
  deps: CatalogueDeps,
  ctx: ActionContext,
  sqlText: unknown,
  limits?: SqlLimits,
): Promise<SqlResult> {
  const hidden = async (tables: string[]): Promise<string[]> => {
    const owners = await tableOwners(deps.kernel.database.db, tables);
    return tables.filter((t) => {
      const dataset = owners.find((o) => o.table === t)?.dataset;
      return (
        !dataset ||
        !can(ctx.actor, cataloguePermissions.viewDataset, dataset) ||
        !can(ctx.actor, cataloguePermissions.viewResources, dataset)
      );
    });
  };
  return runDatastoreSql(deps.kernel.database, sqlText, hidden, limits);
}
