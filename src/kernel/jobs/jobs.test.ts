import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { backoffMs, JobQueue, jobsTable } from './index.js';

let t: TestApp;
let jobs: JobQueue;
beforeAll(async () => {
  t = await createTestApp();
  jobs = t.app.kernel.jobs;
});
afterAll(async () => t?.close());

async function rowsNamed(name: string) {
  return t.database.db.select().from(jobsTable).where(eq(jobsTable.name, name));
}

/** Makes a job due now (instead of waiting for its back-off). */
async function makeDue(id: string) {
  await t.database.db
    .update(jobsTable)
    .set({ runAt: new Date(Date.now() - 1000) })
    .where(eq(jobsTable.id, id));
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('enqueue', () => {
  it('refuses a job without a handler', async () => {
    await expect(jobs.enqueue(t.database.db, 'probe.nobody-handles-this')).rejects.toThrow(
      'No handler for job "probe.nobody-handles-this"',
    );
    expect(() => jobs.register('kernel.deliver-message', async () => {})).toThrow(/registered twice/);
  });

  it('a job enqueued in a transaction that rolls back does not exist', async () => {
    const ran: unknown[] = [];
    jobs.register('probe.rollback', async ({ payload }) => void ran.push(payload));
    await expect(
      t.database.transaction(async (tx) => {
        await jobs.enqueue(tx, 'probe.rollback', { n: 1 });
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    expect(await rowsNamed('probe.rollback')).toHaveLength(0);
    await jobs.runUntilIdle();
    expect(ran).toEqual([]);

    // Committed, it runs.
    await t.database.transaction((tx) => jobs.enqueue(tx, 'probe.rollback', { n: 2 }));
    await jobs.runUntilIdle();
    expect(ran).toEqual([{ n: 2 }]);
  });
});

describe('running jobs', () => {
  it('runUntilIdle runs a due job and stores its result', async () => {
    jobs.register<{ a: number; b: number }>('probe.sum', async ({ payload, attempt }) => ({
      sum: payload.a + payload.b,
      attempt,
    }));
    const id = await jobs.enqueue(
      t.database.db,
      'probe.sum',
      { a: 2, b: 3 },
      { ownerId: '00000000-0000-4000-8000-000000000001' },
    );
    expect(await jobs.get(id)).toMatchObject({
      status: 'queued',
      attempts: 0,
      result: null,
      finishedAt: null,
    });
    expect(await jobs.runUntilIdle()).toBeGreaterThanOrEqual(1);
    const job = await jobs.get(id);
    expect(job).toMatchObject({
      name: 'probe.sum',
      status: 'succeeded',
      attempts: 1,
      result: { sum: 5, attempt: 1 },
      lastError: null,
      ownerId: '00000000-0000-4000-8000-000000000001',
    });
    expect(job!.finishedAt).toBeInstanceOf(Date);
    expect((await jobs.list({ status: 'succeeded' })).map((j) => j.id)).toContain(id);
    expect((await jobs.counts()).succeeded).toBeGreaterThanOrEqual(1);
  });

  it('leaves jobs scheduled in the future', async () => {
    jobs.register('probe.later', async () => 'done');
    const id = await jobs.enqueue(
      t.database.db,
      'probe.later',
      {},
      { runAt: new Date(Date.now() + 3_600_000) },
    );
    await jobs.runUntilIdle();
    expect((await jobs.get(id))!.status).toBe('queued');
    await makeDue(id);
    await jobs.runUntilIdle();
    expect((await jobs.get(id))!.status).toBe('succeeded');
  });

  it('shows progress while the job runs, and keeps it afterwards', async () => {
    const reported = deferred();
    const release = deferred();
    jobs.register('probe.progress', async ({ progress }) => {
      await progress(2, 5, 'Reading rows');
      reported.resolve();
      await release.promise;
      await progress(5, 5, 'Done');
      return 'ok';
    });
    const id = await jobs.enqueue(t.database.db, 'probe.progress');
    const run = jobs.runUntilIdle();
    await reported.promise;
    expect(await jobs.get(id)).toMatchObject({
      status: 'running',
      attempts: 1,
      progressDone: 2,
      progressTotal: 5,
      progressMessage: 'Reading rows',
    });
    release.resolve();
    await run;
    expect(await jobs.get(id)).toMatchObject({
      status: 'succeeded',
      progressDone: 5,
      progressTotal: 5,
      progressMessage: 'Done',
      result: 'ok',
    });
  });

  it('retries a throwing handler later, then gives up as failed after maxAttempts; retry() requeues it', async () => {
    let fail = true;
    let calls = 0;
    jobs.register('probe.flaky', async () => {
      calls++;
      if (fail) throw new Error(`remote service down (call ${calls})`);
      return 'recovered';
    });
    const id = await jobs.enqueue(t.database.db, 'probe.flaky', {}, { maxAttempts: 2 });

    await jobs.runUntilIdle();
    const first = (await jobs.get(id))!;
    expect(first).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'remote service down (call 1)',
      finishedAt: null,
    });
    // Back-off of the first retry: 5 s ± 20 % after the failure was recorded.
    const [stored] = await t.database.db.select().from(jobsTable).where(eq(jobsTable.id, id));
    const delay = stored!.runAt.getTime() - stored!.updatedAt.getTime();
    expect(delay).toBeGreaterThanOrEqual(4000 - 50);
    expect(delay).toBeLessThanOrEqual(6000 + 50);
    // Not due yet: nothing runs.
    await jobs.runUntilIdle();
    expect(calls).toBe(1);

    await makeDue(id);
    await jobs.runUntilIdle();
    const failed = (await jobs.get(id))!;
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 2,
      lastError: 'remote service down (call 2)',
    });
    expect(failed.finishedAt).toBeInstanceOf(Date);
    await jobs.runUntilIdle();
    expect(calls).toBe(2);

    fail = false;
    expect(await jobs.retry(t.database.db, id)).toBe(true);
    expect(await jobs.get(id)).toMatchObject({
      status: 'queued',
      attempts: 0,
      lastError: null,
      finishedAt: null,
    });
    expect(await jobs.retry(t.database.db, id)).toBe(false); // only failed jobs
    await jobs.runUntilIdle();
    expect(await jobs.get(id)).toMatchObject({ status: 'succeeded', attempts: 1, result: 'recovered' });
  });

  it('a job with one attempt fails at once', async () => {
    jobs.register('probe.once', async () => {
      throw new Error('x'.repeat(5000));
    });
    const id = await jobs.enqueue(t.database.db, 'probe.once', {}, { maxAttempts: 1 });
    await jobs.runUntilIdle();
    const job = (await jobs.get(id))!;
    expect(job.status).toBe('failed');
    expect(job.lastError).toHaveLength(2000); // long errors are cut
  });
});

