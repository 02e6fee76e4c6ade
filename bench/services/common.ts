/** What the parts of the services workload share: the server they measure, and how rows are printed. */
import type { LoadResult } from '../support/load.js';
import type { ServicesServer, ServicesSetup, ServicesSpec } from '../support/services-process.js';
import { fixed, thousands } from '../support/table.js';
import type { BenchOptions } from '../support/workload.js';

export type Database = ServicesSpec['database'];

/** One database's server, set up, and the run's settings. */
export interface ServicesRun {
  server: ServicesServer;
  setup: ServicesSetup;
  database: Database;
  options: BenchOptions;
  /** The run's "now" (milliseconds): events and periods are placed relative to it. */
  now: number;
  log: (line: string) => void;
}

/** Starts a new measurement of the server's peak RSS and CPU time. */
export const resetUsage = (run: ServicesRun) => async () => {
  await run.server.call('reset', {});
};

export const latencyHeaders = ['p50 ms', 'p95 ms', 'p99 ms', 'max ms'];

/** Throughput, then the latency percentiles of `latencyHeaders`. */
export function rateAndLatency(result: LoadResult, rate = result.requestsPerSecond): string[] {
  return [thousands(rate), fixed(result.p50), fixed(result.p95), fixed(result.p99), fixed(result.max, 0)];
}

/** CPU time per second of measurement: 1 core = the server's JavaScript thread (and PGlite with it) saturated. */
export const cores = (value: number) => `${fixed(value, 2)} cores`;
