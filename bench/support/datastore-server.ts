/**
 * The datastore workload's server, run in its own process (forked by `datastore-process.ts`):
 *
 *   pglite           the real app on a file-backed PGlite directory (not memory://: a large table
 *                    would otherwise sit in this process's memory and count in its RSS)
 *   postgres <url>   the real app on a PostgreSQL database (created and dropped by the parent)
 *
 * Besides serving HTTP it runs the workload's commands (see `Commands`): the load through the app
 * (upload, then the load job, timed phase by phase), the bare-database load of the same file, and
 * the app's own query SQL replayed straight on the driver. Peak RSS is sampled every 50 ms and
 * also read from the kernel (`VmHWM`), which sees the peaks of long synchronous PGlite calls.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { buildApp, type App } from '../../src/app.js';
import { system } from '../../src/kernel/auth/actor.js';
import type { Database } from '../../src/kernel/db/index.js';
import type { IdentityApi } from '../../src/modules/identity/index.js';
import type { CatalogueDeps } from '../../src/modules/catalogue/actions/datasets.js';
import { createDataset, publishDataset } from '../../src/modules/catalogue/actions/datasets.js';
import { addResource, uploadTypes } from '../../src/modules/catalogue/actions/resources.js';
import { findResource } from '../../src/modules/catalogue/data/resources.js';
import { pgliteChunkBytes } from '../../src/modules/catalogue/datastore/bulk.js';
import { parseDataQuery, runQuery } from '../../src/modules/catalogue/datastore/query.js';
import { liveColumns } from '../../src/modules/catalogue/datastore/store.js';
import { benchConfig } from './bench-app.js';
import { runLoops } from './direct.js';
import type {
  AppLoadReport,
  BareLoadReport,
  BareQueryArgs,
  BareQueryReport,
  CommandName,
  Commands,
  FromParent,
  Memory,
  ToParent,
} from './datastore-process.js';

const send = (message: ToParent) => process.send?.(message);
const ctx = { actor: system, requestId: 'bench' };
const seconds = (fromMs: number, toMs = performance.now()) => (toMs - fromMs) / 1000;

// ---- memory and CPU ------------------------------------------------------------------------

let peakRss = process.memoryUsage.rss();
let rssBefore = peakRss;
let cpuSince = process.cpuUsage();
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 50);
sampler.unref();

function kernelPeakRss(): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

function resetUsage(): void {
  try {
    // Writing 5 resets the kernel's peak RSS (VmHWM) to the current RSS (Linux ≥ 4.0).
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux: only the sampled peak is reported
  }
  rssBefore = peakRss = process.memoryUsage.rss();
  cpuSince = process.cpuUsage();
}

function usage(): Memory {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const cpu = process.cpuUsage(cpuSince);
  return {
    rssBefore,
    peakRssSampled: peakRss,
    peakRssKernel: kernelPeakRss(),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

// ---- the driver, watched -------------------------------------------------------------------

interface Statement {
  text: string;
  params: unknown[];
}
type Query = (text: string, params?: unknown[], options?: { blob?: Blob }) => Promise<{ rows: unknown[] }>;

/**
 * Wraps the driver's `query` (PGlite itself, or the node-postgres pool) to time the load's phases
 * from the statements it sends (COPY pieces, CREATE INDEX), to capture a request's SQL for replay,
 * and to tell when the app has gone quiet. Only statements outside transactions pass here, which
 * is all the ones we need.
 */
class StatementTap {
  /** The driver's own `query`, for the bare paths. */
  readonly query: Query;
  capture: Statement[] | null = null;
  firstIndexStart: number | null = null;
  lastIndexEnd: number | null = null;
  copyMs = 0;
  private inFlight = 0;
  private lastActivity = performance.now();

  constructor(database: Database) {
    const client = (database.db as unknown as { $client: { query: Query } }).$client;
    const query = client.query.bind(client);
    this.query = query;
    client.query = ((first: unknown, ...rest: unknown[]) => {
      const text = typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '');
      this.capture?.push({ text, params: (rest[0] as unknown[] | undefined) ?? [] });
      const started = (this.lastActivity = performance.now());
      const index = /^\s*create\s+(unique\s+)?index/i.test(text);
      if (index) this.firstIndexStart ??= started;
      this.inFlight++;
      return (query as (...args: unknown[]) => Promise<{ rows: unknown[] }>)(first, ...rest).finally(() => {
        this.inFlight--;
        const ended = (this.lastActivity = performance.now());
        if (index) this.lastIndexEnd = ended;
        else if (/^\s*copy/i.test(text)) this.copyMs += ended - started;
      });
    }) as Query;
  }

  resetPhases(): void {
    this.firstIndexStart = this.lastIndexEnd = null;
    this.copyMs = 0;
  }

  /**
   * Waits until no statement has run for `quietMs`: requests the load generator gave up on when it
   * stopped are still being answered (queued behind each other), and must not overlap what comes
   * next. Returns the seconds waited.
   */
  async settle(quietMs = 500): Promise<number> {
    const started = performance.now();
    while (this.inFlight > 0 || performance.now() - this.lastActivity < quietMs)
      await new Promise((resolve) => setTimeout(resolve, 50));
    return seconds(started) - quietMs / 1000;
  }
}

