import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../../kernel/db/index.js';
import { InputError } from '../../../kernel/errors/index.js';
import { col, tableRef } from './sql.js';
import type { LiveColumn } from './store.js';
import { castCell, jsonValue, type FieldType } from './types.js';

/** A query of one datastore table, already checked against its columns. */
export interface DataQuery {
  filters: Array<{ field: string; values: Array<string | null> }>;
  /** Full text over the whole row, or per field. */
  q: string | Record<string, string> | null;
  fields: string[];
  sort: Array<{ field: string; desc: boolean }>;
  limit: number;
  offset: number;
  after: string | null;
  includeTotal: boolean;
}

/** Limits a query may ask for (CKAN: default 100, at most 32,000). */
export const defaultLimit = 100;
export const maxLimit = 32_000;
/** Above this many rows (planner estimate), totals are estimated instead of counted. */
export const exactCountLimit = 100_000;

/** A column with its type, `_id` included (CKAN's row id). */
export type Column = { name: string; type: FieldType | 'id' };

function columnsWithId(columns: LiveColumn[]): Column[] {
  return [{ name: '_id', type: 'id' }, ...columns];
}

const bad = (param: string, key: string, params?: Record<string, string | number>) =>
  InputError.field(param, 'invalid', key, params);

function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (Array.isArray(parsed)) return parsed;
      } catch {
        // not JSON: a comma-separated list
      }
    }
    return text
      ? text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  }
  return value === undefined || value === null ? [] : [value];
}

function jsonObject(value: unknown, param: string): Record<string, unknown> {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // reported below
    }
  }
  throw bad(param, 'catalogue.datastore.errors.json', { param });
}

function integer(value: unknown, param: string, fallback: number, max: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n =
    typeof value === 'number'
      ? value
      : /^\d+$/.test(String(value).trim())
        ? Number(String(value).trim())
        : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw bad(param, 'catalogue.datastore.errors.integer', { param });
  if (n > max) throw bad(param, 'catalogue.datastore.errors.tooLarge', { param, max });
  return n;
}

function boolean(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  return value === true || /^(true|1|yes|on)$/i.test(String(value));
}

/** Params that are not a filter when given as `field=value` (the Trillium API's own names). */
export const reservedParams = new Set([
  'filters',
  'q',
  'fields',
  'sort',
  'limit',
  'offset',
  'after',
  'include_total',
  'format',
  'plain',
  'language',
  'distinct',
  'records_format',
]);

/**
 * Reads a query from request parameters (query string, JSON body or CKAN parameters): `filters`
 * (JSON object of field → value or list), `field=value` pairs when `fieldFilters` is on, `q`
 * (text, or JSON object of field → text), `fields`, `sort` ("a desc, b"), `limit`, `offset`,
 * `after` (a cursor from a previous page) and `include_total`. Errors name the parameter.
 */
export function parseDataQuery(
  raw: Record<string, unknown>,
  columns: LiveColumn[],
  options: { fieldFilters?: boolean; defaultLimit?: number; maxLimit?: number } = {},
): DataQuery {
  const all = columnsWithId(columns);
  const known = new Map(all.map((c) => [c.name, c]));
  const column = (name: string, param: string) => {
    const found = known.get(name);
    if (!found)
      throw bad(param, 'catalogue.datastore.errors.unknownField', { param, field: name.slice(0, 60) });
    return found;
  };
  const filterObject = jsonObject(raw['filters'], 'filters');
  if (options.fieldFilters)
    for (const [k, v] of Object.entries(raw))
      if (!reservedParams.has(k) && known.has(k) && !(k in filterObject)) filterObject[k] = v;
  const filters = Object.entries(filterObject).map(([name, value]) => {
    const c = column(name, 'filters');
    const values = (Array.isArray(value) ? value : [value]).map((v) => {
      if (v === null) return null;
      if (typeof v === 'object')
        throw bad('filters', 'catalogue.datastore.errors.filterValue', { field: name });
      const text = String(v);
      const cast = c.type === 'id' ? (/^\d{1,18}$/.test(text) ? text : undefined) : castCell(c.type, text);
      if (cast === undefined) throw bad('filters', 'catalogue.datastore.errors.filterValue', { field: name });
      return cast;
    });
    if (!values.length) throw bad('filters', 'catalogue.datastore.errors.filterValue', { field: name });
    return { field: c.name, values };
  });

  let q: DataQuery['q'] = null;
  const rawQ = raw['q'];
  if (typeof rawQ === 'string' && rawQ.trim().startsWith('{')) {
    const object = jsonObject(rawQ, 'q');
    q = Object.fromEntries(Object.entries(object).map(([name, v]) => [column(name, 'q').name, String(v)]));
  } else if (rawQ && typeof rawQ === 'object' && !Array.isArray(rawQ)) {
    q = Object.fromEntries(Object.entries(rawQ).map(([name, v]) => [column(name, 'q').name, String(v)]));
  } else if (typeof rawQ === 'string' && rawQ.trim()) {
    q = rawQ.trim().slice(0, 1000);
  }

  const fields = list(raw['fields']).map((f) => column(String(f), 'fields').name);
  const sort = list(raw['sort']).map((entry) => {
    const m = /^\s*(?:"((?:[^"]|"")+)"|(.+?))(?:\s+(asc|desc))?\s*$/i.exec(String(entry));
    if (!m) throw bad('sort', 'catalogue.datastore.errors.sort');
    const name = m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!;
    return { field: column(name, 'sort').name, desc: (m[3] ?? '').toLowerCase() === 'desc' };
  });
  const after = typeof raw['after'] === 'string' && raw['after'] ? raw['after'] : null;
  return {
    filters,
    q,
    fields,
    sort,
    limit: integer(raw['limit'], 'limit', options.defaultLimit ?? defaultLimit, options.maxLimit ?? maxLimit),
    offset: integer(raw['offset'], 'offset', 0, Number.MAX_SAFE_INTEGER),
    after,
    includeTotal: boolean(raw['include_total'], true),
  };
}

