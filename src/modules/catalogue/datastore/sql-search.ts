import { InputError } from '../../../kernel/errors/index.js';
import type { Database } from '../../../kernel/db/index.js';
import { datastoreSchema, readerRole } from './sql.js';

/**
 * `datastore_search_sql`: people's own SELECT statements, run safely. The layers, each enough on
 * its own for some attacks and together for all we know of:
 * 1. the text is checked: one statement (no `;` but a trailing one), starting with SELECT or
 *    WITH, balanced parentheses, and no call to a function that sleeps, reads files, changes
 *    settings or runs SQL of its own (`pg_sleep`, `set_config`, `query_to_xml`, `lo_*`, …);
 * 2. it is wrapped as a subquery with a row cap and sent with a parameter (the extended protocol),
 *    so the server itself refuses a second statement;
 * 3. it runs in a `READ ONLY` transaction as the role `trillium_datastore_reader` (which can read
 *    the datastore schema and nothing else), with `search_path = datastore`;
 * 4. its plan (EXPLAIN) must read only live datastore tables that the person may see, and cost less
 *    than a limit: long queries are refused before they start (PGlite cannot interrupt a query);
 * 5. on PostgreSQL, `statement_timeout` stops whatever still runs too long.
 */
export interface SqlLimits {
  maxRows: number;
  timeoutMs: number;
  /** Planner cost units; a sequential scan of a 10-million-row table costs about 250,000. */
  maxCost: number;
}

export const defaultSqlLimits: SqlLimits = { maxRows: 32_000, timeoutMs: 10_000, maxCost: 10_000_000 };

export interface SqlResult {
  fields: Array<{ id: string; type: string }>;
  records: Array<Record<string, unknown>>;
  truncated: boolean;
}

const refuse = (rule: string, key: string, params?: Record<string, string | number>) =>
  InputError.field('sql', rule, key, params);

/** Functions refused by name, wherever they appear as a call (schema-qualified or quoted too). */
const deniedFunctions = [
  /^pg_sleep/,
  /^set_config$/,
  /^(query|cursor|table|schema|database)_to_xml/,
  /^(query|cursor|table|schema|database)_to_xmlschema/,
  /^dblink/,
  /^lo_/,
  /^pg_read_/,
  /^pg_ls_/,
  /^pg_stat_file$/,
  /^pg_(try_)?advisory/,
  /^pg_notify$/,
  /^pg_(terminate|cancel)_backend$/,
  /^pg_reload_conf$/,
  /^pg_rotate_logfile$/,
  /^pg_(logical|replication)_/,
  /^pg_file_/,
  /^pg_import_system_collations$/,
];

interface Token {
  kind: 'word' | 'quoted' | 'punct';
  value: string;
}

