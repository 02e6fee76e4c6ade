/**
 * Closed loops for the services workload's POSTs and bare calls. autocannon (load.ts) sends the
 * same GETs over and over; event batches and feedback need a new body for every request, so they
 * are sent with `fetch` from concurrent loops (direct.ts), each sending its next request when the
 * previous one is answered, as autocannon's connections do.
 */
import { runLoops } from './direct.js';
import type { LoadResult } from './load.js';
import type { LoadSettings } from './workload.js';

/** `--warmup` seconds of `task` (discarded), `beforeMeasuring`, then `--duration` seconds measured. */
export async function measureLoops(
  task: () => Promise<unknown>,
  settings: LoadSettings,
  beforeMeasuring: () => Promise<unknown> = async () => undefined,
): Promise<LoadResult> {
  if (settings.warmupSeconds > 0) await runLoops(task, settings.connections, settings.warmupSeconds);
  await beforeMeasuring();
  return runLoops(task, settings.connections, settings.durationSeconds);
}

/** POSTs JSON and answers the parsed reply; any other status than `expected` fails the request. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  expected: number,
): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  if (response.status !== expected)
    throw new Error(`POST ${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}
