/**
 * The services workload's server, run in its own process (forked by `services-process.ts`):
 *
 *   pglite           the real app on a file-backed PGlite directory (ten million events do not
 *                    fit in memory)
 *   postgres <url>   the real app on a PostgreSQL database (created and dropped by the parent)
 *
 * With the services module enabled and `trustProxy` on (feedback is limited per client address;
 * the load generator gives each submission its own `X-Forwarded-For`). Besides serving HTTP it
 * runs the workload's commands (`ServicesCommands`) against the same database.
 */
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { buildApp, type App } from '../../src/app.js';
import { system } from '../../src/kernel/auth/actor.js';
import { issueToken } from '../../src/kernel/auth/tokens.js';
import { rows, type Database } from '../../src/kernel/db/index.js';
import { openBulkWriter } from '../../src/modules/catalogue/datastore/bulk.js';
import { setRoles } from '../../src/modules/identity/data/memberships.js';
import type { IdentityApi } from '../../src/modules/identity/index.js';
import type { ServicesDeps } from '../../src/modules/services/actions/deps.js';
import { insertFeedback } from '../../src/modules/services/data/feedback.js';
import { outcomes } from '../../src/modules/services/schema.js';
import { enabledModules } from '../../src/modules.js';
import { benchConfig } from './bench-app.js';
import { measureLoops } from './services-loops.js';
import { thousands } from './table.js';
import { csvColumns, csvLines, feedbackAt, type EventStream } from './services-events.js';
import type {
  BulkLoadReport,
  CommandName,
  CopyReport,
  ServicesCommands,
  ServicesReply,
  ServicesRequest,
  ServicesSetup,
} from './services-process.js';

const ctx = { actor: system, requestId: 'bench' };
const reply = (message: ServicesReply) => process.send?.(message);
const since = (startedMs: number) => (performance.now() - startedMs) / 1000;

const modules = enabledModules;

// ---- memory and CPU --------------------------------------------------------------------------

const usage = { peakRss: process.memoryUsage.rss(), cpu: process.cpuUsage() };
setInterval(() => {
  usage.peakRss = Math.max(usage.peakRss, process.memoryUsage.rss());
}, 50).unref();

/** Drops the dashboards the app keeps for a few seconds (as any change of figures does). */
function forgetDashboards(app: App): void {
  (app.apis.get('services') as { deps: ServicesDeps }).deps.dashboards.changed();
}

// ---- the SQL of a request, captured and replayed ---------------------------------------------

type Query = (...args: unknown[]) => Promise<unknown>;
/** Driver calls in waves: the calls of a wave were sent together (`Promise.all`), waves one after the other. */
type Waves = unknown[][][];

/**
 * Wraps the driver's `query` (PGlite, or the node-postgres pool: every statement outside a
 * transaction passes there) so the calls the app makes while answering one request can be kept
 * with their arguments and sent again, in the same order and with the same concurrency.
 */
class Recorder {
  readonly query: Query;
  private waves: Waves | null = null;
  private inFlight = 0;

  constructor(database: Database) {
    const client = (database.db as unknown as { $client: { query: Query } }).$client;
    const query = client.query.bind(client);
    this.query = query;
    client.query = (...args: unknown[]) => {
      if (this.waves) {
        if (this.inFlight === 0 || !this.waves.length) this.waves.push([]);
        this.waves[this.waves.length - 1]!.push(args);
      }
      this.inFlight++;
      return query(...args).finally(() => this.inFlight--);
    };
  }

  async record(work: () => Promise<unknown>): Promise<Waves> {
    this.waves = [];
    try {
      await work();
      return this.waves;
    } finally {
      this.waves = null;
    }
  }

  async replay(waves: Waves): Promise<void> {
    for (const wave of waves) await Promise.all(wave.map((args) => this.query(...args)));
  }

  /** Each call once, one after the other, timed: what one request's SQL costs the database alone. */
  async timeEach(waves: Waves): Promise<Array<{ ms: number; text: string }>> {
    const timings = [];
    for (const args of waves.flat()) {
      const started = performance.now();
      await this.query(...args);
      const first = args[0] as string | { text?: string };
      const text = typeof first === 'string' ? first : (first.text ?? '');
      timings.push({ ms: performance.now() - started, text: text.replace(/\s+/g, ' ').trim() });
    }
    return timings;
  }
}

// ---- setting up ------------------------------------------------------------------------------

/**
 * The demo platform (the identity and services demo seeds: organizations, the real Government of
 * Canada Service Inventory, three ServiceOntario services with a year of events, costs, feedback
 * and standards), then an account that is editor of the organization running the two services
 * with the most events, and its API token for sending events.
 */