// ---- the app -------------------------------------------------------------------------------

async function startApp(databaseUrl: string | undefined) {
  // A file-backed PGlite directory: ten million rows do not fit in memory.
  const { config, dataDir, port } = await benchConfig({
    prefix: 'trillium-bench-datastore-',
    databaseUrl,
    pglite: 'file',
  });
  const app = await buildApp({ config, runJobs: false });
  await app.listen({ host: '127.0.0.1', port });
  return { app, dataDir, url: `http://127.0.0.1:${port}` };
}

const catalogueOf = (app: App) => (app.apis.get('catalogue') as { deps: CatalogueDeps }).deps;
const clientOf = (app: App) => (app.kernel.database.db as unknown as { $client: unknown }).$client;
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function tableBytes(tap: StatementTap, qualified: string): Promise<number> {
  const { rows } = await tap.query('select pg_total_relation_size($1::regclass)::text as n', [qualified]);
  return Number((rows[0] as { n: string }).n);
}

/** Uploads the file as a resource of a new published dataset, then runs the load job to the end. */
async function appLoad(app: App, tap: StatementTap, file: string): Promise<AppLoadReport> {
  const deps = catalogueOf(app);
  const identity = app.apis.get('identity') as IdentityApi;
  const organization = await identity.ensureOrganization(ctx, {
    slug: 'bench-health',
    name: { en: 'Ministry of Health (bench)', fr: 'Ministère de la Santé (banc d’essai)' },
    kind: 'ministry',
  });
  const name = `assessment-centres-${randomBytes(3).toString('hex')}`;
  const dataset = await createDataset(deps, ctx, {
    name,
    organizationId: organization.id,
    titleEn: 'COVID-19 assessment centre locations (bench)',
    titleFr: 'Emplacements des centres d’évaluation de la COVID-19 (banc d’essai)',
    descriptionEn: 'The Ontario file, repeated to a large table.',
    descriptionFr: 'Le fichier de l’Ontario, répété en une grande table.',
    keywordsEn: 'covid, health',
    keywordsFr: 'covid, santé',
    licenceId: 'ogl-ontario-1.0',
    accessLevel: 'open',
  });
  await publishDataset(deps, ctx, dataset.id);

  const fileName = path.basename(file);
  const size = fs.statSync(file).size;
  let started = performance.now();
  // Streamed from disk into the file store, as a multipart upload would be.
  const stored = await app.kernel.files.save(fs.createReadStream(file), {
    field: 'file',
    declaredType: 'text/csv',
    allowedTypes: uploadTypes,
    maxBytes: size + 1,
  });
  const resource = await addResource(
    deps,
    ctx,
    dataset.id,
    { kind: 'upload', nameEn: fileName, nameFr: fileName },
    { ...stored, fileName },
  );
  const uploadSeconds = seconds(started);
  if (!resource.loadJobId) throw new Error('the upload queued no load job');

  resetUsage();
  tap.resetPhases();
  started = performance.now();
  await app.kernel.jobs.runUntilIdle();
  const ended = performance.now();
  const memory = usage();
  const job = await app.kernel.jobs.get(resource.loadJobId);
  if (job?.status !== 'succeeded')
    throw new Error(`load job ${job?.status ?? 'missing'}: ${job?.lastError ?? ''}`);
  const row = await findResource(app.kernel.database.db, resource.id);
  const table = `datastore.${quote(row?.datastoreTable ?? '')}`;
  const { rows: indexes } = await tap.query(
    'select indexdef from pg_indexes where schemaname = $1 and tablename = $2 order by indexname',
    ['datastore', row?.datastoreTable ?? ''],
  );
  const { firstIndexStart: indexStart, lastIndexEnd: indexEnd } = tap;
  return {
    datasetName: name,
    resourceId: resource.id,
    rows: row?.datastoreRows ?? 0,
    uploadSeconds,
    seconds: seconds(started, ended),
    copySeconds: indexStart === null ? null : seconds(started, indexStart),
    copyInDatabaseSeconds: app.kernel.database.kind === 'pglite' ? tap.copyMs / 1000 : null,
    indexSeconds: indexStart === null || indexEnd === null ? null : seconds(indexStart, indexEnd),
    finishSeconds: indexEnd === null ? null : seconds(indexEnd, ended),
    tableBytes: await tableBytes(tap, table),
    indexes: (indexes as Array<{ indexdef: string }>).map((i) => i.indexdef),
    problems: (row?.validation?.problems ?? []).map(
      (p) => `${p.kind}${p.examples[0]?.field ? ` (${p.examples[0].field})` : ''} × ${p.count}`,
    ),
    ...memory,
  };
}