describe('unique keys and recurring jobs', () => {
  it('uniqueKey dedupes while queued or running, not afterwards', async () => {
    jobs.register('probe.unique', async () => 'ok');
    const first = await jobs.enqueue(
      t.database.db,
      'probe.unique',
      { v: 1 },
      { uniqueKey: 'probe:unique:1' },
    );
    const again = await jobs.enqueue(
      t.database.db,
      'probe.unique',
      { v: 2 },
      { uniqueKey: 'probe:unique:1' },
    );
    expect(again).toBe(first);
    const other = await jobs.enqueue(
      t.database.db,
      'probe.unique',
      { v: 3 },
      { uniqueKey: 'probe:unique:2' },
    );
    expect(other).not.toBe(first);
    expect(await rowsNamed('probe.unique')).toHaveLength(2);

    await jobs.runUntilIdle();
    const later = await jobs.enqueue(
      t.database.db,
      'probe.unique',
      { v: 4 },
      { uniqueKey: 'probe:unique:1' },
    );
    expect(later).not.toBe(first);
    expect(await rowsNamed('probe.unique')).toHaveLength(3);
  });

  /** The private step the poller runs before claiming jobs (start() would also run them on a timer). */
  const enqueueRecurring = () =>
    (jobs as unknown as { enqueueRecurring(): Promise<void> }).enqueueRecurring();

  it('every() enqueues one job per period, however often the poller looks, while it waits', async () => {
    jobs.register('probe.recurring-queued', async () => 'tick');
    jobs.every('probe.recurring-queued', 60);
    await enqueueRecurring();
    await enqueueRecurring();
    const rows = await rowsNamed('probe.recurring-queued');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'queued', maxAttempts: 1 });
    expect(rows[0]!.uniqueKey).toMatch(/^recurring:probe\.recurring-queued:\d+$/);
    await jobs.runUntilIdle();
  });

  // Regression: the unique index behind `uniqueKey` only covers queued/running jobs, so a period
  // whose run had finished used to be enqueued again at the next poll (an hourly job ran every second).
  it('every() runs a job once per period even after that run has finished', async () => {
    let runs = 0;
    jobs.register('probe.recurring', async () => void runs++);
    jobs.every('probe.recurring', 60);
    await enqueueRecurring();
    await jobs.runUntilIdle();
    expect(runs).toBe(1);
    // The poller looks again a second later, within the same hour.
    await enqueueRecurring();
    await jobs.runUntilIdle();
    expect(await rowsNamed('probe.recurring')).toHaveLength(1);
    expect(runs).toBe(1);
    // Another process (its own queue, same database) does not run it again either.
    const other = new JobQueue(t.database, t.app.kernel.logger, { concurrency: 1, pollMs: 1000 });
    other.register('probe.recurring', async () => void runs++);
    other.every('probe.recurring', 60);
    await (other as unknown as { enqueueRecurring(): Promise<void> }).enqueueRecurring();
    await jobs.runUntilIdle();
    expect(await rowsNamed('probe.recurring')).toHaveLength(1);
    expect(runs).toBe(1);
  });

  it('start() polls, runs due jobs and stop() waits for them', async () => {
    const seen = deferred();
    jobs.register('probe.polled', async () => {
      seen.resolve();
      return 'polled';
    });
    const id = await jobs.enqueue(t.database.db, 'probe.polled');
    jobs.start();
    try {
      await seen.promise;
    } finally {
      await jobs.stop();
    }
    expect((await jobs.get(id))!.status).toBe('succeeded');
  });
});

describe('backoffMs', () => {
  it('doubles from 5 s, is capped at an hour and jittered by ±20 %', () => {
    const cases: Array<[attempt: number, base: number]> = [
      [0, 5000],
      [1, 5000],
      [2, 10_000],
      [3, 20_000],
      [10, 2_560_000],
      [11, 3_600_000],
      [50, 3_600_000],
    ];
    for (const [attempt, base] of cases) {
      const samples = Array.from({ length: 200 }, () => backoffMs(attempt));
      for (const s of samples) {
        expect(s).toBeGreaterThanOrEqual(base * 0.8);
        expect(s).toBeLessThanOrEqual(base * 1.2);
      }
      expect(new Set(samples).size).toBeGreaterThan(1); // jittered
    }
  });
});
