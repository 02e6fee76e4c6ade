import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { authorize } from '../../../kernel/auth/policy.js';
import type { Db } from '../../../kernel/db/index.js';
import { Conflict, InputError, type FieldError } from '../../../kernel/errors/index.js';
import type { JobView } from '../../../kernel/jobs/index.js';
import { catalogueEvents } from '../audit.js';
import { isLoadable, queueLoad } from '../datastore/jobs.js';
import { dropTable, liveColumns, setLoadState, stagingTables } from '../datastore/store.js';
import { liveTableName } from '../datastore/sql.js';
import { defaultMissingValues, fieldTypes } from '../datastore/types.js';
import type { ResourceRow } from '../data/resources.js';
import { cataloguePermissions } from '../policies/index.js';
import type { TableSchema } from '../schema.js';
import type { CatalogueDeps } from './datasets.js';
import { getResource, type ResourceDetail } from './resources.js';

/**
 * Called by addResource and editResource inside their transaction: an uploaded tabular file is
 * queued for loading, with types inferred afresh (a new file may have new columns).
 */
export async function loadAfterUpload(
  deps: CatalogueDeps,
  tx: Db,
  ctx: ActionContext,
  row: ResourceRow,
  organizationId: string,
): Promise<string | null> {
  if (!isLoadable(row)) return null;
  return queueLoad(deps, tx, ctx, row, organizationId, true);
}

/** Loads a resource's file again (after a failure, or to apply a data standard that changed). */
export async function loadAgain(
  deps: CatalogueDeps,
  ctx: ActionContext,
  datasetIdOrName: string,
  resourceId: string,
): Promise<{ jobId: string }> {
  const { dataset, resource } = await getResource(deps, ctx, datasetIdOrName, resourceId);
  authorize(ctx.actor, cataloguePermissions.editDataset, dataset);
  if (!isLoadable(resource)) throw new Conflict('catalogue.datastore.errors.notTabular');
  const jobId = await deps.kernel.database.transaction((tx) =>
    queueLoad(deps, tx, ctx, resource, dataset.organizationId, !resource.tableSchema),
  );
  return { jobId };
}

export interface SchemaForm {
  detail: ResourceDetail;
  schema: TableSchema;
  types: readonly string[];
}

/** The schema people correct: the one saved with the resource, else the live table's columns. */
async function currentSchema(deps: CatalogueDeps, resource: ResourceRow): Promise<TableSchema | null> {
  if (resource.tableSchema?.fields.length) return resource.tableSchema;
  const columns = resource.datastoreTable
    ? await liveColumns(deps.kernel.database.db, resource.datastoreTable)
    : null;
  return columns
    ? { fields: columns.map((c) => ({ name: c.name, type: c.type })), missingValues: defaultMissingValues }
    : null;
}

/** A resource's Table Schema for its edit form, for editors of a loaded (or loadable) resource. */
export async function schemaForEdit(
  deps: CatalogueDeps,
  ctx: ActionContext,
  datasetIdOrName: string,
  resourceId: string,
): Promise<SchemaForm> {
  const { dataset, resource, detail } = await getResource(deps, ctx, datasetIdOrName, resourceId);
  authorize(ctx.actor, cataloguePermissions.editDataset, dataset);
  const schema = await currentSchema(deps, resource);
  if (!schema || !isLoadable(resource)) throw new Conflict('catalogue.datastore.errors.noSchema');
  return { detail, schema, types: fieldTypes };
}

const text = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : undefined;

/**
 * Reads a corrected schema: JSON (`{ fields: [{ name, type, title?, description?, constraints? }],
 * primaryKey?, missingValues? }`) or the page's form (`type-<n>` per column, `primaryKey`). The
 * columns stay those of the file, in order; what changes is their types, titles and keys.
 */
