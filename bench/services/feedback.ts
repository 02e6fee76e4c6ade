/**
 * Feedback: `POST /api/v1/services/:code/feedback` (JSON) at `--connections`, as people submit it
 * right after a transaction: each with the reference of a transaction of the large event table
 * (the app checks it exists and has no response yet) while there are references left, then
 * without; a comment one time in three, some with personal details to scrub. The app allows 30
 * submissions per client address per hour, so the server trusts `X-Forwarded-For` and each
 * submission comes from its own address, as from a crowd behind a proxy.
 *
 * Against the bare limit: the same insert and rating-counter upsert (the data layer, in one
 * transaction), from as many concurrent loops in the server process.
 */
import type { LoadResult } from '../support/load.js';
import { feedbackAt, referenceOf, transactionsIn, type EventStream } from '../support/services-events.js';
import { measureLoops, postJson } from '../support/services-loops.js';
import { fixed, mib, table, thousands } from '../support/table.js';
import { cores, latencyHeaders, rateAndLatency, resetUsage } from './common.js';
import type { Database, ServicesRun } from './common.js';

/** Feedback submissions per second at 50 connections on PostgreSQL (issue #4). */
export const feedbackTarget = 1_000;

export interface FeedbackRun {
  database: Database;
  http: LoadResult;
  /** Measured submissions that carried a transaction reference (the others had none left). */
  withReference: number;
  serverCores: number;
  peakRss: number;
  direct: LoadResult;
}

/** A distinct client address for submission `n` (10.0.0.0/8: 16 million of them). */
const address = (n: number) => `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

/** `loaded`: the stream of the large event table, whose transaction references feedback carries. */
export async function measureFeedback(run: ServicesRun, loaded: EventStream): Promise<FeedbackRun> {
  const { server, setup, database, options, log } = run;
  const url = `${server.url}/api/v1/services/${encodeURIComponent(setup.dashboard.code)}/feedback`;
  const references = transactionsIn(loaded.events);
  let next = 0;
  let firstMeasured = 0;
  const give = async () => {
    const n = next++;
    const body = { ...feedbackAt(n), ...(n < references ? { ref: referenceOf(loaded, n) } : {}) };
    await postJson(url, JSON.stringify(body), { 'x-forwarded-for': address(n) }, 201);
  };
  log(`  (f) feedback at ${options.connections} connections on ${database}…`);
  const reset = resetUsage(run);
  const http = await measureLoops(give, options, () => {
    firstMeasured = next;
    return reset();
  });
  const used = await server.call('usage', {});
  log(`  (fd) the same insert and counter upsert, direct, on ${database}…`);
  const direct = await server.call('bareFeedback', { ...options, serviceId: setup.dashboard.id });
  return {
    database,
    http,
    withReference: Math.max(0, Math.min(next, references) - firstMeasured),
    serverCores: used.cpuSeconds / options.durationSeconds,
    peakRss: used.peakRss,
    direct,
  };
}

export function feedbackTable(runs: FeedbackRun[]): string {
  return table(
    ['case', 'database', 'submissions/s', ...latencyHeaders, 'server CPU', 'peak RSS', 'vs direct', 'errors'],
    runs.flatMap((r) => [
      [
        `(f) POST feedback (${thousands(r.withReference)} of ${thousands(r.http.requests)} with a reference)`,
        r.database,
        ...rateAndLatency(r.http),
        cores(r.serverCores),
        mib(r.peakRss),
        fixed(r.http.requestsPerSecond / r.direct.requestsPerSecond, 2),
        String(r.http.errors),
      ],
      [
        '(fd) direct: insert + rating counter, one transaction',
        r.database,
        ...rateAndLatency(r.direct),
        '',
        '',
        '1',
        String(r.direct.errors),
      ],
    ]),
    ['left', 'left'],
  );
}
