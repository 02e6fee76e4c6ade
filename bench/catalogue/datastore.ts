/**
 * Datastore: the catalogue's CSV → table loader and its query API, against the limit of the
 * database itself.
 *
 *   1. A large CSV (`--rows`, default 1,000,000) made from the real Ontario assessment centre file:
 *      nine columns (ids, names EN/FR, city, postal code, a Yes/No flag, latitude, longitude), the
 *      2,830 real rows repeated with a running id, streamed to a temporary directory.
 *   2. Load through the app: the file is stored as an uploaded resource of a published dataset and
 *      the `catalogue.datastore-load` job runs to the end. Wall time, rows/s, MB/s, the phases
 *      (parse + cast + COPY, indexes, the rest) and the server process's peak RSS.
 *   3. Bare load: the same file into an identical table (same columns, generated full-text column,
 *      primary key, same indexes, ANALYZE) with the database's own bulk path and no app code.
 *   4. Queries over HTTP with autocannon: (a) `datastore_search` keyset paging along real
 *      `next_page` links, (a′) offset paging along the same pages' `_links.next`, (b) `filters` on
 *      the indexed `city` column, (c) full-text `q`, (d) `/api/v1/…/data` keyset paging (`next`).
 *      Each against the SQL the app's query layer sends for the same parameters, replayed on the
 *      driver in the server process with as many concurrent loops as connections.
 *
 * On PGlite (a file-backed directory) and on PostgreSQL (a fresh database, dropped afterwards;
 * skipped with --no-postgres). Each server runs in its own process; autocannon runs in this one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { busyShare, machineCpu } from '../support/cpu.js';
import { generateCsv, type GeneratedCsv } from '../support/datastore-csv.js';
import {
  startDatastoreServer,
  type AppLoadReport,
  type BareLoadReport,
  type BareQueryReport,
  type DatastoreServer,
  type DatastoreSpec,
} from '../support/datastore-process.js';
import { measure, percentile, type LoadResult } from '../support/load.js';
import { describeMachine, machine } from '../support/machine.js';
import { createScratchDatabase, postgresVersion } from '../support/postgres.js';
import { fixed, mib, table, thousands } from '../support/table.js';
import { type BenchOptions } from '../support/workload.js';

/** Peak RSS of the server process while it loads the file, in bytes (1 GB). */
const loadRssTarget = 1e9;
/** datastore_search p95 at the configured connections, in milliseconds. */
const queryP95Target = 100;
/** Pages walked from the start (limit 100) to collect real `next_page` links. */
const walkPages = 500;
const pageLimit = 100;

type Database = 'pglite' | 'postgres';

interface QueryRow {
  id: 'a' | 'a′' | 'b' | 'c' | 'd';
  name: string;
  database: Database;
  http: LoadResult;
  httpPeakRss: number;
  /** SQL statements the app sends per request (one request captured). */
  appStatements: number;
  /** Seconds the server kept answering requests autocannon had given up on when it stopped. */
  drainSeconds: number;
  bare: BareQueryReport;
}

interface DatabaseRun {
  database: Database;
  load: AppLoadReport;
  bare: BareLoadReport;
  /** Sequential page walk (one client): milliseconds per page, per API. */
  walks: Array<{ api: string; latencies: number[] }>;
  /** What the filter and full-text queries matched (min–max `total`, estimated or not). */
  matches: string[];
  queries: QueryRow[];
}

const log = (line = '') => console.log(line);
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const peak = (m: { peakRssSampled: number; peakRssKernel: number | null }) =>
  Math.max(m.peakRssSampled, m.peakRssKernel ?? 0);

async function getJson(url: string): Promise<{ status: number; body: unknown; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  const body: unknown = await response.json();
  return { status: response.status, body, ms: performance.now() - started };
}

/**
 * Walks pages from `first`, one request at a time, following the links the API returns:
 * `keyset` (next_page / next) and, for CKAN, `offset` (`_links.next`) of the same pages.
 */
