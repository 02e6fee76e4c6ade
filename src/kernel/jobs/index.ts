import { hostname } from 'node:os';
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database, Db } from '../db/index.js';
import { countAll } from '../db/index.js';
import { jobs } from './schema.js';

export { jobs as jobsTable } from './schema.js';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** What a job handler is given: its payload and a way to report progress people can watch. */
export interface JobContext<P = Record<string, unknown>> {
  id: string;
  payload: P;
  attempt: number;
  /** True on the last attempt: if this one fails too, the job fails for good. */
  lastAttempt: boolean;
  logger: Logger;
  /** Records progress (also a heartbeat: a job that reports progress is never taken for stuck). */
  progress(done: number, total?: number | null, message?: string): Promise<void>;
}

export type JobHandler<P = Record<string, unknown>> = (job: JobContext<P>) => Promise<unknown>;

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  uniqueKey?: string;
  ownerId?: string | null;
}

export interface JobView {
  id: string;
  name: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  progressDone: number | null;
  progressTotal: number | null;
  progressMessage: string | null;
  lastError: string | null;
  result: unknown;
  ownerId: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface RecurringJob {
  name: string;
  everyMinutes: number;
}

const view = {
  id: jobs.id,
  name: jobs.name,
  status: jobs.status,
  attempts: jobs.attempts,
  maxAttempts: jobs.maxAttempts,
  runAt: jobs.runAt,
  progressDone: jobs.progressDone,
  progressTotal: jobs.progressTotal,
  progressMessage: jobs.progressMessage,
  lastError: jobs.lastError,
  result: jobs.result,
  ownerId: jobs.ownerId,
  createdAt: jobs.createdAt,
  finishedAt: jobs.finishedAt,
};

/**
 * A job queue in PostgreSQL, the same code on PGlite and on a PostgreSQL server (ADR 0004).
 * Workers claim due jobs with `FOR UPDATE SKIP LOCKED`, so any number of processes can share the
 * queue; failed jobs retry with exponential back-off and stay visible once they give up.
 */
export class JobQueue {
  private readonly handlers = new Map<string, JobHandler<never>>();
  private readonly recurring: RecurringJob[] = [];
  private readonly enqueuedPeriod = new Map<string, number>();
  private readonly workerId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private active = new Set<Promise<void>>();

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    private readonly options: { concurrency: number; pollMs: number; stuckAfterMs?: number },
  ) {}

  /** Declares the handler for a job name (`<module>.<job>`). */
  register<P>(name: string, handler: JobHandler<P>): void {
    if (this.handlers.has(name)) throw new Error(`Job "${name}" is registered twice`);
    this.handlers.set(name, handler as JobHandler<never>);
  }

  /** Enqueues `name` every `everyMinutes` (once across all processes, thanks to a unique key per period). */
  every(name: string, everyMinutes: number): void {
    this.recurring.push({ name, everyMinutes });
  }