// ---- the bare-database load ----------------------------------------------------------------

interface PoolLike {
  connect(): Promise<{ query(q: unknown): unknown; release(error?: Error | boolean): void }>;
}

/** Sends the file to PGlite in pieces of about `pgliteChunkBytes`, cut at line ends, as the loader does. */
async function copyIntoPglite(query: Query, copySql: string, file: string): Promise<void> {
  let pieces: Buffer[] = [];
  let size = 0;
  let header = true;
  const flush = async () => {
    if (!size) return;
    const blob = new Blob(pieces);
    pieces = [];
    size = 0;
    await query(copySql, [], { blob });
  };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    let buffer = chunk as Buffer;
    if (header) {
      // The header line is dropped once, so each piece is plain rows (no HEADER option per piece).
      buffer = buffer.subarray(buffer.indexOf(0x0a) + 1);
      header = false;
    }
    const cut = buffer.lastIndexOf(0x0a);
    if (size + buffer.length >= pgliteChunkBytes && cut >= 0) {
      pieces.push(buffer.subarray(0, cut + 1));
      size += cut + 1;
      await flush();
      buffer = buffer.subarray(cut + 1);
    }
    if (buffer.length) {
      pieces.push(buffer);
      size += buffer.length;
    }
  }
  await flush();
}

/**
 * The same file into a table like the app's (same columns, `_id`, generated full-text column,
 * primary key, then the same indexes and ANALYZE), with the database's own bulk path and no app
 * code: PostgreSQL `COPY … FROM STDIN` fed straight from the file (pg-copy-streams); PGlite
 * `COPY … FROM '/dev/blob'` in the loader's 8 MB pieces.
 */
async function bareLoad(
  app: App,
  tap: StatementTap,
  file: string,
  resourceId: string,
): Promise<BareLoadReport> {
  const live = `datastore.${quote(resourceId)}`;
  const bare = 'public.bench_bare_load';
  const { rows: columnRows } = await tap.query(
    `select column_name as name from information_schema.columns
     where table_schema = 'datastore' and table_name = $1 and column_name not in ('_id', '_full_text')
     order by ordinal_position`,
    [resourceId],
  );
  const columns = (columnRows as Array<{ name: string }>).map((c) => quote(c.name)).join(', ');
  const { rows: indexRows } = await tap.query(
    `select indexdef from pg_indexes where schemaname = 'datastore' and tablename = $1 and indexname not like '%pkey'`,
    [resourceId],
  );
  await tap.query(`drop table if exists ${bare}`);
  // LIKE … INCLUDING DEFAULTS/GENERATED: the `_id` sequence default and the `_full_text` expression.
  await tap.query(`create table ${bare} (like ${live} including defaults including generated)`);
  await tap.query(`alter table ${bare} add primary key ("_id")`);

  resetUsage();
  const started = performance.now();
  const pglite = app.kernel.database.kind === 'pglite';
  if (pglite) {
    await copyIntoPglite(tap.query, `COPY ${bare} (${columns}) FROM '/dev/blob' WITH (FORMAT csv)`, file);
  } else {
    const { from: copyFrom } = await import('pg-copy-streams');
    const client = await (clientOf(app) as PoolLike).connect();
    try {
      const stream = client.query(
        copyFrom(`COPY ${bare} (${columns}) FROM STDIN WITH (FORMAT csv, HEADER true)`),
      ) as Writable;
      await pipeline(fs.createReadStream(file, { highWaterMark: 1024 * 1024 }), stream);
    } finally {
      client.release();
    }
  }
  const copied = performance.now();
  let n = 0;
  for (const { indexdef } of indexRows as Array<{ indexdef: string }>)
    await tap.query(indexdef.replace(/INDEX \S+ ON \S+/, `INDEX bench_bare_load_${n++} ON ${bare}`));
  const indexed = performance.now();
  await tap.query(`analyze ${bare}`);
  const ended = performance.now();
  const memory = usage();

  const { rows: count } = await tap.query(`select count(*)::text as n from ${bare}`);
  const report: BareLoadReport = {
    method: pglite
      ? `COPY FROM '/dev/blob', ${pgliteChunkBytes / 1024 ** 2} MiB pieces`
      : 'COPY FROM STDIN (pg-copy-streams)',
    rows: Number((count[0] as { n: string }).n),
    seconds: seconds(started, ended),
    copySeconds: seconds(started, copied),
    indexSeconds: seconds(copied, indexed),
    analyzeSeconds: seconds(indexed, ended),
    tableBytes: await tableBytes(tap, bare),
    ...memory,
  };
  await tap.query(`drop table ${bare}`);
  return report;
}