/** Splits SQL into words and punctuation, skipping strings and comments (so `';'` is not a separator). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && next === '-') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      if (depth) throw refuse('syntax', 'catalogue.datastore.sql.syntax');
    } else if (c === "'") {
      const escapes = /[eE]$/.test(text.slice(0, i)) && !/[\w$][eE]$/.test(text.slice(Math.max(0, i - 2), i));
      i++;
      for (;;) {
        if (i >= n) throw refuse('syntax', 'catalogue.datastore.sql.syntax');
        if (escapes && text[i] === '\\') i += 2;
        else if (text[i] === "'" && text[i + 1] === "'") i += 2;
        else if (text[i] === "'") break;
        else i++;
      }
      i++;
      tokens.push({ kind: 'punct', value: "'" });
    } else if (c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw refuse('syntax', 'catalogue.datastore.sql.syntax');
        if (text[i] === '"' && text[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (text[i] === '"') break;
        else value += text[i++];
      }
      i++;
      tokens.push({ kind: 'quoted', value });
    } else if (c === '$' && /^\$([A-Za-z_][\w]*)?\$/.test(text.slice(i))) {
      const tag = /^\$([A-Za-z_][\w]*)?\$/.exec(text.slice(i))![0];
      const end = text.indexOf(tag, i + tag.length);
      if (end < 0) throw refuse('syntax', 'catalogue.datastore.sql.syntax');
      i = end + tag.length;
      tokens.push({ kind: 'punct', value: "'" });
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const m = /^[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/.exec(text.slice(i))!;
      tokens.push({ kind: 'word', value: m[0].toLowerCase() });
      i += m[0].length;
    } else {
      tokens.push({ kind: 'punct', value: c });
      i++;
    }
  }
  return tokens;
}

/** Layer 1: the checks on the text. Returns the statement without a trailing semicolon. */
export function checkStatement(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.trim()) throw refuse('required', 'catalogue.datastore.sql.required');
  if (raw.length > 20_000) throw refuse('maxLength', 'catalogue.datastore.sql.tooLong');
  const tokens = tokenize(raw);
  const semicolons = tokens
    .map((t, i) => (t.kind === 'punct' && t.value === ';' ? i : -1))
    .filter((i) => i >= 0);
  if (semicolons.some((i) => tokens.slice(i + 1).some((t) => !(t.kind === 'punct' && t.value === ';')))) {
    throw refuse('single', 'catalogue.datastore.sql.single');
  }
  const first = tokens.find((t) => !(t.kind === 'punct' && t.value === '('));
  if (!first || first.kind !== 'word' || !['select', 'with'].includes(first.value))
    throw refuse('select', 'catalogue.datastore.sql.select');
  let depth = 0;
  for (const [i, t] of tokens.entries()) {
    if (t.kind === 'punct' && t.value === '(') depth++;
    if (t.kind === 'punct' && t.value === ')' && --depth < 0)
      throw refuse('syntax', 'catalogue.datastore.sql.syntax');
    const call = tokens[i + 1]?.kind === 'punct' && tokens[i + 1]!.value === '(';
    if (
      (t.kind === 'word' || t.kind === 'quoted') &&
      call &&
      deniedFunctions.some((p) => p.test(t.kind === 'word' ? t.value : t.value.toLowerCase()))
    ) {
      throw refuse('function', 'catalogue.datastore.sql.function', { name: t.value.slice(0, 60) });
    }
  }
  if (depth !== 0) throw refuse('syntax', 'catalogue.datastore.sql.syntax');
  // Trailing semicolons and comments go; a comment cannot swallow the wrapper (it is on new lines).
  return raw.replace(/[\s;]+$/, '');
}

type Query = (
  text: string,
  params: unknown[],
) => Promise<{ rows: Array<Record<string, unknown>>; fields: Array<{ name: string; dataTypeID: number }> }>;

// Types whose text form is kept (read as text so both drivers give the same values).
const textTypes = [20, 1082, 1114, 1184, 1700, 1083, 1266, 1186];

/** Runs `fn` in a read-only transaction as the reader role, on a connection of its own (PostgreSQL) or PGlite's. */
async function asReader<T>(
  database: Database,
  timeoutMs: number,
  fn: (query: Query) => Promise<T>,
): Promise<T> {
  const setup = [
    'set transaction read only',
    `set local statement_timeout = ${Math.floor(timeoutMs)}`,
    `set local role ${readerRole}`,
    `set local search_path = ${datastoreSchema}`,
  ];
  const client = (database.db as unknown as { $client: unknown }).$client;
  if (database.kind === 'postgres') {
    const pg = (await import('pg')).default;
    const getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
      textTypes.includes(oid)
        ? (v: string) => v
        : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser;
    const connection = await (client as InstanceType<typeof pg.Pool>).connect();
    try {
      await connection.query('begin');
      for (const statement of setup) await connection.query(statement);
      const result = await fn(async (text, params) => {
        const r = await connection.query({ text, values: params, types: { getTypeParser } });
        return {
          rows: r.rows as Array<Record<string, unknown>>,
          fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
        };
      });
      await connection.query('rollback');
      return result;
    } catch (error) {
      await connection.query('rollback').catch(() => {});
      throw error;
    } finally {
      connection.release();
    }
  }
  type Pglite = {
    transaction<R>(
      fn: (tx: {
        query(
          text: string,
          params?: unknown[],
          options?: { parsers?: Record<number, (v: string) => unknown> },
        ): Promise<{ rows: unknown[]; fields: Array<{ name: string; dataTypeID: number }> }>;
      }) => Promise<R>,
    ): Promise<R>;
  };
  const parsers = Object.fromEntries(textTypes.map((oid) => [oid, (v: string) => v]));
  return (client as Pglite).transaction(async (tx) => {
    for (const statement of setup) await tx.query(statement);
    return fn(async (text, params) => {
      const r = await tx.query(text, params, { parsers });
      return { rows: r.rows as Array<Record<string, unknown>>, fields: r.fields };
    });
  });
}