async function walk(
  base: string,
  first: string,
  pages: number,
  links: (body: unknown) => { keyset: string | null; offset?: string | null },
): Promise<{ keyset: string[]; offset: string[]; latencies: number[] }> {
  const keyset = [first];
  const offset = [first];
  const latencies: number[] = [];
  while (latencies.length < pages) {
    const { status, body, ms } = await getJson(`${base}${keyset[keyset.length - 1]!}`);
    if (status !== 200)
      throw new Error(`GET ${keyset[keyset.length - 1]!} answered ${status}: ${JSON.stringify(body)}`);
    latencies.push(ms);
    const next = links(body);
    if (!next.keyset || latencies.length === pages) break;
    keyset.push(next.keyset);
    if (next.offset) offset.push(next.offset);
  }
  return { keyset, offset, latencies };
}

/** Checks each query path answers with records; returns the range of totals it matched. */
async function checkMatches(base: string, label: string, paths: string[]): Promise<string> {
  const totals: number[] = [];
  let estimated = 0;
  for (const p of paths) {
    const { status, body } = await getJson(`${base}${p}`);
    const result = (
      body as { result?: { records: unknown[]; total?: number; total_was_estimated?: boolean } }
    ).result;
    if (status !== 200 || !result?.records.length)
      throw new Error(`GET ${p} answered ${status} with no records`);
    totals.push(result.total ?? 0);
    if (result.total_was_estimated) estimated++;
  }
  totals.sort((a, b) => a - b);
  return `${label}: ${paths.length} queries, total ${thousands(totals[0]!)}–${thousands(totals[totals.length - 1]!)} rows (${estimated} estimated)`;
}

async function httpCase(
  server: DatastoreServer,
  paths: string[],
  options: BenchOptions,
): Promise<{ result: LoadResult; peakRss: number }> {
  const result = await measure(
    { url: server.url, paths, headers: { accept: 'application/json' } },
    options,
    async () => {
      await server.call('reset', {});
    },
  );
  return { result, peakRss: peak(await server.call('usage', {})) };
}

async function runDatabase(
  spec: DatastoreSpec,
  csv: GeneratedCsv,
  options: BenchOptions,
  printStatements: boolean,
): Promise<DatabaseRun> {
  const { database } = spec;
  const server = await startDatastoreServer(spec, { cpuProfileDir: options.cpuProfileDir });
  try {
    log(`  ${database}: loading ${thousands(csv.rows)} rows through the app (upload, then the load job)…`);
    const load = await server.call('load', { file: csv.path });
    if (load.rows !== csv.rows) throw new Error(`the app loaded ${load.rows} rows, not ${csv.rows}`);
    log(`  ${database}: loading the same file with bare COPY…`);
    const bare = await server.call('bareLoad', { file: csv.path, resourceId: load.resourceId });
    if (bare.rows !== csv.rows) throw new Error(`bare COPY loaded ${bare.rows} rows, not ${csv.rows}`);

    const id = load.resourceId;
    const ckan = (extra: string) =>
      `/api/3/action/datastore_search?resource_id=${id}&limit=${pageLimit}${extra}`;
    const v1 = `/api/v1/datasets/${load.datasetName}/resources/${id}/data?limit=${pageLimit}`;
    const pages = Math.max(1, Math.min(walkPages, Math.floor(csv.rows / pageLimit)));
    log(`  ${database}: walking ${pages} pages of datastore_search and of /api/v1 …/data…`);
    const ckanWalk = await walk(server.url, ckan(''), pages, (body) => {
      const result = (body as { result: { next_page: string | null; _links: { next: string } } }).result;
      return { keyset: result.next_page, offset: result._links.next };
    });
    const v1Walk = await walk(server.url, v1, pages, (body) => ({
      keyset: (body as { next: string | null }).next,
    }));
    const byCity = csv.cities.map((c) =>
      ckan(`&filters=${encodeURIComponent(JSON.stringify({ city: c.value }))}`),
    );
    const byText = csv.terms.map((t) => ckan(`&q=${encodeURIComponent(t.value)}`));
    const matches = [
      await checkMatches(server.url, '(b) filters city', byCity),
      await checkMatches(server.url, '(c) q', byText),
    ];

    const cases: Array<[QueryRow['id'], string, 'ckan' | 'v1', string[]]> = [
      ['a', 'datastore_search keyset (next_page)', 'ckan', ckanWalk.keyset],
      ['a′', 'datastore_search offset (_links.next)', 'ckan', ckanWalk.offset],
      ['b', 'datastore_search filters {"city": …}', 'ckan', byCity],
      ['c', 'datastore_search q (full text)', 'ckan', byText],
      ['d', '/api/v1 …/data keyset (next)', 'v1', v1Walk.keyset],
    ];
    const queries: QueryRow[] = [];
    for (const [caseId, name, api, paths] of cases) {
      log(`  (${caseId}) ${name} on ${database}: HTTP, then bare SQL…`);
      const sample = paths[Math.min(1, paths.length - 1)]!;
      const statements = await server.call('statementsOf', { path: sample });
      if (printStatements && caseId === 'a') {
        log(`      SQL the app sends for one keyset page (${statements.length} statements):`);
        for (const s of statements) log(`        ${s.length > 150 ? `${s.slice(0, 147)}…` : s}`);
      }
      const http = await httpCase(server, paths, options);
      const drainSeconds = await server.call('settle', {});
      const bareQueries = await server.call('bareQueries', {
        resourceId: id,
        api,
        paths,
        connections: options.connections,
        warmupSeconds: options.warmupSeconds,
        durationSeconds: options.durationSeconds,
      });
      queries.push({
        id: caseId,
        name,
        database,
        http: http.result,
        httpPeakRss: http.peakRss,
        appStatements: statements.length,
        drainSeconds,
        bare: bareQueries,
      });
    }
    return {
      database,
      load,
      bare,
      walks: [
        { api: 'datastore_search', latencies: ckanWalk.latencies },
        { api: '/api/v1 …/data', latencies: v1Walk.latencies },
      ],
      matches,
      queries,
    };
  } finally {
    await server.close();
  }
}

