/**
 * Load generation with autocannon: a warm-up (discarded), then a fixed-duration measurement.
 * Latencies are collected from every response so any percentile can be reported (autocannon's own
 * summary has p50, p97.5 and p99 but no p95).
 */
import autocannon from 'autocannon';
import type { LoadSettings } from './workload.js';

export interface LoadCase {
  url: string;
  headers?: Record<string, string>;
  /** Paths (with query strings) sent in turn on each connection instead of `url`'s own path: a mix of requests. */
  paths?: string[];
}

export interface LoadResult {
  /** Mean requests per second over the measurement (autocannon's per-second samples). */
  requestsPerSecond: number;
  requests: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Mean bytes per response (headers and body, as sent on the wire). */
  bytesPerResponse: number;
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
}

/** Warm-up then measurement; `beforeMeasuring` runs in between (e.g. to reset resource counters). */
export async function measure(
  target: LoadCase,
  settings: LoadSettings,
  beforeMeasuring: () => Promise<void> = async () => {},
): Promise<LoadResult> {
  if (settings.warmupSeconds > 0) await fire(target, settings.connections, settings.warmupSeconds);
  await beforeMeasuring();
  return fire(target, settings.connections, settings.durationSeconds);
}

async function fire(target: LoadCase, connections: number, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let bytes = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        connections,
        duration: seconds,
        headers: target.headers ?? {},
        timeout: 10,
        ...(target.paths?.length
          ? { requests: target.paths.map((path) => ({ method: 'GET' as const, path })) }
          : {}),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('response', (_client, _status, resBytes, responseTime) => {
      latencies.push(responseTime);
      bytes += resBytes;
    });
  });
  const sorted = Float64Array.from(latencies).sort();
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : 0,
    bytesPerResponse: latencies.length ? bytes / latencies.length : 0,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
