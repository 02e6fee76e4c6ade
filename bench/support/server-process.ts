/**
 * Starts a server under test (`server.ts`) in a child process and talks to it: its address, its
 * peak resident set size over a measurement, and shutting it down.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadResult } from './load.js';

/** The account created in every app server, signed in through the real form. */
export const demoAccount = {
  email: 'bench@example.ca',
  displayName: 'Bench Mark',
  password: 'bench-password-correct-horse',
};

export type FromParent =
  | { type: 'reset' }
  | { type: 'peak' }
  | { type: 'close' }
  | { type: 'direct-search'; queries: DirectSearch[]; connections: number; seconds: number };

/** A catalogue search as the data layer takes it (`SearchQuery` in src/modules/catalogue/data/search.ts). */
export interface DirectSearch {
  q?: string;
  organizations?: string[];
  formats?: string[];
  sort: 'relevance' | 'newest' | 'name';
  limit: number;
  offset: number;
  /** The facets counted (as `package_search` counts only those asked for in `facet.field`). */
  facets: Array<'organization' | 'group' | 'keyword' | 'format' | 'licence' | 'access'>;
}
export type ToParent =
  | { type: 'ready'; url: string }
  | { type: 'reset' }
  | { type: 'peak'; rss: number; cpuMicros: number }
  | { type: 'closed' }
  | { type: 'direct-search'; result: LoadResult }
  | { type: 'error'; message: string };

export type ServerSpec =
  | { mode: 'bare' }
  | { mode: 'app'; database: 'pglite'; datasets?: number }
  | { mode: 'app'; database: 'postgres'; url: string; datasets?: number };

export interface ServerProcess {
  url: string;
  pid: number;
  /** Starts a new measurement of peak RSS and CPU time. */
  resetPeak(): Promise<void>;
  /** Peak RSS in bytes, and CPU time (user + system) in microseconds, since the last `resetPeak()`. */
  usage(): Promise<{ peakRss: number; cpuMicros: number }>;
  /** Runs catalogue searches straight against the database in the server process (no HTTP). */
  directSearch(queries: DirectSearch[], connections: number, seconds: number): Promise<LoadResult>;
  close(): Promise<void>;
}

/**
 * How long to wait for a server to answer between cases: an embedded database answers requests
 * still queued after the load stops on the same thread as these messages.
 */
const busyServerMs = 5 * 60_000;

const serverScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'server.ts');

export interface StartOptions {
  /** Write a V8 CPU profile of the server into this directory when it exits (open it in Chrome DevTools). */
  cpuProfileDir?: string | null;
  timeoutMs?: number;
}

/**
 * Runs a TypeScript server script in a child process (`--import tsx`), with its own V8 heap and
 * event loop, talking to this one over IPC; optionally writing a CPU profile into `cpuProfileDir`.
 */
export function forkServer(script: string, args: string[], cpuProfileDir?: string | null): ChildProcess {
  const execArgv = [
    '--import',
    'tsx',
    ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cpuProfileDir)}`] : []),
  ];
  return fork(script, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

export async function startServer(spec: ServerSpec, options: StartOptions = {}): Promise<ServerProcess> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const args =
    spec.mode === 'bare'
      ? ['bare']
      : [
          'app',
          ...(spec.database === 'pglite' ? ['pglite', ''] : ['postgres', spec.url]),
          ...(spec.datasets ? [`--datasets=${spec.datasets}`] : []),
        ];
  const child = forkServer(serverScript, args, options.cpuProfileDir);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server (${args[0]} ${args[1] ?? ''}) did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message: ToParent) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message.url);
      } else if (message.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`server failed to start: ${message.message}`));
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${String(code)} before it was ready`));
    });
  }).catch((error: unknown) => {
    if (child.exitCode === null) child.kill();
    throw error;
  });

  return {
    url: ready,
    pid: child.pid ?? -1,
    async resetPeak() {
      await request(child, { type: 'reset' }, 'reset', busyServerMs);
    },
    async usage() {
      const reply = await request(child, { type: 'peak' }, 'peak', busyServerMs);
      return reply.type === 'peak'
        ? { peakRss: reply.rss, cpuMicros: reply.cpuMicros }
        : { peakRss: 0, cpuMicros: 0 };
    },
    async directSearch(queries, connections, seconds) {
      const reply = await request(
        child,
        { type: 'direct-search', queries, connections, seconds },
        'direct-search',
        (seconds + 60) * 1000,
      );
      if (reply.type !== 'direct-search') throw new Error('unexpected reply');
      return reply.result;
    },
    async close() {
      if (child.exitCode !== null) return;
      child.send({ type: 'close' } satisfies FromParent);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function request(
  child: ChildProcess,
  message: FromParent,
  answer: ToParent['type'],
  timeoutMs = 10_000,
): Promise<ToParent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not answer "${message.type}"`)), timeoutMs);
    const onMessage = (reply: ToParent) => {
      if (reply.type !== answer) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(reply);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}
