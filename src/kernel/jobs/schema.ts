import { sql } from 'drizzle-orm';
import { index, integer, jsonb, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { kernelSchema } from '../db/schema.js';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Background jobs: queued work, its progress, retries and failures, visible to administrators. */
export const jobs = kernelSchema.table(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed'] }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    runAt: at('run_at').notNull().defaultNow(),
    lockedAt: at('locked_at'),
    lockedBy: text('locked_by'),
    progressDone: integer('progress_done'),
    progressTotal: integer('progress_total'),
    progressMessage: text('progress_message'),
    lastError: text('last_error'),
    result: jsonb('result').$type<unknown>(),
    /** While a job with this key is queued or running, enqueuing the same key does nothing. */
    uniqueKey: text('unique_key'),
    /** The account that started it, so they (and administrators) can follow it. */
    ownerId: uuid('owner_id'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
    finishedAt: at('finished_at'),
  },
  (t) => [
    index('jobs_due_idx').on(t.runAt).where(sql`status = 'queued'`),
    index('jobs_status_idx').on(t.status, t.createdAt),
    uniqueIndex('jobs_unique_key_idx').on(t.uniqueKey).where(sql`status in ('queued', 'running')`),
  ],
);