interface PlanNode {
  'Relation Name'?: string;
  Schema?: string;
  'Total Cost'?: number;
  Plans?: PlanNode[];
}

function relationsOf(node: PlanNode, out: Array<{ schema: string; name: string }>): void {
  if (node['Relation Name']) out.push({ schema: node.Schema ?? '', name: node['Relation Name'] });
  for (const child of node.Plans ?? []) relationsOf(child, out);
}

const typeNames: Record<number, string> = {
  16: 'bool',
  20: 'int8',
  21: 'int2',
  23: 'int4',
  25: 'text',
  700: 'float4',
  701: 'float8',
  1043: 'text',
  1082: 'date',
  1114: 'timestamp',
  1184: 'timestamptz',
  1700: 'numeric',
  3614: 'tsvector',
  114: 'json',
  3802: 'jsonb',
};

function value(oid: number, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if ((oid === 20 || oid === 1700) && typeof v === 'string') {
    const n = Number(v);
    return Number.isFinite(n) && (oid === 1700 || Number.isSafeInteger(n)) ? n : v;
  }
  if (oid === 1114 && typeof v === 'string') return v.replace(' ', 'T');
  return v;
}

/** Explains why the database refused a statement, in words people can act on. */
function refusal(error: unknown): InputError {
  const e = error as { code?: string; message?: string };
  if (e.code === '57014') return refuse('timeout', 'catalogue.datastore.sql.timeout');
  if (e.code === '25006') return refuse('readOnly', 'catalogue.datastore.sql.readOnly');
  if (e.code === '42501') return refuse('tables', 'catalogue.datastore.sql.tables');
  return refuse('invalid', 'catalogue.datastore.sql.invalid', {
    reason: (e.message ?? 'error').slice(0, 300),
  });
}

/**
 * Runs a checked statement (layers 2–5). `hidden` gets the live tables the plan reads and returns
 * those the person may not see; any of those, or any table outside the datastore, refuses the query.
 */
export async function runDatastoreSql(
  database: Database,
  raw: unknown,
  hidden: (tables: string[]) => Promise<string[]>,
  limits: SqlLimits = defaultSqlLimits,
): Promise<SqlResult> {
  const statement = checkStatement(raw);
  const wrapped = `select * from (\n${statement}\n) as trillium_query limit $1`;
  const params = [limits.maxRows + 1];
  let plan: PlanNode;
  try {
    plan = await asReader(database, limits.timeoutMs, async (query) => {
      const r = await query(`explain (verbose, format json) ${wrapped}`, params);
      const raw = Object.values(r.rows[0] ?? {})[0];
      return ((typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: PlanNode }>)[0]!.Plan;
    });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw refusal(error);
  }
  const relations: Array<{ schema: string; name: string }> = [];
  relationsOf(plan, relations);
  if (relations.some((r) => r.schema !== datastoreSchema))
    throw refuse('tables', 'catalogue.datastore.sql.tables');
  const names = [...new Set(relations.map((r) => r.name))];
  if (names.length && (await hidden(names)).length) throw refuse('tables', 'catalogue.datastore.sql.tables');
  if ((plan['Total Cost'] ?? 0) > limits.maxCost) throw refuse('cost', 'catalogue.datastore.sql.cost');
  try {
    return await asReader(database, limits.timeoutMs, async (query) => {
      const r = await query(wrapped, params);
      const fields = r.fields.map((f) => ({ id: f.name, type: typeNames[f.dataTypeID] ?? 'text' }));
      const records = r.rows
        .slice(0, limits.maxRows)
        .map((row) => Object.fromEntries(r.fields.map((f) => [f.name, value(f.dataTypeID, row[f.name])])));
      return { fields, records, truncated: r.rows.length > limits.maxRows };
    });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw refusal(error);
  }
}