async function setup(app: App): Promise<ServicesSetup> {
  const seedSeconds: Record<string, number> = {};
  // The catalogue's demo datasets play no part here (and take longer to seed than the rest).
  for (const module of modules.filter((m) => m.id !== 'catalogue')) {
    const started = performance.now();
    await module.seedDemo?.(app.apis.get(module.id), app.kernel);
    seedSeconds[module.id] = since(started);
  }
  const db = app.kernel.database.db;
  const busiest = await rows<{ id: string; code: string; organization: string; events: number }>(
    db,
    sql`select s.id::text, s.code, s.organization_id::text as organization, count(e.event_id)::int as events
        from services.services s join services.events e on e.service_id = s.id
        group by s.id order by 4 desc, s.code limit 2`,
  );
  const [dashboard, ingest] = busiest;
  if (!dashboard || !ingest) throw new Error('the demo seed made fewer than two services with events');
  const identity = app.apis.get('identity') as IdentityApi;
  const account = await identity.createAccount(ctx, {
    email: 'bench-sender@example.ca',
    displayName: 'Bench Sender',
    password: 'bench-password-correct-horse',
  });
  for (const organization of new Set([dashboard.organization, ingest.organization]))
    await setRoles(db, account.id, organization, ['editor'], null);
  const { secret } = await issueToken(db, {
    accountId: account.id,
    name: 'bench sender',
    scopes: ['services:events'],
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  const [counts] = await rows<{ services: number; organizations: number }>(
    db,
    sql`select count(*)::int as services, count(distinct organization_id)::int as organizations from services.services`,
  );
  const service = (s: typeof dashboard) => ({ code: s.code, id: s.id, events: s.events });
  return {
    seedSeconds,
    services: counts?.services ?? 0,
    organizations: counts?.organizations ?? 0,
    dashboard: service(dashboard),
    ingest: service(ingest),
    token: secret,
  };
}

// ---- events with the database's own bulk path ------------------------------------------------

const copyPiece = 10_000;
const progressEvery = 1_000_000;

/** COPY the stream's events into `table`, printing progress every million events. */
async function copyEvents(
  app: App,
  table: string,
  stream: EventStream,
  serviceId: string,
  label: string,
): Promise<number> {
  const started = performance.now();
  const writer = await openBulkWriter(
    app.kernel.database,
    `COPY ${table} (${csvColumns}) FROM STDIN WITH (FORMAT csv)`,
  );
  try {
    for (let first = 0; first < stream.events; first += copyPiece) {
      await writer.write(csvLines(stream, serviceId, first, Math.min(copyPiece, stream.events - first)));
      const done = first + copyPiece;
      if (done % progressEvery === 0 && done < stream.events)
        console.log(
          `    ${label}: ${thousands(done)} of ${thousands(stream.events)} events copied (${since(started).toFixed(0)} s)`,
        );
    }
    await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return since(started);
}

async function relationBytes(app: App, table: string): Promise<number> {
  const [row] = await rows<{ bytes: string }>(
    app.kernel.database.db,
    sql`select pg_total_relation_size(${table}::regclass)::text as bytes`,
  );
  return Number(row?.bytes ?? 0);
}

/** The same events into a table like `services.events` (`INCLUDING ALL`: its primary key and indexes), then dropped. */
async function bareCopy(app: App, stream: EventStream, serviceId: string): Promise<CopyReport> {
  const db = app.kernel.database.db;
  const table = 'public.bench_bare_events';
  await db.execute(sql.raw(`drop table if exists ${table}`));
  await db.execute(sql.raw(`create table ${table} (like services.events including all)`));
  try {
    const seconds = await copyEvents(app, table, stream, serviceId, `${app.kernel.database.kind} bare COPY`);
    return { events: stream.events, seconds, bytes: await relationBytes(app, table) };
  } finally {
    await db.execute(sql.raw(`drop table ${table}`));
  }
}

/** Columns of `services.daily_volumes` and which events each counts. */
const counters: Array<[column: string, condition: string]> = [
  ['started', `type = 'started'`],
  ['completed', `type = 'completed'`],
  ...outcomes.map((o): [string, string] => [
    o === 'other' ? 'other_outcome' : o,
    `type = 'completed' and outcome = '${o}'`,
  ]),
  ['abandoned', `type = 'abandoned'`],
];

/**
 * The large event table of one service: the stream copied into `services.events` (its keys and
 * indexes in place; the stream is in key and time order), then added to the daily counters the
 * KPIs read, with the same day rule as the app (the local day in the configured time zone).
 */
async function bulkLoad(app: App, stream: EventStream, serviceId: string): Promise<BulkLoadReport> {
  const db = app.kernel.database.db;
  const label = `${app.kernel.database.kind} load`;
  const seconds = await copyEvents(app, 'services.events', stream, serviceId, label);
  console.log(
    `    ${label}: ${thousands(stream.events)} events copied in ${seconds.toFixed(1)} s; adding them to the daily counters…`,
  );
  let started = performance.now();
  const columns = counters.map(([column]) => column).join(', ');
  const [counted] = await rows<{ n: number }>(
    db,
    sql`with counted as (
      insert into services.daily_volumes as v (service_id, day, channel, ${sql.raw(columns)})
      select service_id, (occurred_at at time zone ${app.kernel.config.timeZone})::date, channel,
        ${sql.raw(counters.map(([, condition]) => `count(*) filter (where ${condition})`).join(', '))}
      from services.events where service_id = ${serviceId}::uuid and event_id like ${`${stream.prefix}-%`}
      group by 1, 2, 3
      on conflict (service_id, day, channel) do update set
        ${sql.raw(counters.map(([column]) => `${column} = v.${column} + excluded.${column}`).join(', '))}
      returning 1
    ) select count(*)::int as n from counted`,
  );
  const countersSeconds = since(started);
  started = performance.now();
  // On PostgreSQL, ten million new rows would start autovacuum in the middle of the measurements:
  // vacuum now. PGlite has no autovacuum.
  const postgres = app.kernel.database.kind === 'postgres';
  await db.execute(postgres ? sql`vacuum (analyze) services.events` : sql`analyze services.events`);
  await db.execute(sql`analyze services.daily_volumes`);
  const analyzeSeconds = since(started);
  const [total] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from services.events where service_id = ${serviceId}::uuid`,
  );
  return {
    events: stream.events,
    seconds,
    bytes: await relationBytes(app, 'services.events'),
    countersSeconds,
    counterRows: counted?.n ?? 0,
    analyzeSeconds,
    serviceEvents: total?.n ?? 0,
  };
}

// ---- the server ------------------------------------------------------------------------------

async function main() {
  const [database, url] = process.argv.slice(2);
  if (database !== 'pglite' && database !== 'postgres')
    throw new Error(`Unknown database: ${database ?? '(none)'}`);
  const bench = await benchConfig({
    prefix: 'trillium-bench-services-',
    databaseUrl: database === 'postgres' ? url : undefined,
    pglite: 'file',
  });
  const config = { ...bench.config, trustProxy: true };
  const app = await buildApp({ config, modules, runJobs: false });
  await app.listen({ host: '127.0.0.1', port: bench.port });
  const recorder = new Recorder(app.kernel.database);
  const captured = new Map<string, Waves[]>();

  const handlers: {
    [K in CommandName]: (args: ServicesCommands[K]['args']) => Promise<ServicesCommands[K]['result']>;
  } = {
    setup: () => setup(app),
    bareCopy: ({ stream, serviceId }) => bareCopy(app, stream, serviceId),
    async bulkLoad({ stream, serviceId }) {
      const report = await bulkLoad(app, stream, serviceId);
      forgetDashboards(app);
      return report;
    },
    async capture({ key, path, headers }) {
      // The app keeps dashboards for a few seconds: capture what computing one sends, not a cache hit.
      forgetDashboards(app);
      let status = 0;
      const waves = await recorder.record(async () => {
        status = (await app.inject({ method: 'GET', url: path, headers })).statusCode;
      });
      captured.set(key, [...(captured.get(key) ?? []), waves]);
      const timings = await recorder.timeEach(waves);
      const slowest = timings.reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, text: '' });
      const sqlMs = timings.reduce((sum, t) => sum + t.ms, 0);
      return { status, statements: timings.length, waves: waves.length, sqlMs, slowest };
    },
    async replay({ key, connections, warmupSeconds, durationSeconds }) {
      const calls = captured.get(key) ?? [];
      if (!calls.length) throw new Error(`nothing captured under ${key}`);
      let next = 0;
      return measureLoops(() => recorder.replay(calls[next++ % calls.length]!), {
        connections,
        warmupSeconds,
        durationSeconds,
      });
    },
    async bareFeedback({ serviceId, connections, warmupSeconds, durationSeconds }) {
      let next = 0;
      const store = async () => {
        const n = next++;
        const { satisfaction, achieved, comment } = feedbackAt(n);
        const values = {
          serviceId,
          reference: `bare-${n}`,
          satisfaction,
          achieved,
          comment: comment ?? null,
          locale: 'en',
        };
        await app.kernel.database.transaction((tx) => insertFeedback(tx, values, config.timeZone));
      };
      return measureLoops(store, { connections, warmupSeconds, durationSeconds });
    },
    async reset() {
      usage.peakRss = process.memoryUsage.rss();
      usage.cpu = process.cpuUsage();
      return null;
    },
    async usage() {
      const cpu = process.cpuUsage(usage.cpu);
      return {
        peakRss: Math.max(usage.peakRss, process.memoryUsage.rss()),
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
      };
    },
    async close() {
      await app.close();
      fs.rmSync(bench.dataDir, { recursive: true, force: true });
      return null;
    },
  };

  process.on('message', ({ id, name, args }: ServicesRequest) => {
    const handler = handlers[name] as (args: unknown) => Promise<unknown>;
    handler(args).then(
      (result) => {
        reply({ id, result });
        if (name !== 'close') return;
        process.disconnect?.();
        // Whatever handle is left (none should be) must not keep the process alive.
        setTimeout(() => process.exit(0), 1000).unref();
      },
      (error: unknown) =>
        reply({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  reply({ id: 0, result: `http://127.0.0.1:${bench.port}` });
}

main().catch((error: unknown) => {
  reply({ id: 0, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
