/**
 * services: the services module's three heavy paths (issue #4), on PGlite and on PostgreSQL in one
 * run, each database in its own server process with the demo platform (the real Government of
 * Canada Service Inventory and three ServiceOntario services with a year of events, costs,
 * feedback and standards):
 *
 *   (i) ingest     event batches through the HTTP API, against a bare COPY of the same events
 *                  (services/ingest.ts)
 *   (k–d) dashboard  once one service holds `--rows` events (the shared row-count option; default
 *                  10,000,000, copied in with the database's bulk path and added to the daily
 *                  counters), the KPI API and
 *                  pages for that service and for all services, against the SQL the app sends
 *                  replayed directly (services/dashboard.ts)
 *   (f) feedback   submissions through the API at `--connections`, against the same insert
 *                  directly (services/feedback.ts)
 */
import os from 'node:os';
import { busyShare, machineCpu } from './support/cpu.js';
import { describeMachine, machine } from './support/machine.js';
import { createScratchDatabase, postgresVersion } from './support/postgres.js';
import type { EventStream } from './support/services-events.js';
import { startServicesServer, type BulkLoadReport, type ServicesSpec } from './support/services-process.js';
import { fixed, mib, thousands } from './support/table.js';
import type { BenchOptions } from './support/workload.js';
import {
  dashboardP95Target,
  dashboardTable,
  measureDashboard,
  sqlLines,
  type DashboardRow,
} from './services/dashboard.js';
import type { Database, ServicesRun } from './services/common.js';
import { feedbackTable, feedbackTarget, measureFeedback, type FeedbackRun } from './services/feedback.js';
import {
  ingestSenders,
  ingestTable,
  ingestTarget,
  measureIngest,
  type IngestRun,
} from './services/ingest.js';

export const description =
  'event ingest vs bare COPY, KPI API and dashboard at 10,000,000 events, feedback/s (PGlite and PostgreSQL)';

interface DatabaseRun {
  database: Database;
  setup: {
    seedSeconds: Record<string, number>;
    services: number;
    organizations: number;
    dashboard: string;
    ingest: string;
  };
  ingest: IngestRun;
  load: BulkLoadReport;
  dashboard: DashboardRow[];
  feedback: FeedbackRun;
}

const log = (line = '') => console.log(line);

async function runDatabase(spec: ServicesSpec, options: BenchOptions, now: number): Promise<DatabaseRun> {
  const { database } = spec;
  const started = performance.now();
  const elapsed = () => `${fixed((performance.now() - started) / 1000, 0)} s`;
  const server = await startServicesServer(spec, options.cpuProfileDir);
  try {
    log(`  ${database}: seeding the demo platform…`);
    const setup = await server.call('setup', {});
    log(
      `  ${database}: ${thousands(setup.services)} services of ${thousands(setup.organizations)} organizations ` +
        `(seeds: ${Object.entries(setup.seedSeconds)
          .map(([id, s]) => `${id} ${fixed(s)} s`)
          .join(', ')}); ` +
        `events go to ${setup.ingest.code} (ingest) and ${setup.dashboard.code} (dashboard)`,
    );
    const run: ServicesRun = { server, setup, database, options, now, log };
    const ingest = await measureIngest(run);

    const loaded: EventStream = { prefix: 'load', spread: 'ordered', events: options.rows, now };
    log(
      `  ${database}: loading ${thousands(loaded.events)} events for ${setup.dashboard.code} (COPY, then the daily counters) [${elapsed()}]…`,
    );
    const load = await server.call('bulkLoad', { stream: loaded, serviceId: setup.dashboard.id });
    log(
      `  ${database}: ${thousands(load.serviceEvents)} events for ${setup.dashboard.code}; copy ${fixed(load.seconds)} s, ` +
        `counters ${fixed(load.countersSeconds)} s (${thousands(load.counterRows)} day × channel rows), vacuum/analyze ${fixed(load.analyzeSeconds)} s [${elapsed()}]`,
    );
    const dashboard = await measureDashboard(run);
    const feedback = await measureFeedback(run, loaded);
    log(`  ${database}: done in ${elapsed()}`);
    return {
      database,
      setup: { ...setup, dashboard: setup.dashboard.code, ingest: setup.ingest.code },
      ingest,
      load,
      dashboard,
      feedback,
    };
  } finally {
    await server.close();
  }
}

/** Whole-machine CPU use over two idle seconds before the start, with a warning if others are busy. */
async function busyBefore(): Promise<void> {
  const from = machineCpu();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const busy = busyShare(from, machineCpu());
  const loadAverage = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  log(
    `Before starting: load average ${loadAverage}${busy === null ? '' : `, CPUs ${fixed(busy * 100, 0)}% busy over 2 s`}`,
  );
  if (busy !== null && busy > 0.15)
    log('WARNING: the machine is already busy; figures will be low. Run again when nothing else is running.');
}

