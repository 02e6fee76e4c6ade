import { eq, inArray, sql } from 'drizzle-orm';
import { rows, type Db } from '../../../kernel/db/index.js';
import {
  dataStandards,
  datasets,
  resources,
  type LoadStatus,
  type TableSchema,
  type ValidationReport,
} from '../schema.js';
import { col, datastoreSchema, ident, readerRole, tableRef } from './sql.js';
import type { FieldType } from './types.js';

/**
 * The datastore's data layer: the load state kept on `catalogue.resources`, and the tables in
 * schema `datastore`. Load state changes do not touch `modified_at` (the metadata did not change).
 */
export interface LoadState {
  loadStatus?: LoadStatus;
  loadJobId?: string | null;
  datastoreTable?: string | null;
  datastoreRows?: number | null;
  loadedAt?: Date | null;
  validation?: ValidationReport | null;
  tableSchema?: TableSchema | null;
}

export async function setLoadState(db: Db, resourceId: string, state: LoadState): Promise<void> {
  await db.update(resources).set(state).where(eq(resources.id, resourceId));
}

/** The resource's load job id, with the row locked until the transaction ends (one swap at a time). */
export async function lockLoadJob(db: Db, resourceId: string): Promise<string | null | undefined> {
  const [row] = await db
    .select({ loadJobId: resources.loadJobId })
    .from(resources)
    .where(eq(resources.id, resourceId))
    .for('update');
  return row ? row.loadJobId : undefined;
}

/** A registered data standard's Table Schema (the standards registry owns the rows). */
export async function standardSchema(db: Db, standardId: string): Promise<TableSchema | null> {
  const [row] = await db
    .select({ schema: dataStandards.schema })
    .from(dataStandards)
    .where(eq(dataStandards.id, standardId))
    .limit(1);
  return row?.schema ?? null;
}

/** A live column as queries see it: its name and field type (from the database, the truth). */
export interface LiveColumn {
  name: string;
  type: FieldType;
}

const typeOfColumn: Record<string, FieldType> = {
  bigint: 'integer',
  integer: 'integer',
  numeric: 'number',
  boolean: 'boolean',
  date: 'date',
  'timestamp without time zone': 'datetime',
};

const columnCache = new Map<string, LiveColumn[]>();
const columnCacheSize = 500;

/**
 * The columns of a datastore table in order, without the datastore's own (`_id`, `_full_text`);
 * null when it does not exist. With `version` (when the table was loaded), the answer is kept in
 * memory: every query of a table needs its columns, and they only change with a new load.
 */
export async function liveColumns(db: Db, table: string, version?: Date | null): Promise<LiveColumn[] | null> {
  const key = version ? `${table}@${version.getTime()}` : null;
  const cached = key ? columnCache.get(key) : undefined;
  if (cached) return cached;
  const columns = await readColumns(db, table);
  if (key && columns) {
    if (columnCache.size >= columnCacheSize) columnCache.delete(columnCache.keys().next().value!);
    columnCache.set(key, columns);
  }
  return columns;
}

async function readColumns(db: Db, table: string): Promise<LiveColumn[] | null> {
  const found = await rows<{ name: string; type: string }>(
    db,
    sql`select column_name as name, data_type as type from information_schema.columns
        where table_schema = ${datastoreSchema} and table_name = ${table} order by ordinal_position`,
  );
  if (!found.length) return null;
  return found
    .filter((c) => c.name !== '_id' && c.name !== '_full_text')
    .map((c) => ({ name: c.name, type: typeOfColumn[c.type] ?? 'string' }));
}

/** The planner's row estimate for a table (kept fresh by `ANALYZE` after each load). */
export async function estimatedRows(db: Db, table: string): Promise<number> {
  const [row] = await rows<{ n: number }>(
    db,
    sql`select greatest(reltuples, 0)::bigint as n from pg_class where oid = to_regclass(${`${datastoreSchema}.${ident(table)}`})`,
  );
  return Number(row?.n ?? 0);
}

/** Staging tables of a resource (`<resource id>_<tag>`), left by loads that did not finish. */
export async function stagingTables(db: Db, resourceId: string): Promise<string[]> {
  const found = await rows<{ name: string }>(
    db,
    sql`select tablename as name from pg_tables where schemaname = ${datastoreSchema} and tablename like ${`${resourceId}\\_%`}`,
  );
  return found.map((r) => r.name);
}

