/**
 * http-baseline: what the kernel costs per request, against the limit of Fastify itself.
 *
 *   (a) bare   a plain Fastify instance with one route returning a small string (the ceiling)
 *   (b) page   the home page `/en/` through the real app: layout, i18n and a signed-in session
 *              (session and account lookups on every request), compressed as for a browser;
 *              (b′) the same page without `Accept-Encoding`, to show what compression costs
 *   (c) api    `GET /api/v1/me` with the session cookie: the identity module's JSON read
 *
 * (b) and (c) run on PGlite and on PostgreSQL (a fresh database, dropped afterwards; skipped when
 * the server cannot be reached). Each server runs in its own process; autocannon runs in this one,
 * so server and load generator do not share a JavaScript thread. Also weighs the home page.
 */
import os from 'node:os';
import { measure, type LoadCase, type LoadResult } from './support/load.js';
import { busyShare, machineCpu, type CpuTimes } from './support/cpu.js';
import { describeMachine, machine } from './support/machine.js';
import { pageWeight, type PageWeight } from './support/page-weight.js';
import { createScratchDatabase, postgresVersion } from './support/postgres.js';
import { demoAccount, startServer, type ServerProcess, type ServerSpec } from './support/server-process.js';
import { signIn } from './support/session.js';
import { fixed, kb, mib, table, thousands } from './support/table.js';
import { type BenchOptions, type LoadSettings } from './support/workload.js';

export const description =
  'requests/s and latency of a bare Fastify route, the home page and an API read (PGlite and PostgreSQL); home page weight';

/** Page render p95 at 50 connections on PostgreSQL, in milliseconds. */
const pageP95Target = 30;
/** Home page weight as transferred, HTML + CSS + JS, in bytes. */
const pageWeightTarget = 100_000;

interface Row {
  id: 'a' | 'b' | 'b′' | 'c';
  name: string;
  database: 'none' | 'pglite' | 'postgres';
  result: LoadResult;
  peakRss: number;
  /** CPU time the server process used per second of measurement (1 = one core busy). */
  serverCores: number;
  /** Share of the machine's CPUs busy during the measurement (server, load generator, PostgreSQL, anything else). */
  machineBusy: number | null;
}

const browser = { 'accept-encoding': 'br, gzip', accept: 'text/html', 'accept-language': 'en-CA,en;q=0.9' };

async function runCase(
  server: ServerProcess,
  target: LoadCase,
  settings: LoadSettings,
): Promise<Pick<Row, 'result' | 'peakRss' | 'serverCores' | 'machineBusy'>> {
  let cpuBefore: CpuTimes | null = null;
  let started = 0n;
  const result = await measure(target, settings, async () => {
    await server.resetPeak();
    cpuBefore = machineCpu();
    started = process.hrtime.bigint();
  });
  const elapsedMicros = Number(process.hrtime.bigint() - started) / 1000;
  const machineBusy = busyShare(cpuBefore, machineCpu());
  const { peakRss, cpuMicros } = await server.usage();
  return { result, peakRss, serverCores: cpuMicros / elapsedMicros, machineBusy };
}