function loadTable(runs: DatabaseRun[], csv: GeneratedCsv): string {
  const optional = (value: number | null) => (value === null ? '—' : fixed(value));
  const rows = runs.flatMap((r) => {
    const app = r.load;
    const bare = r.bare;
    return [
      [
        r.database,
        'app: upload + load job',
        thousands(app.rows),
        fixed(app.seconds),
        thousands(app.rows / app.seconds),
        fixed(csv.bytes / 1e6 / app.seconds),
        `${optional(app.copySeconds)}${app.copyInDatabaseSeconds === null ? '' : ` (${fixed(app.copyInDatabaseSeconds)} in COPY)`}`,
        optional(app.indexSeconds),
        optional(app.finishSeconds),
        `${mib(app.peakRssSampled)} / ${app.peakRssKernel === null ? '—' : mib(app.peakRssKernel)}`,
        fixed(app.cpuSeconds),
        mib(app.tableBytes),
      ],
      [
        r.database,
        `bare: ${bare.method}`,
        thousands(bare.rows),
        fixed(bare.seconds),
        thousands(bare.rows / bare.seconds),
        fixed(csv.bytes / 1e6 / bare.seconds),
        fixed(bare.copySeconds),
        fixed(bare.indexSeconds),
        fixed(bare.analyzeSeconds),
        `${mib(bare.peakRssSampled)} / ${bare.peakRssKernel === null ? '—' : mib(bare.peakRssKernel)}`,
        fixed(bare.cpuSeconds),
        mib(bare.tableBytes),
      ],
    ];
  });
  return table(
    [
      'database',
      'path',
      'rows',
      'wall s',
      'rows/s',
      'MB/s',
      'copy s',
      'index s',
      'rest s',
      'peak RSS sampled / kernel',
      'server CPU s',
      'table + indexes',
    ],
    rows,
    ['left', 'left'],
  );
}