function parseSchema(raw: unknown, current: TableSchema): TableSchema {
  const body = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const problems: FieldError[] = [];
  const names = current.fields.map((f) => f.name);
  let fields: TableSchema['fields'];
  if (Array.isArray(body['fields'])) {
    const given = body['fields'] as Array<Record<string, unknown>>;
    if (given.length !== names.length || given.some((f, i) => !f || f['name'] !== names[i])) {
      throw InputError.field('fields', 'columns', 'catalogue.datastore.schema.errors.columns', {
        names: names.slice(0, 20).join(', '),
      });
    }
    fields = given.map((f, i) => {
      const type = String(f['type'] ?? '');
      if (!(fieldTypes as readonly string[]).includes(type))
        problems.push({
          field: `fields[${i}].type`,
          rule: 'enum',
          messageKey: 'catalogue.datastore.schema.errors.type',
          params: { field: names[i]! },
        });
      const constraints =
        f['constraints'] && typeof f['constraints'] === 'object' && !Array.isArray(f['constraints'])
          ? (f['constraints'] as Record<string, unknown>)
          : undefined;
      const title = text(f['title'], 200);
      const description = text(f['description'], 2000);
      return {
        name: names[i]!,
        type,
        ...(title ? { title } : {}),
        ...(description ? { description } : {}),
        ...(constraints ? { constraints } : {}),
      };
    });
  } else {
    fields = current.fields.map((f, i) => {
      const type = String(body[`type-${i}`] ?? '');
      if (!(fieldTypes as readonly string[]).includes(type))
        problems.push({
          field: `type-${i}`,
          rule: 'enum',
          messageKey: 'catalogue.datastore.schema.errors.type',
          params: { field: f.name },
        });
      return { ...f, type };
    });
  }
  const key = body['primaryKey'];
  const primaryKey = (
    Array.isArray(key) ? key.map(String) : typeof key === 'string' && key ? [key] : []
  ).filter(Boolean);
  if (primaryKey.some((k) => !names.includes(k)))
    problems.push({
      field: 'primaryKey',
      rule: 'enum',
      messageKey: 'catalogue.datastore.schema.errors.primaryKey',
    });
  let missingValues = current.missingValues ?? defaultMissingValues;
  if (body['missingValues'] !== undefined) {
    const given = body['missingValues'];
    if (
      !Array.isArray(given) ||
      given.length > 50 ||
      given.some((v) => typeof v !== 'string' || v.length > 50)
    ) {
      problems.push({
        field: 'missingValues',
        rule: 'invalid',
        messageKey: 'catalogue.datastore.schema.errors.missingValues',
      });
    } else missingValues = given as string[];
  }
  if (problems.length) throw new InputError(problems);
  return { fields, missingValues, ...(primaryKey.length ? { primaryKey } : {}) };
}

/** Saves a corrected Table Schema and loads the file again with it (the live data stays until that load succeeds). */
export async function saveSchema(
  deps: CatalogueDeps,
  ctx: ActionContext,
  datasetIdOrName: string,
  resourceId: string,
  raw: unknown,
): Promise<{ schema: TableSchema; jobId: string }> {
  const { dataset, resource } = await getResource(deps, ctx, datasetIdOrName, resourceId);
  authorize(ctx.actor, cataloguePermissions.editDataset, dataset);
  const current = await currentSchema(deps, resource);
  if (!current || !isLoadable(resource)) throw new Conflict('catalogue.datastore.errors.noSchema');
  const schema = parseSchema(raw, current);
  return deps.kernel.database.transaction(async (tx) => {
    await setLoadState(tx, resource.id, { tableSchema: schema });
    const changed = schema.fields.filter((f, i) => current.fields[i]?.type !== f.type).map((f) => f.name);
    await record(tx, ctx, {
      action: catalogueEvents.datastoreSchemaChanged,
      organizationId: dataset.organizationId,
      targetType: 'resource',
      targetId: resource.id,
      details: { changed: changed.slice(0, 50) },
    });
    const jobId = await queueLoad(deps, tx, ctx, resource, dataset.organizationId, false);
    return { schema, jobId };
  });
}

/** A load job as the resource page shows it (editors follow its progress). */
export async function loadJob(deps: CatalogueDeps, jobId: string | null): Promise<JobView | null> {
  return jobId ? deps.kernel.jobs.get(jobId) : null;
}

/** After a resource is deleted: its datastore table (and any staging table) goes too. */
export async function dropDatastore(deps: CatalogueDeps, resourceId: string): Promise<void> {
  const db = deps.kernel.database.db;
  await dropTable(db, liveTableName(resourceId));
  for (const table of await stagingTables(db, resourceId)) await dropTable(db, table);
}
