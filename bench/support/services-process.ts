/**
 * Starts the services workload's server (`services-server.ts`) in a child process and sends it
 * commands (see `ServicesCommands`): set up the demo platform and a token, copy events with the
 * database alone, load the large event table, capture and replay the SQL of a request, store
 * feedback straight through the data layer. Commands have no time limit (loading ten million
 * events takes minutes); a child that dies fails the commands waiting on it.
 */
import { fileURLToPath } from 'node:url';
import type { LoadResult } from './load.js';
import { forkServer } from './server-process.js';
import type { EventStream } from './services-events.js';
import type { LoadSettings } from './workload.js';

export type ServicesSpec = { database: 'pglite' } | { database: 'postgres'; url: string };

/** What the server set up: the demo platform, and a sender's token for two of its services. */
export interface ServicesSetup {
  /** Seconds each module's demo seed took. */
  seedSeconds: Record<string, number>;
  services: number;
  organizations: number;
  /** The service that receives the large event table (the dashboard's subject). */
  dashboard: { code: string; id: string; events: number };
  /** The service the HTTP ingest sends to. */
  ingest: { code: string; id: string; events: number };
  /** `trl_…`, scope `services:events`, held by an editor of both services' organization. */
  token: string;
}

/** Events written with the database's own bulk path, and how long it took. */
export interface CopyReport {
  events: number;
  seconds: number;
  /** Table and indexes, bytes. */
  bytes: number;
}

export interface BulkLoadReport extends CopyReport {
  /** Adding the events to the daily counters (one INSERT … SELECT … GROUP BY). */
  countersSeconds: number;
  counterRows: number;
  /** ANALYZE of the events and counters (VACUUM (ANALYZE) of the events on PostgreSQL). */
  analyzeSeconds: number;
  /** Events of the service once loaded (the demo's own included). */
  serviceEvents: number;
}

/** A request's SQL: how many statements in how many rounds, and each run once alone (milliseconds). */
export interface CaptureReport {
  status: number;
  statements: number;
  /** Rounds of statements sent together; the app waits for one before the next. */
  waves: number;
  sqlMs: number;
  slowest: { ms: number; text: string };
}

export interface Usage {
  peakRss: number;
  cpuSeconds: number;
}

export interface ServicesCommands {
  setup: { args: Record<string, never>; result: ServicesSetup };
  /** COPY the stream's first `events` into a new table like `services.events` (same keys and indexes). */
  bareCopy: { args: { stream: EventStream; serviceId: string }; result: CopyReport };
  /** COPY the stream into `services.events` for the service, then its daily counters. */
  bulkLoad: { args: { stream: EventStream; serviceId: string }; result: BulkLoadReport };
  /** Answers `path` in-process and keeps the SQL it sent under `key`; times each statement once, alone. */
  capture: {
    args: { key: string; path: string; headers: Record<string, string> };
    result: CaptureReport;
  };
  /** Replays the SQL captured under `key` (its paths in turn) from concurrent loops, no HTTP. */
  replay: { args: LoadSettings & { key: string }; result: LoadResult };
  /** The feedback insert and its counter upsert (the data layer, in a transaction), from concurrent loops. */
  bareFeedback: { args: LoadSettings & { serviceId: string }; result: LoadResult };
  reset: { args: Record<string, never>; result: null };
  usage: { args: Record<string, never>; result: Usage };
  close: { args: Record<string, never>; result: null };
}
export type CommandName = keyof ServicesCommands;

export type ServicesRequest = { id: number; name: CommandName; args: unknown };
/** Replies carry the command's id; id 0 is the start-up (`result` is the server's URL). */
export type ServicesReply = { id: number; result?: unknown; error?: string };

export interface ServicesServer {
  url: string;
  call<K extends CommandName>(
    name: K,
    args: ServicesCommands[K]['args'],
  ): Promise<ServicesCommands[K]['result']>;
  close(): Promise<void>;
}

/** Forks the server for `spec`; `cpuProfileDir` writes a V8 CPU profile of it there. */
export async function startServicesServer(
  spec: ServicesSpec,
  cpuProfileDir: string | null = null,
): Promise<ServicesServer> {
  const script = fileURLToPath(new URL('services-server.ts', import.meta.url));
  const child = forkServer(
    script,
    spec.database === 'pglite' ? ['pglite'] : ['postgres', spec.url],
    cpuProfileDir,
  );
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (reply: ServicesReply) => {
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.error !== undefined) pending?.reject(new Error(reply.error));
    else pending?.resolve(reply.result);
  });
  child.once('exit', (code) => {
    for (const pending of waiting.values())
      pending.reject(new Error(`services server exited (code ${String(code)})`));
    waiting.clear();
  });
  const expect = (id: number) => new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));

  const url = (await expect(0).catch((error: unknown) => {
    if (child.exitCode === null) child.kill();
    throw error;
  })) as string;
  let nextId = 1;
  const call = <K extends CommandName>(name: K, args: ServicesCommands[K]['args']) => {
    const id = nextId++;
    const reply = expect(id);
    child.send({ id, name, args } satisfies ServicesRequest);
    return reply as Promise<ServicesCommands[K]['result']>;
  };
  return {
    url,
    call,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await call('close', {}).catch(() => undefined);
      await exited;
      clearTimeout(timer);
    },
  };
}