function queryTable(runs: DatabaseRun[]): string {
  const rows = runs.flatMap((r) =>
    r.queries.flatMap((q) => [
      [
        `(${q.id}) ${q.name}`,
        q.database,
        'HTTP',
        thousands(q.http.requestsPerSecond),
        fixed(q.http.p50),
        fixed(q.http.p95),
        fixed(q.http.p99),
        fixed(q.http.max, 0),
        String(q.appStatements),
        mib(q.httpPeakRss),
        `${q.http.non2xx}/${q.http.errors}`,
        fixed(q.http.requestsPerSecond / q.bare.result.requestsPerSecond, 2),
      ],
      [
        '',
        q.database,
        'bare SQL',
        thousands(q.bare.result.requestsPerSecond),
        fixed(q.bare.result.p50),
        fixed(q.bare.result.p95),
        fixed(q.bare.result.p99),
        fixed(q.bare.result.max, 0),
        fixed(q.bare.statementsPerCall, 1),
        '',
        `—/${q.bare.result.errors}`,
        '1',
      ],
    ]),
  );
  return table(
    [
      'case',
      'database',
      'via',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'SQL/req',
      'peak RSS',
      'non-2xx/err',
      'vs bare',
    ],
    rows,
    ['left', 'left', 'left'],
  );
}

/** `CREATE UNIQUE INDEX … USING btree (_id)` → `_id (unique)`; `… USING gin (_full_text)` → `_full_text (gin)`. */
function indexSummary(definition: string): string {
  const [, unique, method, columns] = /CREATE (UNIQUE )?INDEX .* USING (\w+) \((.*)\)/.exec(definition) ?? [];
  const notes = [unique ? 'unique' : '', method && method !== 'btree' ? method : ''].filter(Boolean);
  return `${columns ?? definition}${notes.length ? ` (${notes.join(', ')})` : ''}`;
}

function walkLine(run: DatabaseRun): string {
  return run.walks
    .map((w) => {
      const sorted = Float64Array.from(w.latencies).sort();
      const mean = w.latencies.reduce((s, v) => s + v, 0) / Math.max(1, w.latencies.length);
      return `${w.api} ${w.latencies.length} pages, mean ${fixed(mean)} ms, p95 ${fixed(percentile(sorted, 95))} ms`;
    })
    .join('; ');
}

