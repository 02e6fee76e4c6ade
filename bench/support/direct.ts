/**
 * The bare-database side of a comparison: the same work as an HTTP case, called directly in the
 * server process with the same number of concurrent callers, so the ratio shows what HTTP, the
 * actions and the serialization add on top of the database.
 */
import { percentile, type LoadResult } from './load.js';

/** Runs `task(n)` from `connections` concurrent loops for `seconds`; `n` counts calls per loop. */
export async function runLoops(
  task: (n: number) => Promise<unknown>,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const loop = async (offset: number) => {
    for (let n = offset; performance.now() < deadline; n++) {
      const started = performance.now();
      try {
        await task(n);
        latencies.push(performance.now() - started);
      } catch (error) {
        // The first failure is printed (by the server process) so a run full of errors says why.
        if (errors++ === 0) console.error(`direct call failed: ${(error as Error).message}`);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, (_, i) => loop(i)));
  const elapsed = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    requestsPerSecond: latencies.length / elapsed,
    requests: latencies.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : 0,
    bytesPerResponse: 0,
    non2xx: 0,
    errors,
    timeouts: 0,
  };
}