// ---- the app's queries as bare SQL ---------------------------------------------------------

/** The `datastore_search` (or `/data`) parameters of a path, as the action hands them to the query parser. */
function queryParams(api: BareQueryArgs['api'], pathWithQuery: string): Record<string, unknown> {
  const search = new URL(pathWithQuery, 'http://localhost').searchParams;
  const all = Object.fromEntries(search);
  if (api === 'v1') return all;
  const { filters, q, fields, sort, limit, offset, after, include_total } = all;
  return { filters, q, fields, sort, limit, offset, after, include_total };
}

/**
 * Captures the SQL the app's query layer (datastore/query.ts) sends for each path, then replays
 * it on the driver alone — no HTTP, no resource lookup or permission check, no JSON — with
 * `connections` concurrent loops, each going through the calls in turn like autocannon does.
 */
async function bareQueries(app: App, tap: StatementTap, args: BareQueryArgs): Promise<BareQueryReport> {
  const db = app.kernel.database.db;
  const resource = await findResource(db, args.resourceId);
  const table = resource?.datastoreTable;
  const columns = table ? await liveColumns(db, table) : null;
  if (!resource || !table || !columns) throw new Error(`resource ${args.resourceId} has no datastore table`);
  const calls: Statement[][] = [];
  for (const p of args.paths) {
    const query = parseDataQuery(queryParams(args.api, p), columns, { fieldFilters: args.api === 'v1' });
    tap.capture = [];
    try {
      await runQuery(db, table, columns, query, { rowCount: resource.datastoreRows });
      calls.push(tap.capture);
    } finally {
      tap.capture = null;
    }
  }

  const call = async (n: number) => {
    for (const statement of calls[n % calls.length]!) await tap.query(statement.text, statement.params);
  };
  if (args.warmupSeconds > 0) await runLoops(call, args.connections, args.warmupSeconds);
  const result = await runLoops(call, args.connections, args.durationSeconds);
  return { result, statementsPerCall: calls.reduce((n, c) => n + c.length, 0) / calls.length };
}

/** The statements the app sends while answering one request (fetched from this very server). */
async function statementsOf(url: string, tap: StatementTap, requestPath: string): Promise<string[]> {
  tap.capture = [];
  try {
    const response = await fetch(`${url}${requestPath}`, { headers: { accept: 'application/json' } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET ${requestPath} answered ${response.status}`);
    return tap.capture.map((s) => s.text.replace(/\s+/g, ' ').trim());
  } finally {
    tap.capture = null;
  }
}

// ---- commands ------------------------------------------------------------------------------

async function main() {
  const [database, url] = process.argv.slice(2);
  if (database !== 'pglite' && database !== 'postgres')
    throw new Error(`Unknown database: ${database ?? '(none)'}`);
  const server = await startApp(database === 'postgres' ? url : undefined);
  const { app } = server;
  const tap = new StatementTap(app.kernel.database);
  const handlers: { [K in CommandName]: (args: Commands[K]['args']) => Promise<Commands[K]['result']> } = {
    load: ({ file }) => appLoad(app, tap, file),
    bareLoad: ({ file, resourceId }) => bareLoad(app, tap, file, resourceId),
    bareQueries: (args) => bareQueries(app, tap, args),
    statementsOf: ({ path: requestPath }) => statementsOf(server.url, tap, requestPath),
    settle: () => tap.settle(),
    reset: async () => {
      resetUsage();
      return null;
    },
    usage: async () => usage(),
  };

  process.on('message', (message: FromParent) => {
    if (message.type === 'close') {
      app.close().then(
        () => {
          fs.rmSync(server.dataDir, { recursive: true, force: true });
          send({ type: 'closed' });
          process.disconnect?.();
          process.exit(0);
        },
        (error: unknown) => {
          send({ type: 'error', message: String(error) });
          process.exit(1);
        },
      );
      return;
    }
    const handler = handlers[message.name] as (args: unknown) => Promise<unknown>;
    handler(message.args).then(
      (result) => send({ type: 'reply', id: message.id, result }),
      (error: unknown) =>
        send({
          type: 'reply',
          id: message.id,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
    );
  });
  send({ type: 'ready', url: server.url });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