export async function run(options: BenchOptions): Promise<void> {
  const adminUrl = options.postgresUrl;
  const pg = adminUrl
    ? await postgresVersion(adminUrl)
    : ({ ok: false, reason: 'skipped with --no-postgres' } as const);
  const where = adminUrl ? `unreachable at ${new URL(adminUrl).host}: ` : '';
  for (const line of describeMachine(machine(), pg.ok ? pg.version : `${where}${pg.reason}`)) log(line);
  log(
    `Load: autocannon, ${options.connections} connections, ${options.warmupSeconds} s warm-up then ${options.durationSeconds} s per case, 127.0.0.1; ` +
      'each server in its own process, autocannon in this one; bare SQL loops in the server process, same concurrency.',
  );
  const idleFrom = machineCpu();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const busyBefore = busyShare(idleFrom, machineCpu());
  log(
    `Before starting: load average ${loadAverage()}` +
      (busyBefore === null ? '' : `, CPUs ${fixed(busyBefore * 100, 0)}% busy over 2 s`),
  );
  if (busyBefore !== null && busyBefore > 0.15)
    log('WARNING: the machine is already busy; figures will be low. Run again when nothing else is running.');
  log('');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trillium-bench-csv-'));
  const runs: DatabaseRun[] = [];
  let postgresSkipped: string | undefined;
  try {
    const started = performance.now();
    const csv = await generateCsv(dir, options.rows);
    log(
      `CSV: ${thousands(csv.rows)} rows × ${csv.columns.length} columns (${csv.columns.join(', ')}), ` +
        `${mb(csv.bytes)} (${fixed(csv.bytes / csv.rows, 0)} B/row), from ${thousands(csv.sourceRows)} real rows repeated; ` +
        `written in ${fixed((performance.now() - started) / 1000)} s`,
    );
    log(`  (b) cities: ${csv.cities.map((c) => `${c.value} (${c.sourceRows})`).join(', ')}`);
    log(`  (c) words: ${csv.terms.map((t) => `${t.value} (${t.sourceRows})`).join(', ')}`);
    log(
      '  (source rows holding each value in parentheses; each source row is repeated ' +
        `${fixed(csv.rows / csv.sourceRows, 0)} times)`,
    );
    log('');

    if (options.pglite) runs.push(await runDatabase({ database: 'pglite' }, csv, options, true));
    if (!pg.ok) {
      postgresSkipped = pg.reason;
      log(`  PostgreSQL not used (${where}${pg.reason}): skipping the PostgreSQL rows`);
    } else if (adminUrl) {
      const scratch = await createScratchDatabase(adminUrl, 'trillium_bench_datastore');
      log(`  PostgreSQL database ${scratch.name} created`);
      try {
        runs.push(await runDatabase({ database: 'postgres', url: scratch.url }, csv, options, false));
      } finally {
        await scratch.drop();
        log(`  PostgreSQL database ${scratch.name} dropped`);
      }
    }

    log('');
    log(
      `Load of ${thousands(csv.rows)} rows, ${mb(csv.bytes)} (copy = until the first CREATE INDEX; rest = ANALYZE, swap, bookkeeping):`,
    );
    log(loadTable(runs, csv));
    for (const r of runs) {
      const app = r.load;
      log(
        `  ${r.database}: upload (file stored, resource added) ${fixed(app.uploadSeconds)} s before the job; ` +
          `RSS before the job ${mib(app.rssBefore)}; indexes: ${app.indexes.map(indexSummary).join(', ')}; ` +
          `report: ${app.problems.join(', ') || 'no problems'}`,
      );
    }
    log('');
    log('Ratios, app / bare (rows/s; 1 = as fast as the database alone):');
    for (const r of runs) {
      const copyRatio = r.load.copySeconds === null ? '—' : fixed(r.bare.copySeconds / r.load.copySeconds, 2);
      log(
        `  ${r.database.padEnd(8)} whole load ${fixed(r.bare.seconds / r.load.seconds, 2)}   copy phase ${copyRatio}` +
          `   index phase ${r.load.indexSeconds === null ? '—' : fixed(r.bare.indexSeconds / r.load.indexSeconds, 2)}`,
      );
    }

    log('');
    log(
      `Queries (limit ${pageLimit}; SQL/req = statements per request, app vs bare; vs bare = HTTP req/s ÷ bare req/s):`,
    );
    log(queryTable(runs));
    for (const r of runs) {
      log(`  ${r.database}: sequential walk (one client): ${walkLine(r)}`);
      for (const m of r.matches) log(`  ${r.database}: ${m}`);
      log(
        `  ${r.database}: requests still answered after autocannon stopped (queued in the server): ` +
          r.queries.map((q) => `(${q.id}) ${fixed(q.drainSeconds)} s`).join(', '),
      );
    }
    log('');
    log('Ratios, HTTP / bare SQL:');
    for (const r of runs)
      for (const q of r.queries)
        log(
          `  ${r.database.padEnd(8)} (${q.id})${q.id.length === 1 ? ' ' : ''} req/s ${fixed(q.http.requestsPerSecond / q.bare.result.requestsPerSecond, 2)}` +
            `   p95 ${fixed(q.http.p95 / Math.max(q.bare.result.p95, 0.001), 1)}×`,
        );
    log('');
    log(`Load average after: ${loadAverage()}`);

    log('');
    log('Targets:');
    for (const r of runs) {
      const value = peak(r.load);
      log(
        `  load peak RSS < 1 GB (server process, ${r.database}): ${mib(value)} (${(value / 1e9).toFixed(2)} GB) → ${value < loadRssTarget ? 'met' : 'NOT met'}`,
      );
    }
    if (postgresSkipped) log(`  PostgreSQL: not measured (${postgresSkipped})`);
    for (const r of runs)
      for (const q of r.queries)
        log(
          `  query p95 < ${queryP95Target} ms at ${options.connections} connections, (${q.id}) ${r.database}: ${fixed(q.http.p95)} ms → ${q.http.p95 < queryP95Target ? 'met' : 'NOT met'}`,
        );
    const failures = runs
      .flatMap((r) => r.queries)
      .filter((q) => q.http.non2xx || q.http.errors || q.bare.result.errors);
    for (const q of failures)
      log(
        `WARNING: (${q.id}) ${q.database}: ${q.http.non2xx} non-2xx, ${q.http.errors} errors (${q.http.timeouts} timeouts) over HTTP, ` +
          `${q.bare.result.errors} bare errors; latencies count only the requests that were answered.`,
      );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