const sqlCast: Record<string, string> = {
  id: 'bigint',
  integer: 'bigint',
  number: 'numeric',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamp',
  string: 'text',
};

function typed(value: string, type: string): SQL {
  return sql`${value}::${sql.raw(sqlCast[type] ?? 'text')}`;
}

/** The WHERE conditions for filters and full text. */
function conditions(query: DataQuery, types: Map<string, string>): SQL[] {
  const where: SQL[] = [];
  for (const f of query.filters) {
    const type = types.get(f.field)!;
    const present = f.values.filter((v): v is string => v !== null);
    const parts: SQL[] = [];
    if (present.length === 1) parts.push(sql`${col(f.field)} = ${typed(present[0]!, type)}`);
    else if (present.length > 1)
      parts.push(
        sql`${col(f.field)} in (${sql.join(
          present.map((v) => typed(v, type)),
          sql`, `,
        )})`,
      );
    if (present.length < f.values.length) parts.push(sql`${col(f.field)} is null`);
    where.push(parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` or `)})`);
  }
  if (typeof query.q === 'string')
    where.push(sql`"_full_text" @@ websearch_to_tsquery('simple', ${query.q})`);
  else if (query.q)
    for (const [field, text] of Object.entries(query.q))
      where.push(
        sql`to_tsvector('simple', coalesce(${col(field)}::text, '')) @@ websearch_to_tsquery('simple', ${text})`,
      );
  return where;
}

/** The sort keys: the requested ones, then `_id`, which makes every position unique (keyset paging). */
function sortKeys(query: DataQuery): Array<{ field: string; desc: boolean }> {
  return query.sort.some((s) => s.field === '_id')
    ? query.sort
    : [...query.sort, { field: '_id', desc: false }];
}

/** A cursor says where a page ended: the sort it belongs to and the last row's sort values. */
interface Cursor {
  s: string;
  v: Array<string | null>;
}

function signature(keys: Array<{ field: string; desc: boolean }>): string {
  return keys.map((k) => `${k.field}:${k.desc ? 'd' : 'a'}`).join(',');
}

function decodeCursor(text: string, keys: Array<{ field: string; desc: boolean }>): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (
      cursor.s === signature(keys) &&
      Array.isArray(cursor.v) &&
      cursor.v.length === keys.length &&
      cursor.v.every((v) => v === null || typeof v === 'string')
    )
      return cursor;
  } catch {
    // reported below
  }
  throw bad('after', 'catalogue.datastore.errors.after');
}

function encodeCursor(keys: Array<{ field: string; desc: boolean }>, values: Array<string | null>): string {
  return Buffer.from(JSON.stringify({ s: signature(keys), v: values } satisfies Cursor)).toString(
    'base64url',
  );
}

/**
 * Rows after the cursor, in PostgreSQL's default null order (nulls last ascending, first
 * descending): for keys k1…kn, (k1 after v1) or (k1 = v1 and k2 after v2) or …
 */
function afterCursor(
  keys: Array<{ field: string; desc: boolean }>,
  values: Array<string | null>,
  types: Map<string, string>,
): SQL {
  const same = (i: number) =>
    values[i] === null
      ? sql`${col(keys[i]!.field)} is null`
      : sql`${col(keys[i]!.field)} = ${typed(values[i]!, types.get(keys[i]!.field)!)}`;
  const beyond = (i: number): SQL | null => {
    const k = keys[i]!;
    const v = values[i];
    const c = col(k.field);
    if (v === null || v === undefined) return k.desc ? sql`${c} is not null` : null;
    const value = typed(v, types.get(k.field)!);
    return k.desc ? sql`${c} < ${value}` : sql`(${c} > ${value} or ${c} is null)`;
  };
  if (keys.length === 1 && keys[0]!.field === '_id')
    return sql`"_id" ${sql.raw(keys[0]!.desc ? '<' : '>')} ${typed(values[0]!, 'id')}`;
  const branches: SQL[] = [];
  keys.forEach((_k, i) => {
    const step = beyond(i);
    if (!step) return;
    const prefix = keys.slice(0, i).map((_p, j) => same(j));
    branches.push(prefix.length ? sql`(${sql.join([...prefix, step], sql` and `)})` : step);
  });
  return branches.length ? sql`(${sql.join(branches, sql` or `)})` : sql`false`;
}

export interface DataPage {
  fields: Column[];
  records: Array<Record<string, unknown>>;
  /** Rows as text (for CSV), in `fields` order. */
  texts: Array<Array<string | null>>;
  total: number | null;
  totalEstimated: boolean;
  /** Give as `after` to read the next page (null on the last page). */
  nextCursor: string | null;
}

/**
 * Runs a query on a live datastore table. Values are selected as text and turned into JSON values
 * here, so that both drivers answer alike. `rowCount` (the rows loaded) answers unfiltered totals.
 */
export async function runQuery(
  db: Db,
  table: string,
  columns: LiveColumn[],
  query: DataQuery,
  options: { rowCount?: number | null; exactCountLimit?: number } = {},
): Promise<DataPage> {
  const all = columnsWithId(columns);
  const types = new Map<string, string>(all.map((c) => [c.name, c.type]));
  const chosen = query.fields.length
    ? all.filter((c) => query.fields.includes(c.name) || c.name === '_id')
    : all;
  const keys = sortKeys(query);
  const where = conditions(query, types);
  if (query.after) where.push(afterCursor(keys, decodeCursor(query.after, keys).v, types));
  const whereSql = where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``;
  const select = sql.join(
    [
      ...chosen.map((c, i) => sql`${col(c.name)}::text as ${sql.raw(`c${i}`)}`),
      ...keys.map((k, i) => sql`${col(k.field)}::text as ${sql.raw(`k${i}`)}`),
    ],
    sql`, `,
  );
  const order = sql.join(
    keys.map((k) => sql`${col(k.field)} ${sql.raw(k.desc ? 'desc' : 'asc')}`),
    sql`, `,
  );
  const found = await rows<Record<string, string | null>>(
    db,
    sql`select ${select} from ${tableRef(table)} ${whereSql} order by ${order} limit ${query.limit} offset ${query.after ? 0 : query.offset}`,
  );
  const texts = found.map((r) => chosen.map((_c, i) => r[`c${i}`] ?? null));
  const records = texts.map((t) =>
    Object.fromEntries(
      chosen.map((c, i) => [c.name, c.type === 'id' ? Number(t[i]) : jsonValue(c.type, t[i]!)]),
    ),
  );
  const last = found[found.length - 1];
  const nextCursor =
    last && found.length === query.limit
      ? encodeCursor(
          keys,
          keys.map((_k, i) => last[`k${i}`] ?? null),
        )
      : null;

  let total: number | null = null;
  let totalEstimated = false;
  if (query.includeTotal) {
    const base = conditions(query, types);
    if (!base.length && options.rowCount != null) total = options.rowCount;
    else {
      const baseWhere = base.length ? sql`where ${sql.join(base, sql` and `)}` : sql``;
      const estimate = await planRows(db, sql`select 1 from ${tableRef(table)} ${baseWhere}`);
      if (estimate > (options.exactCountLimit ?? exactCountLimit)) {
        total = estimate;
        totalEstimated = true;
      } else {
        const [row] = await rows<{ n: number }>(
          db,
          sql`select count(*) as n from ${tableRef(table)} ${baseWhere}`,
        );
        total = Number(row?.n ?? 0);
      }
    }
  }
  return { fields: chosen, records, texts, total, totalEstimated, nextCursor };
}

/** The planner's estimate of how many rows a query returns (EXPLAIN, not run). */
export async function planRows(db: Db, query: SQL): Promise<number> {
  const [row] = await rows<Record<string, unknown>>(db, sql`explain (format json) ${query}`);
  const raw = row ? Object.values(row)[0] : null;
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{
    Plan: { 'Plan Rows': number };
  }> | null;
  return Math.round(plan?.[0]?.Plan['Plan Rows'] ?? 0);
}
