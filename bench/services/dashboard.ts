/**
 * The KPI dashboard at scale: once one service holds `--rows` events (ten million by default),
 * its KPIs and those of all services (the real Government of Canada inventory) through the JSON
 * API and the HTML pages, against the very SQL the app sends for them, captured and replayed on
 * the driver in the server process with as many concurrent loops as connections.
 *
 * Each case sends four views in turn: the default (rolling 12 months), online only, last month
 * and the current fiscal year. A page that does not exist yet (404) is skipped and said so.
 */
import { measure, type LoadResult } from '../support/load.js';
import type { CaptureReport } from '../support/services-process.js';
import { fixed, mib, table } from '../support/table.js';
import { cores, latencyHeaders, rateAndLatency, resetUsage } from './common.js';
import type { Database, ServicesRun } from './common.js';

/** Dashboard and KPI API p95 at the configured connections on PostgreSQL, in milliseconds (issue #4). */
export const dashboardP95Target = 200;

export interface DashboardRow {
  id: string;
  name: string;
  database: Database;
  /** Null when the case was skipped (`skipped` says why). */
  http: LoadResult | null;
  direct: LoadResult | null;
  statements: number;
  /** Rounds of statements per request (the app waits for each before sending the next). */
  waves: number;
  /** One request's statements run once each, alone, in milliseconds (mean of the views). */
  sqlMs: number;
  slowest: CaptureReport['slowest'];
  /** Server CPU time per measured second over HTTP (1 = its JavaScript thread saturated). */
  serverCores: number;
  peakRss: number;
  skipped?: string;
}

/** The four views of a case: default, online only, last month, this fiscal year (April–March). */
function views(now: Date): string[] {
  const y = now.getFullYear();
  const m = now.getMonth() + 1;
  const lastMonth = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const fiscal = m >= 4 ? `FY${y}-${y + 1}` : `FY${y - 1}-${y}`;
  return ['', '?channel=online', `?period=${lastMonth}`, `?period=${fiscal}`];
}

export async function measureDashboard(run: ServicesRun): Promise<DashboardRow[]> {
  const { server, setup, database, options, log } = run;
  const json = { accept: 'application/json' };
  const html = { accept: 'text/html', 'accept-encoding': 'br, gzip' };
  const code = encodeURIComponent(setup.dashboard.code);
  const cases: Array<[id: string, name: string, path: string, headers: Record<string, string>]> = [
    ['k', `KPI API, one service (${setup.dashboard.code})`, `/api/v1/services/${code}/kpis`, json],
    ['a', 'KPI API, all services', '/api/v1/service-kpis', json],
    ['p', 'performance page, one service', `/en/services/${code}/performance`, html],
    ['d', 'dashboard page, all services', '/en/services/dashboard', html],
  ];
  const rows: DashboardRow[] = [];
  for (const [id, name, path, headers] of cases) {
    const paths = views(new Date(run.now)).map((query) => `${path}${query}`);
    const captures: CaptureReport[] = [];
    for (const p of paths)
      captures.push(await server.call('capture', { key: `${database}:${id}`, path: p, headers }));
    const failed = captures.find((c) => c.status !== 200);
    if (failed) {
      const skipped = failed.status === 404 ? 'not there yet (404)' : `answered ${failed.status}`;
      log(`  (${id}) ${name} on ${database}: ${path} ${skipped}, skipped`);
      const nothing = {
        statements: 0,
        waves: 0,
        sqlMs: 0,
        slowest: { ms: 0, text: '' },
        serverCores: 0,
        peakRss: 0,
      };
      rows.push({ id, name, database, http: null, direct: null, ...nothing, skipped });
      continue;
    }
    log(`  (${id}) ${name} on ${database}: HTTP, then the same SQL replayed…`);
    const http = await measure({ url: server.url, headers, paths }, options, resetUsage(run));
    const { peakRss, cpuSeconds } = await server.call('usage', {});
    const direct = await server.call('replay', { ...options, key: `${database}:${id}` });
    const mean = (pick: (c: CaptureReport) => number) =>
      captures.reduce((n, c) => n + pick(c), 0) / captures.length;
    const slowest = captures.map((c) => c.slowest).reduce((a, b) => (b.ms > a.ms ? b : a));
    rows.push({
      id,
      name,
      database,
      http,
      direct,
      statements: mean((c) => c.statements),
      waves: mean((c) => c.waves),
      sqlMs: mean((c) => c.sqlMs),
      slowest,
      serverCores: cpuSeconds / options.durationSeconds,
      peakRss,
    });
  }
  return rows;
}

export function dashboardTable(rows: DashboardRow[]): string {
  return table(
    [
      'case',
      'database',
      'via',
      'req/s',
      ...latencyHeaders,
      'SQL/req',
      'server CPU',
      'peak RSS',
      'vs direct',
      'non-2xx/err',
    ],
    rows.flatMap((r) => {
      const title = `(${r.id}) ${r.name}`;
      if (!r.http || !r.direct)
        return [[title, r.database, r.skipped ?? '', '', '', '', '', '', '', '', '', '', '']];
      const vsDirect = fixed(r.http.requestsPerSecond / r.direct.requestsPerSecond, 2);
      return [
        [
          title,
          r.database,
          'HTTP',
          ...rateAndLatency(r.http),
          fixed(r.statements, 1),
          cores(r.serverCores),
          mib(r.peakRss),
          vsDirect,
          `${r.http.non2xx}/${r.http.errors}`,
        ],
        [
          '',
          r.database,
          'direct SQL',
          ...rateAndLatency(r.direct),
          fixed(r.statements, 1),
          '',
          '',
          '1',
          `—/${r.direct.errors}`,
        ],
      ];
    }),
    ['left', 'left', 'left'],
  );
}

/** What one request's SQL costs alone, and its slowest statement, per measured case. */
export function sqlLines(rows: DashboardRow[]): string[] {
  const short = (text: string) => (text.length > 140 ? `${text.slice(0, 137)}…` : text);
  return rows
    .filter((r) => r.http)
    .map(
      (r) =>
        `  (${r.id}) ${r.database}: ${fixed(r.statements, 0)} statements in ${fixed(r.waves, 0)} rounds, ${fixed(r.sqlMs)} ms run alone; ` +
        `slowest ${fixed(r.slowest.ms)} ms: ${short(r.slowest.text)}`,
    );
}