function printResults(runs: DatabaseRun[], options: BenchOptions, postgresSkipped: string | undefined): void {
  log('');
  log(
    `Ingest: POST /api/v1/service-events/batch, ${ingestSenders} senders, events scattered over 12 months (vs COPY = events/s ÷ bare COPY events/s):`,
  );
  log(ingestTable(runs));
  for (const r of runs) {
    const lost = r.ingest.rows.filter((row) => row.stored !== row.result.requests * row.batch);
    for (const row of lost)
      log(
        `WARNING: ${r.database}: batches of ${row.batch} stored ${thousands(row.stored)} events, not ${thousands(row.result.requests * row.batch)}`,
      );
  }
  log('');
  log(`Event table for the dashboard (${thousands(options.rows)} events loaded in one service):`);
  for (const r of runs)
    log(
      `  ${r.database.padEnd(8)} COPY ${thousands(r.load.events / r.load.seconds)} events/s (${fixed(r.load.seconds)} s), counters ${fixed(r.load.countersSeconds)} s, ` +
        `events table + indexes ${mib(r.load.bytes)}, ${thousands(r.load.serviceEvents)} events in ${r.setup.dashboard}`,
    );
  log('');
  log(
    `Dashboard (${options.connections} connections; 4 views in turn: 12 months, online only, last month, this fiscal year; ` +
      'SQL/req = statements per request; vs direct = HTTP req/s ÷ the same SQL replayed):',
  );
  log(dashboardTable(runs.flatMap((r) => r.dashboard)));
  log('One request alone (the statements of one view, each run once on an idle server, views averaged):');
  for (const line of sqlLines(runs.flatMap((r) => r.dashboard))) log(line);
  log('');
  log(`Feedback (${options.connections} connections, a client address per submission):`);
  log(feedbackTable(runs.map((r) => r.feedback)));

  log('');
  log('Targets (on PostgreSQL; PGlite figures for the record):');
  for (const r of runs) {
    const tag = r.database === 'postgres' ? '' : ' [PGlite, no target]';
    const best = Math.max(...r.ingest.rows.map((row) => row.eventsPerSecond));
    log(
      `  ingest ≥ ${thousands(ingestTarget)} events/s, ${r.database}: ${thousands(best)} (best batch size) → ${best >= ingestTarget ? 'met' : 'NOT met'}${tag}`,
    );
    for (const d of r.dashboard.filter((d) => d.http))
      log(
        `  p95 < ${dashboardP95Target} ms at ${thousands(options.rows)} events, (${d.id}) ${d.name}, ${r.database}: ${fixed(d.http!.p95)} ms → ${d.http!.p95 < dashboardP95Target ? 'met' : 'NOT met'}${tag}`,
      );
    for (const d of r.dashboard.filter((d) => !d.http))
      log(`  (${d.id}) ${d.name}, ${r.database}: not measured (${d.skipped ?? ''})`);
    const rate = r.feedback.http.requestsPerSecond;
    log(
      `  feedback ≥ ${thousands(feedbackTarget)}/s at ${options.connections} connections, ${r.database}: ${thousands(rate)}/s → ${rate >= feedbackTarget ? 'met' : 'NOT met'}${tag}`,
    );
  }
  if (postgresSkipped) log(`  PostgreSQL: not measured (${postgresSkipped})`);
  const failures = runs.flatMap((r) => [
    ...r.ingest.rows
      .filter((row) => row.result.errors)
      .map((row) => `${r.database} ingest ${row.batch}: ${row.result.errors} errors`),
    ...r.dashboard
      .filter((d) => d.http?.non2xx || d.http?.errors || d.direct?.errors)
      .map(
        (d) =>
          `${r.database} (${d.id}): ${d.http?.non2xx} non-2xx, ${d.http?.errors} errors, ${d.direct?.errors} direct errors`,
      ),
    ...(r.feedback.http.errors || r.feedback.direct.errors
      ? [
          `${r.database} feedback: ${r.feedback.http.errors} errors, ${r.feedback.direct.errors} direct errors`,
        ]
      : []),
  ]);
  for (const f of failures) log(`WARNING: ${f}; latencies count only the requests that were answered.`);
}

export async function run(options: BenchOptions): Promise<void> {
  const adminUrl = options.postgresUrl;
  const pg = adminUrl ? await postgresVersion(adminUrl) : null;
  const postgres = pg === null ? 'skipped with --no-postgres' : pg.ok ? pg.version : pg.reason;
  for (const line of describeMachine(machine(), postgres)) log(line);
  log(
    `Load: ${options.warmupSeconds} s warm-up then ${options.durationSeconds} s per case; GETs with autocannon, POSTs with fetch from closed loops ` +
      '(each its next request when the last is answered), both in this process; direct cases in the server process with the same concurrency.',
  );
  await busyBefore();
  log('');

  const now = Date.now();
  const runs: DatabaseRun[] = [];
  if (options.pglite) runs.push(await runDatabase({ database: 'pglite' }, options, now));
  let postgresSkipped: string | undefined;
  if (adminUrl && pg?.ok) {
    const scratch = await createScratchDatabase(adminUrl, 'trillium_bench_services');
    log(`  PostgreSQL database ${scratch.name} created`);
    try {
      runs.push(await runDatabase({ database: 'postgres', url: scratch.url }, options, now));
    } finally {
      await scratch.drop();
      log(`  PostgreSQL database ${scratch.name} dropped`);
    }
  } else {
    postgresSkipped = postgres;
    log(`  PostgreSQL rows skipped (${postgres})`);
  }
  printResults(runs, options, postgresSkipped);
}
