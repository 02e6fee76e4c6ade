/**
 * The server under test, run in its own process (forked by `server-process.ts`) so the load
 * generator never shares its JavaScript thread. Listens on 127.0.0.1 only.
 *
 *   bare                 a plain Fastify instance with one route returning a small string
 *   app pglite           the real app on an in-memory PGlite database
 *   app postgres <url>   the real app on a PostgreSQL database (created and dropped by the parent)
 *   … --datasets=N       with the demo data grown to N catalogue datasets (catalogue-data.ts)
 *
 * Talks to the parent over IPC: sends `ready` with its address, samples its own resident set size
 * every 50 ms and reports the peak, and the CPU time it used, since the last `reset` when asked.
 */
import fs from 'node:fs';
import Fastify from 'fastify';
import { buildApp } from '../../src/app.js';
import { system } from '../../src/kernel/auth/actor.js';
import type { IdentityApi } from '../../src/modules/identity/index.js';
import { facetCounts, searchDatasets } from '../../src/modules/catalogue/data/search.js';
import type { App } from '../../src/app.js';
import { benchConfig } from './bench-app.js';
import { growCatalogue } from './catalogue-data.js';
import { runLoops } from './direct.js';
import { demoAccount, type DirectSearch, type FromParent, type ToParent } from './server-process.js';

const send = (message: ToParent) => process.send?.(message);

let peakRss = process.memoryUsage.rss();
let cpuSince = process.cpuUsage();
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
}, 50);
sampler.unref();

async function startBare(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get('/', async () => 'hello world');
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: address, close: () => app.close() };
}

async function startApp(
  databaseUrl: string | undefined,
  datasets: number,
): Promise<{ url: string; app: App; close: () => Promise<void> }> {
  const { config, dataDir, port } = await benchConfig({
    prefix: 'trillium-bench-',
    databaseUrl,
    pglite: 'memory',
  });
  const app = await buildApp({ config, runJobs: false });
  const identity = app.apis.get('identity') as IdentityApi;
  await identity.createAccount({ actor: system, requestId: 'bench' }, demoAccount);
  if (datasets) await growCatalogue(app, datasets, (line) => console.log(line));
  await app.listen({ host: '127.0.0.1', port });
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The two statements a catalogue search runs (a page of results, the total and facets), without HTTP or actions. */
function directSearch(app: App, queries: DirectSearch[], connections: number, seconds: number) {
  const db = app.kernel.database.db;
  return runLoops(
    async (n) => {
      const query = { ...queries[n % queries.length]!, locale: 'en' as const };
      await Promise.all([searchDatasets(db, query), facetCounts(db, query)]);
    },
    connections,
    seconds,
  );
}

async function main() {
  const [mode, database, url, ...flags] = process.argv.slice(2);
  const datasets = Number(flags.find((f) => f.startsWith('--datasets='))?.split('=')[1] ?? 0);
  const server: { url: string; app?: App; close: () => Promise<void> } | undefined =
    mode === 'bare'
      ? await startBare()
      : mode === 'app'
        ? await startApp(database === 'postgres' ? url : undefined, datasets)
        : undefined;
  if (!server) throw new Error(`Unknown server mode: ${mode ?? '(none)'}`);

  process.on('message', (message: FromParent) => {
    if (message.type === 'reset') {
      peakRss = process.memoryUsage.rss();
      cpuSince = process.cpuUsage();
      send({ type: 'reset' });
    } else if (message.type === 'peak') {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      const cpu = process.cpuUsage(cpuSince);
      send({ type: 'peak', rss: peakRss, cpuMicros: cpu.user + cpu.system });
    } else if (message.type === 'direct-search') {
      if (!server.app) throw new Error('direct-search needs the app');
      directSearch(server.app, message.queries, message.connections, message.seconds).then(
        (result) => send({ type: 'direct-search', result }),
        (error: unknown) => send({ type: 'error', message: String(error) }),
      );
    } else if (message.type === 'close') {
      server.close().then(
        () => {
          send({ type: 'closed' });
          process.disconnect?.();
          process.exit(0);
        },
        (error: unknown) => {
          send({ type: 'error', message: String(error) });
          process.exit(1);
        },
      );
    }
  });
  send({ type: 'ready', url: server.url });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