export async function dropTable(db: Db, table: string): Promise<void> {
  await db.execute(sql`drop table if exists ${tableRef(table)}`);
}

/**
 * Creates a staging table with `_id` (CKAN's row id), the columns, and a generated full-text column
 * over the text and number columns. Readers get no access until the table is swapped in.
 */
export async function createStagingTable(
  db: Db,
  table: string,
  columns: Array<{ name: string; sqlType: string; searchable: boolean }>,
): Promise<void> {
  const definitions = columns.map((c) => `${ident(c.name)} ${c.sqlType}`);
  const searchable = columns
    .filter((c) => c.searchable)
    .map((c) => `coalesce(${ident(c.name)}${c.sqlType === 'text' ? '' : '::text'}, '')`);
  // Only immutable expressions are allowed in a generated column: text, bigint and numeric casts are.
  const document = searchable.length ? `left(${searchable.join(" || ' ' || ")}, 500000)` : "''";
  const ddl = [
    `create table ${datastoreSchema}.${ident(table)} (`,
    `  "_id" bigserial primary key,`,
    ...definitions.map((d) => `  ${d},`),
    `  "_full_text" tsvector generated always as (to_tsvector('simple'::regconfig, ${document})) stored`,
    `)`,
  ].join('\n');
  await db.execute(sql.raw(ddl));
  // The schema's default privileges grant readers every new table; a half-loaded one must stay hidden.
  await db.execute(sql.raw(`revoke all on ${datastoreSchema}.${ident(table)} from ${readerRole}`));
}

export async function createIndex(
  db: Db,
  table: string,
  name: string,
  columns: string[],
  options: { unique?: boolean; gin?: boolean } = {},
): Promise<void> {
  const using = options.gin ? ' using gin' : '';
  await db.execute(
    sql.raw(
      `create ${options.unique ? 'unique ' : ''}index ${ident(name)} on ${datastoreSchema}.${ident(table)}${using} (${columns.map(ident).join(', ')})`,
    ),
  );
}

export async function analyze(db: Db, table: string): Promise<void> {
  await db.execute(sql.raw(`analyze ${datastoreSchema}.${ident(table)}`));
}

/** Groups of rows sharing a key: how many groups, and the first few with the row number of a repeat. */
export async function duplicateKeys(
  db: Db,
  table: string,
  key: string[],
): Promise<{ groups: number; examples: Array<{ key: string; row: number; count: number }> }> {
  const cols = sql.join(key.map(col), sql`, `);
  const keyText = sql.raw(key.map((k) => `coalesce(${ident(k)}::text, '')`).join(` || ' | ' || `));
  const groups = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from (select 1 from ${tableRef(table)} group by ${cols} having count(*) > 1) d`,
  );
  const examples = await rows<{ key: string; row: number; count: number }>(
    db,
    sql`select min(${keyText}) as key, ((array_agg(_id order by _id))[2] + 1)::int as row, count(*)::int as count
        from ${tableRef(table)} group by ${cols} having count(*) > 1 order by 2 limit 5`,
  );
  return { groups: Number(groups[0]?.n ?? 0), examples };
}

/**
 * Puts a complete load live, inside the caller's transaction: the previous table is dropped, the
 * staging table takes the live name and readers are granted it. Readers see the old table or the
 * new one, never a mix.
 */
export async function swapIn(db: Db, staging: string, live: string): Promise<void> {
  await db.execute(sql`drop table if exists ${tableRef(live)}`);
  await db.execute(sql.raw(`alter table ${datastoreSchema}.${ident(staging)} rename to ${ident(live)}`));
  await db.execute(sql.raw(`grant select on ${datastoreSchema}.${ident(live)} to ${readerRole}`));
}

/** Live tables (by name) with the dataset each belongs to, for permission checks. */
export async function tableOwners(
  db: Db,
  tables: string[],
): Promise<Array<{ table: string; dataset: typeof datasets.$inferSelect }>> {
  const ids = tables.filter((t) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(t));
  if (!ids.length) return [];
  const found = await db
    .select({ table: resources.datastoreTable, dataset: datasets })
    .from(resources)
    .innerJoin(datasets, eq(datasets.id, resources.datasetId))
    .where(inArray(resources.id, ids));
  return found.filter((r): r is { table: string; dataset: typeof datasets.$inferSelect } => r.table !== null);
}
