import { bigserial, index, jsonb, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { kernelSchema } from '../db/schema.js';

/**
 * Append-only, hash-chained record of every state change and every read of personal data.
 * A trigger (migration 0002) refuses UPDATE, DELETE and TRUNCATE whoever the database user is.
 */
export const auditLog = kernelSchema.table(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    actorKind: text('actor_kind').notNull(),
    actorId: uuid('actor_id'),
    organizationId: uuid('organization_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    /** The person whose personal data the entry is about, so they can see it. */
    subjectId: uuid('subject_id'),
    purpose: text('purpose'),
    requestId: text('request_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull().unique(),
  },
  (t) => [
    index('audit_log_subject_idx').on(t.subjectId, t.id),
    index('audit_log_actor_idx').on(t.actorId, t.id),
    index('audit_log_target_idx').on(t.targetType, t.targetId),
    index('audit_log_action_idx').on(t.action, t.id),
  ],
);