  /**
   * Adds a job. Pass the action's transaction as `db` so the job exists only if the change commits.
   * Returns the job id, or the id of the queued/running job with the same `uniqueKey`.
   */
  async enqueue(db: Db, name: string, payload: Record<string, unknown> = {}, options: EnqueueOptions = {}): Promise<string> {
    if (!this.handlers.has(name)) throw new Error(`No handler for job "${name}"`);
    const [row] = await db
      .insert(jobs)
      .values({
        name,
        payload,
        runAt: options.runAt ?? new Date(),
        maxAttempts: options.maxAttempts ?? 5,
        uniqueKey: options.uniqueKey ?? null,
        ownerId: options.ownerId ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: jobs.id });
    if (row) {
      this.kick();
      return row.id;
    }
    const [existing] = await db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.uniqueKey, options.uniqueKey!), sql`${jobs.status} in ('queued', 'running')`))
      .limit(1);
    return existing!.id;
  }

  async get(id: string): Promise<JobView | null> {
    const [row] = await this.database.db.select(view).from(jobs).where(eq(jobs.id, id)).limit(1);
    return (row as JobView | undefined) ?? null;
  }

  async list(filter: { status?: JobStatus; limit?: number } = {}): Promise<JobView[]> {
    const rows = await this.database.db
      .select(view)
      .from(jobs)
      .where(filter.status ? eq(jobs.status, filter.status) : undefined)
      .orderBy(desc(jobs.createdAt))
      .limit(Math.min(filter.limit ?? 50, 500));
    return rows as JobView[];
  }

  async counts(): Promise<Record<JobStatus, number>> {
    const rows = await this.database.db.select({ status: jobs.status, n: countAll() }).from(jobs).groupBy(jobs.status);
    const out: Record<JobStatus, number> = { queued: 0, running: 0, succeeded: 0, failed: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  /** Puts a failed job back in the queue for another round of attempts. */
  async retry(db: Db, id: string): Promise<boolean> {
    const rows = await db
      .update(jobs)
      .set({ status: 'queued', attempts: 0, runAt: new Date(), lastError: null, finishedAt: null, updatedAt: new Date() })
      .where(and(eq(jobs.id, id), eq(jobs.status, 'failed')))
      .returning({ id: jobs.id });
    if (rows.length) this.kick();
    return rows.length > 0;
  }

  /** Starts polling for due jobs in this process. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops taking new jobs and waits for running ones to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.active]);
  }

  /**
   * Runs due jobs until none is left (tests and the CLI). Jobs scheduled in the future are left.
   * Returns how many ran.
   */
  async runUntilIdle(maxJobs = 10_000): Promise<number> {
    let ran = 0;
    while (ran < maxJobs) {
      const job = await this.claim();
      if (!job) return ran;
      await this.execute(job);
      ran++;
    }
    return ran;
  }

  private kick() {
    if (!this.stopped && this.running < this.options.concurrency) this.schedule(0);
  }

  private schedule(delay: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), delay);
    this.timer.unref();
  }

  private async poll() {
    if (this.stopped) return;
    try {
      await this.enqueueRecurring();
      await this.releaseStuck();
      while (!this.stopped && this.running < this.options.concurrency) {
        const job = await this.claim();
        if (!job) break;
        this.running++;
        const done = this.execute(job).finally(() => {
          this.running--;
          this.active.delete(done);
          this.kick();
        });
        this.active.add(done);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'job polling failed; will retry');
    }
    this.schedule(this.options.pollMs);
  }

  private async enqueueRecurring() {
    const now = Date.now();
    for (const r of this.recurring) {
      const period = Math.floor(now / (r.everyMinutes * 60_000));
      if (this.enqueuedPeriod.get(r.name) === period) continue;
      const key = `recurring:${r.name}:${period}`;
      // Once per period across every process: the key must not exist in any state, not only while
      // queued or running (the unique index covers those), or a finished job would run again.
      await this.database.db.execute(sql`
        insert into ${jobs} (name, payload, unique_key, max_attempts)
        select ${r.name}, '{}'::jsonb, ${key}, 1
        where not exists (select 1 from ${jobs} where unique_key = ${key})
        on conflict do nothing`);
      this.enqueuedPeriod.set(r.name, period);
    }
  }

  /** Jobs whose worker died (no heartbeat for a long time) go back to the queue. */
  private async releaseStuck() {
    const cutoff = new Date(Date.now() - (this.options.stuckAfterMs ?? 15 * 60_000));
    await this.database.db
      .update(jobs)
      .set({ status: 'queued', lockedAt: null, lockedBy: null, updatedAt: new Date() })
      .where(and(eq(jobs.status, 'running'), lt(jobs.lockedAt, cutoff)));
  }

  private async claim(): Promise<(typeof jobs.$inferSelect) | undefined> {
    const due = this.database.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.status, 'queued'), sql`${jobs.runAt} <= now()`))
      .orderBy(asc(jobs.runAt))
      .limit(1)
      .for('update', { skipLocked: true });
    const [job] = await this.database.db
      .update(jobs)
      .set({ status: 'running', lockedAt: new Date(), lockedBy: this.workerId, attempts: sql`${jobs.attempts} + 1`, updatedAt: new Date() })
      .where(sql`${jobs.id} = (${due})`)
      .returning();
    return job;
  }

  private async execute(job: typeof jobs.$inferSelect): Promise<void> {
    const handler = this.handlers.get(job.name);
    const log = this.logger.child({ job: job.name, jobId: job.id, attempt: job.attempts });
    const db = this.database.db;
    try {
      if (!handler) throw new Error(`No handler for job "${job.name}"`);
      const result = await handler({
        id: job.id,
        payload: job.payload as never,
        attempt: job.attempts,
        lastAttempt: job.attempts >= job.maxAttempts,
        logger: log,
        progress: async (done, total, message) => {
          await db
            .update(jobs)
            .set({ progressDone: done, progressTotal: total ?? null, progressMessage: message ?? null, lockedAt: new Date(), updatedAt: new Date() })
            .where(eq(jobs.id, job.id));
        },
      });
      await db
        .update(jobs)
        .set({ status: 'succeeded', result: (result ?? null) as never, finishedAt: new Date(), lockedAt: null, updatedAt: new Date() })
        .where(eq(jobs.id, job.id));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const giveUp = job.attempts >= job.maxAttempts;
      log[giveUp ? 'error' : 'warn']({ err: error }, giveUp ? 'job failed; no attempts left' : 'job failed; will retry');
      await db
        .update(jobs)
        .set({
          status: giveUp ? 'failed' : 'queued',
          lastError: message.slice(0, 2000),
          runAt: giveUp ? job.runAt : new Date(Date.now() + backoffMs(job.attempts)),
          finishedAt: giveUp ? new Date() : null,
          lockedAt: null,
          lockedBy: null,
          updatedAt: new Date(),
        })
        .where(eq(jobs.id, job.id));
    }
  }
}

/** 5 s, 10 s, 20 s … up to an hour, with jitter so retries from many jobs spread out. */
export function backoffMs(attempt: number): number {
  const base = Math.min(3_600_000, 5000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