async function withServer<T>(
  spec: ServerSpec,
  options: BenchOptions,
  fn: (server: ServerProcess) => Promise<T>,
): Promise<T> {
  const server = await startServer(spec, { cpuProfileDir: options.cpuProfileDir });
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/** Checks, before loading it, that each URL answers 200 as a signed-in visitor. */
async function checkSignedIn(url: string, cookie: string) {
  const page = await fetch(`${url}/en/`, { headers: { cookie } });
  const html = await page.text();
  if (page.status !== 200 || !html.includes(demoAccount.displayName))
    throw new Error(`GET /en/ is not the signed-in home page (status ${page.status})`);
  const me = await fetch(`${url}/api/v1/me`, { headers: { cookie } });
  const body = (await me.json()) as { account?: { email?: string } };
  if (me.status !== 200 || body.account?.email !== demoAccount.email)
    throw new Error(`GET /api/v1/me answered ${me.status}: ${JSON.stringify(body)}`);
}

async function appCases(
  spec: ServerSpec,
  options: BenchOptions,
  log: (line: string) => void,
  weigh: boolean,
): Promise<{ rows: Row[]; weight?: PageWeight }> {
  const database = spec.mode === 'app' ? spec.database : 'none';
  return withServer(spec, options, async (server) => {
    const cookies = await signIn(server.url, demoAccount);
    await checkSignedIn(server.url, cookies.header);
    const weight = weigh ? await pageWeight(server.url, '/en/') : undefined;
    const cases: Array<[Row['id'], string, LoadCase]> = [
      [
        'b',
        'home page /en/ (signed in, br)',
        { url: `${server.url}/en/`, headers: { ...browser, cookie: cookies.header } },
      ],
      [
        'b′',
        'home page /en/ (signed in, no compression)',
        { url: `${server.url}/en/`, headers: { accept: 'text/html', cookie: cookies.header } },
      ],
      [
        'c',
        'GET /api/v1/me (session)',
        { url: `${server.url}/api/v1/me`, headers: { accept: 'application/json', cookie: cookies.header } },
      ],
    ];
    const rows: Row[] = [];
    for (const [id, name, target] of cases) {
      log(`  (${id}) ${name} on ${database}…`);
      rows.push({ id, name, database, ...(await runCase(server, target, options)) });
    }
    return { rows, ...(weight ? { weight } : {}) };
  });
}

export async function run(options: BenchOptions): Promise<void> {
  const settings: LoadSettings = options;
  const log = (line: string) => console.log(line);
  const adminUrl = options.postgresUrl;
  const pg = adminUrl
    ? await postgresVersion(adminUrl)
    : ({ ok: false, reason: 'skipped with --no-postgres' } as const);
  const where = adminUrl ? `unreachable at ${new URL(adminUrl).host}: ` : '';
  for (const line of describeMachine(machine(), pg.ok ? pg.version : `${where}${pg.reason}`)) log(line);
  log(
    `Load: autocannon, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up then ${settings.durationSeconds} s per case, 127.0.0.1; ` +
      'each server in its own process, autocannon in this one.',
  );
  const idleFrom = machineCpu();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const busyBefore = busyShare(idleFrom, machineCpu());
  log(
    `Before starting: load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}` + (busyBefore === null ? '' : `, CPUs ${fixed(busyBefore * 100, 0)}% busy over 2 s`),
  );
  if (busyBefore !== null && busyBefore > 0.15) {
    log('WARNING: the machine is already busy; figures will be low. Run again when nothing else is running.');
  }
  log('');

  const rows: Row[] = [];
  log('  (a) bare Fastify route…');
  await withServer({ mode: 'bare' }, options, async (server) => {
    rows.push({
      id: 'a',
      name: 'bare Fastify route',
      database: 'none',
      ...(await runCase(server, { url: `${server.url}/` }, settings)),
    });
  });

  const pglite = await appCases({ mode: 'app', database: 'pglite' }, options, log, true);
  rows.push(...pglite.rows);

  let postgresSkipped: string | undefined;
  if (!pg.ok) {
    postgresSkipped = pg.reason;
    log(`  PostgreSQL not used (${where}${pg.reason}): skipping the PostgreSQL rows`);
  } else if (adminUrl) {
    const scratch = await createScratchDatabase(adminUrl);
    log(`  PostgreSQL database ${scratch.name} created`);
    try {
      rows.push(
        ...(await appCases({ mode: 'app', database: 'postgres', url: scratch.url }, options, log, false))
          .rows,
      );
    } finally {
      await scratch.drop();
      log(`  PostgreSQL database ${scratch.name} dropped`);
    }
  }

  const bare = rows.find((r) => r.id === 'a')!.result.requestsPerSecond;
  log('');
  log(
    table(
      [
        'case',
        'database',
        'req/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        'peak RSS',
        'server CPU',
        'machine CPU',
        'vs (a)',
        'non-2xx/err',
      ],
      rows.map((r) => [
        `(${r.id}) ${r.name}`,
        r.database === 'none' ? '—' : r.database,
        thousands(r.result.requestsPerSecond),
        fixed(r.result.p50),
        fixed(r.result.p95),
        fixed(r.result.p99),
        fixed(r.result.max, 0),
        mib(r.peakRss),
        `${fixed(r.serverCores, 2)} cores`,
        r.machineBusy === null ? '—' : `${fixed(r.machineBusy * 100, 0)}%`,
        r.id === 'a' ? '1' : fixed(r.result.requestsPerSecond / bare, 3),
        `${r.result.non2xx}/${r.result.errors}`,
      ]),
      ['left', 'left'],
    ),
  );
  log('');
  log(
    `Load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  log(`Ratios in requests/s against (a) ${thousands(bare)} req/s:`);
  for (const database of ['pglite', 'postgres'] as const) {
    const of = (id: Row['id']) =>
      rows.find((r) => r.id === id && r.database === database)?.result.requestsPerSecond;
    const page = of('b');
    const api = of('c');
    if (page !== undefined && api !== undefined) {
      log(`  ${database.padEnd(8)} (b)/(a) = ${fixed(page / bare, 3)}   (c)/(a) = ${fixed(api / bare, 3)}`);
    }
  }

  if (pglite.weight) {
    const w = pglite.weight;
    log('');
    log('Home page weight (/en/, anonymous first visit; bodies only, headers not counted):');
    log(
      table(
        ['resource', 'uncompressed', 'transferred (br, gzip)', 'encoding', 'fetch ms'],
        [
          ...w.resources.map((r) => [
            `${r.kind} ${r.path}`,
            `${thousands(r.uncompressed)} B`,
            `${thousands(r.transferred)} B`,
            r.encoding,
            fixed(r.transferMs),
          ]),
          [
            'HTML + CSS + JS',
            `${thousands(w.uncompressed)} B (${kb(w.uncompressed)})`,
            `${thousands(w.transferred)} B (${kb(w.transferred)})`,
            '',
            '',
          ],
        ],
        ['left', 'right', 'right', 'left', 'right'],
      ),
    );
  }

  log('');
  log('Targets:');
  const pagePg = rows.find((r) => r.id === 'b' && r.database === 'postgres');
  if (pagePg) {
    const met = pagePg.result.p95 < pageP95Target;
    log(
      `  page render p95 < ${pageP95Target} ms at ${settings.connections} connections on PostgreSQL: ${fixed(pagePg.result.p95)} ms → ${met ? 'met' : 'NOT met'}`,
    );
  } else {
    log(`  page render p95 on PostgreSQL: not measured (${postgresSkipped ?? 'PostgreSQL rows missing'})`);
  }
  if (pglite.weight) {
    const met = pglite.weight.transferred < pageWeightTarget;
    log(
      `  home page < 100 kB transferred (HTML + CSS + JS): ${kb(pglite.weight.transferred)} → ${met ? 'met' : 'NOT met'}`,
    );
    log(`  (uncompressed: ${kb(pglite.weight.uncompressed)})`);
  }
  const failures = rows.filter((r) => r.result.non2xx > 0 || r.result.errors > 0);
  if (failures.length) {
    log('');
    for (const r of failures) {
      log(
        `WARNING: (${r.id}) ${r.database}: ${r.result.non2xx} non-2xx responses, ${r.result.errors} errors (${r.result.timeouts} requests timed out after 10 s); ` +
          'latencies count only the requests that were answered.',
      );
    }
  }
}
