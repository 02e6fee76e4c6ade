import { index, integer, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { kernelSchema } from '../db/schema.js';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Outgoing messages. A message is written here in the same transaction as the change that caused
 * it, then delivered by a job, so a crash never loses one nor sends one for a change that rolled back.
 */
export const outbox = kernelSchema.table(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
    recipient: text('recipient').notNull(),
    locale: text('locale').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /** Message template key, for finding messages of one kind (e.g. in tests and support). */
    kind: text('kind').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull().default('pending'),
    transport: text('transport'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: at('created_at').notNull().defaultNow(),
    sentAt: at('sent_at'),
  },
  (t) => [index('outbox_created_idx').on(t.createdAt), index('outbox_recipient_idx').on(t.recipient, t.createdAt)],
);
