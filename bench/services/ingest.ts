/**
 * Ingest: transaction events through `POST /api/v1/service-events/batch` (token-authenticated,
 * validated, stored with their daily counters in one transaction), against a bare `COPY` of the
 * same events into a table with the same primary key and indexes, in the same database.
 *
 * Each batch is the next run of a stream of realistic events (services-events.ts): transactions
 * of 4–6 events on mixed channels, scattered over 12 months, so a batch adds to hundreds of daily
 * counters. A few senders post at once, each its next batch as soon as the last is answered.
 */
import type { EventReceipt } from '../../src/modules/services/actions/events.js';
import type { LoadResult } from '../support/load.js';
import { batchBody, type EventStream } from '../support/services-events.js';
import { measureLoops, postJson } from '../support/services-loops.js';
import type { CopyReport } from '../support/services-process.js';
import { fixed, mib, table, thousands } from '../support/table.js';
import { cores, latencyHeaders, rateAndLatency, resetUsage } from './common.js';
import type { Database, ServicesRun } from './common.js';

/** Events ingested per second through HTTP on PostgreSQL (issue #4). */
export const ingestTarget = 50_000;
/** Systems posting batches at the same time: a few back ends, not a crowd. */
export const ingestSenders = 4;
export const batchSizes = [1_000, 5_000] as const;
/** Bounds of the bare COPY: the events the largest batches sent, at least and at most this many. */
const copyEvents = { min: 100_000, max: 2_000_000 };

export interface IngestRow {
  batch: number;
  result: LoadResult;
  eventsPerSecond: number;
  /** Events the API reported stored while measured (each batch is new: all of them). */
  stored: number;
  serverCores: number;
  peakRss: number;
}

export interface IngestRun {
  rows: IngestRow[];
  copy: CopyReport;
}

export async function measureIngest(run: ServicesRun): Promise<IngestRun> {
  const { server, setup, database, options, log } = run;
  const url = `${server.url}/api/v1/service-events/batch`;
  const auth = { authorization: `Bearer ${setup.token}` };
  const rows: IngestRow[] = [];
  /** The events of batches of `batch` (`events` matters only to `ordered` streams). */
  const streamOf = (batch: number): EventStream => ({
    prefix: `ingest${batch}`,
    spread: 'scattered',
    events: 0,
    now: run.now,
  });
  let sent = 0;
  for (const batch of batchSizes) {
    log(`  (i) ${thousands(batch)}-event batches from ${ingestSenders} senders on ${database}…`);
    const events = streamOf(batch);
    let next = 0;
    let stored = 0;
    const send = async () => {
      const body = batchBody(events, setup.ingest.code, next++ * batch, batch);
      // Awaited first: `stored += await …` would read `stored` before the wait and lose other senders' counts.
      const receipt = (await postJson(url, body, auth, 200)) as EventReceipt;
      stored += receipt.stored;
    };
    const reset = resetUsage(run);
    const result = await measureLoops(send, { ...options, connections: ingestSenders }, () => {
      stored = 0;
      return reset();
    });
    const used = await server.call('usage', {});
    rows.push({
      batch,
      result,
      eventsPerSecond: result.requestsPerSecond * batch,
      stored,
      serverCores: used.cpuSeconds / options.durationSeconds,
      peakRss: used.peakRss,
    });
    sent = next * batch;
  }
  const events = Math.min(copyEvents.max, Math.max(copyEvents.min, sent));
  log(
    `  (c) bare COPY of the first ${thousands(events)} events of the ${thousands(batchSizes.at(-1)!)}-event batches' stream on ${database}…`,
  );
  const stream = { ...streamOf(batchSizes.at(-1)!), events };
  const copy = await server.call('bareCopy', { stream, serviceId: setup.ingest.id });
  return { rows, copy };
}

export function ingestTable(runs: Array<{ database: Database; ingest: IngestRun }>): string {
  return table(
    [
      'case',
      'database',
      'events/s',
      ...latencyHeaders,
      'batches/s',
      'server CPU',
      'peak RSS',
      'vs COPY',
      'errors',
    ],
    runs.flatMap(({ database, ingest }) => {
      const copyRate = ingest.copy.events / ingest.copy.seconds;
      return [
        ...ingest.rows.map((r) => [
          `(i) POST batch of ${thousands(r.batch)}, ${ingestSenders} senders`,
          database,
          ...rateAndLatency(r.result, r.eventsPerSecond),
          fixed(r.result.requestsPerSecond),
          cores(r.serverCores),
          mib(r.peakRss),
          fixed(r.eventsPerSecond / copyRate, 2),
          String(r.result.errors),
        ]),
        [
          `(c) bare COPY of ${thousands(ingest.copy.events)} events, same keys and indexes`,
          database,
          thousands(copyRate),
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '1',
          '0',
        ],
      ];
    }),
    ['left', 'left'],
  );
}
