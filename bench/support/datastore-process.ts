/**
 * Starts the datastore workload's server (`datastore-server.ts`) in a child process and sends it
 * commands: load a CSV through the app, load it again with the database alone, run the app's
 * queries as bare SQL. Each command answers once; a load can take minutes, so commands have no
 * time limit (a child that dies fails the command instead).
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadResult } from './load.js';
import { forkServer } from './server-process.js';

export type DatastoreSpec = { database: 'pglite' } | { database: 'postgres'; url: string };

/** Peak resident set size over a command: sampled every 50 ms in JavaScript, and the kernel's own high-water mark. */
export interface Memory {
  rssBefore: number;
  peakRssSampled: number;
  /** `VmHWM` from /proc (Linux): also sees peaks while the event loop is blocked (PGlite runs on it). */
  peakRssKernel: number | null;
  /** CPU time the server process used (user + system), in seconds. */
  cpuSeconds: number;
}

/** The load through the app: upload as a resource, then the `catalogue.datastore-load` job. */
export interface AppLoadReport extends Memory {
  datasetName: string;
  resourceId: string;
  rows: number;
  uploadSeconds: number;
  /** The job, start to end. */
  seconds: number;
  /** Job start → first CREATE INDEX: sniffing, type inference, parsing, casting and COPY. */
  copySeconds: number | null;
  /** Of which inside `COPY … FROM '/dev/blob'` (PGlite: the database's share; null on PostgreSQL, where COPY streams alongside). */
  copyInDatabaseSeconds: number | null;
  /** First CREATE INDEX → last one done. */
  indexSeconds: number | null;
  /** The rest: ANALYZE, swap into place, bookkeeping. */
  finishSeconds: number | null;
  tableBytes: number;
  indexes: string[];
  problems: string[];
}

/** The same file loaded into an identical table with the database's own bulk path, no app code. */
export interface BareLoadReport extends Memory {
  method: string;
  rows: number;
  seconds: number;
  copySeconds: number;
  indexSeconds: number;
  analyzeSeconds: number;
  tableBytes: number;
}

export interface BareQueryArgs {
  resourceId: string;
  /** `ckan`: `/api/3/action/datastore_search` parameters; `v1`: `/api/v1/…/data` parameters. */
  api: 'ckan' | 'v1';
  paths: string[];
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface BareQueryReport {
  result: LoadResult;
  /** SQL statements per call (the page, then the total's EXPLAIN and count when filtered). */
  statementsPerCall: number;
}

export interface Commands {
  load: { args: { file: string }; result: AppLoadReport };
  bareLoad: { args: { file: string; resourceId: string }; result: BareLoadReport };
  bareQueries: { args: BareQueryArgs; result: BareQueryReport };
  /** The SQL statements the app sends for one HTTP request (the server fetches `path` from itself). */
  statementsOf: { args: { path: string }; result: string[] };
  /** Waits until the app has sent no SQL for a while (requests left over from a load); answers the seconds waited. */
  settle: { args: Record<string, never>; result: number };
  reset: { args: Record<string, never>; result: null };
  usage: { args: Record<string, never>; result: Memory };
}
export type CommandName = keyof Commands;

export type FromParent =
  | { [K in CommandName]: { type: 'command'; id: number; name: K; args: Commands[K]['args'] } }[CommandName]
  | { type: 'close' };
export type ToParent =
  | { type: 'ready'; url: string }
  | { type: 'reply'; id: number; result?: unknown; error?: string }
  | { type: 'closed' }
  | { type: 'error'; message: string };

export interface DatastoreServer {
  url: string;
  call<K extends CommandName>(name: K, args: Commands[K]['args']): Promise<Commands[K]['result']>;
  close(): Promise<void>;
}

const serverScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'datastore-server.ts');

export async function startDatastoreServer(
  spec: DatastoreSpec,
  options: { cpuProfileDir?: string | null } = {},
): Promise<DatastoreServer> {
  const args = spec.database === 'pglite' ? ['pglite'] : ['postgres', spec.url];
  const child = forkServer(serverScript, args, options.cpuProfileDir);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('datastore server did not start within 120 s')), 120_000);
    child.on('message', (message: ToParent) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.url);
      } else if (message.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`datastore server failed: ${message.message}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`datastore server exited with code ${String(code)} before it was ready`));
    });
  }).catch((error: unknown) => {
    if (child.exitCode === null) child.kill();
    throw error;
  });

  let nextId = 1;
  return {
    url,
    call: (name, commandArgs) => command(child, exited, () => exitCode, nextId++, name, commandArgs),
    async close() {
      if (child.exitCode !== null) return;
      child.send({ type: 'close' } satisfies FromParent);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function command<K extends CommandName>(
  child: ChildProcess,
  exited: Promise<void>,
  exitCode: () => number | null | undefined,
  id: number,
  name: K,
  args: Commands[K]['args'],
): Promise<Commands[K]['result']> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: ToParent) => {
      if (reply.type !== 'reply' || reply.id !== id) return;
      child.off('message', onMessage);
      if (reply.error !== undefined) reject(new Error(`${name}: ${reply.error}`));
      else resolve(reply.result as Commands[K]['result']);
    };
    child.on('message', onMessage);
    void exited.then(() =>
      reject(new Error(`datastore server exited (code ${String(exitCode())}) during "${name}"`)),
    );
    child.send({ type: 'command', id, name, args } as FromParent);
  });
}
