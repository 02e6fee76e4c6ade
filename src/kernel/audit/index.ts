import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { Actor } from '../auth/actor.js';
import type { Locale } from '../i18n/index.js';
import { auditLog } from './schema.js';

export { auditLog } from './schema.js';

/** Who is acting, and on which request: handed by routes, the CLI and jobs to every action. */
export interface ActionContext {
  actor: Actor;
  requestId?: string;
  /** Where the request came from, for rate limits and sessions (never written to the audit log). */
  client?: { ip: string; userAgent?: string };
  /** The language the person is using right now (the page's, or the API request's). */
  locale?: Locale;
}

/** What an action records. `action` names come from each module's audit catalogue (`audit.ts`). */
export interface AuditEvent {
  action: string;
  organizationId?: string | null;
  targetType?: string;
  targetId?: string;
  /** The account whose personal data this is about (shown to them on their activity page). */
  subjectId?: string | null;
  /** Why, for reads of personal data: a message key such as `identity.purpose.membership`. */
  purpose?: string;
  details?: Record<string, unknown>;
}

/** An entry as stored. */
export interface AuditEntry {
  id: number;
  at: Date;
  actorKind: string;
  actorId: string | null;
  organizationId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  subjectId: string | null;
  purpose: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export const genesisHash = '0'.repeat(64);

/**
 * Appends entries to the audit log inside the caller's transaction, so the entry exists if and only
 * if the change does. Entries are chained: each stores the hash of the one before it, so editing or
 * deleting any entry breaks the chain at that point (`trillium audit verify`).
 */
export async function record(tx: Db, context: ActionContext, ...events: AuditEvent[]): Promise<void> {
  // One writer at a time extends the chain; the lock is released when the transaction ends.
  await tx.execute(sql`select pg_advisory_xact_lock(7372910)`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  let prevHash = last?.hash ?? genesisHash;
  const at = new Date();
  for (const event of events) {
    const entry = {
      at,
      actorKind: context.actor.kind,
      actorId: context.actor.accountId,
      organizationId: event.organizationId ?? null,
      action: event.action,
      targetType: event.targetType ?? null,
      targetId: event.targetId ?? null,
      subjectId: event.subjectId ?? null,
      purpose: event.purpose ?? null,
      requestId: context.requestId ?? null,
      details: event.details ?? {},
      prevHash,
    };
    const hash = entryHash(entry);
    await tx.insert(auditLog).values({ ...entry, hash });
    prevHash = hash;
  }
}

type HashedFields = Omit<AuditEntry, 'id' | 'hash'>;

/** SHA-256 over a canonical rendering of the entry and the previous hash. */
export function entryHash(e: HashedFields): string {
  const canonical = canonicalJson([
    e.prevHash,
    e.at.toISOString(),
    e.actorKind,
    e.actorId ?? null,
    e.organizationId ?? null,
    e.action,
    e.targetType ?? null,
    e.targetId ?? null,
    e.subjectId ?? null,
    e.purpose ?? null,
    e.requestId ?? null,
    e.details ?? {},
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** JSON with object keys sorted, so the same data always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The newest entry: record it somewhere else (a ticket, another system) to detect a cut later. */
export interface ChainHead {
  id: number;
  hash: string;
}

/** Why a chain is broken: a code pages translate, beside `reason` in English for logs and the CLI. */
export type ChainProblem = 'link' | 'content' | 'anchorChanged' | 'anchorGone';

export type VerifyResult =
  | { ok: true; entries: number; head: ChainHead | null }
  | { ok: false; entries: number; brokenAt: number; problem: ChainProblem; reason: string };

/**
 * Walks the whole chain in order and reports the first entry that does not match. A chain only
 * proves itself up to its newest entry: removing the newest entries leaves a shorter valid chain.
 * Pass an `anchor` (a head recorded earlier, outside the database) to detect that too.
 */
/** The newest entry of the chain. */
export async function chainHead(db: Db): Promise<ChainHead | null> {
  const [row] = await db.select({ id: auditLog.id, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  return row ?? null;
}

export async function verifyChain(db: Db, options: { anchor?: ChainHead; batchSize?: number } = {}): Promise<VerifyResult> {
  const batchSize = options.batchSize ?? 5000;
  let prevHash = genesisHash;
  let afterId = 0;
  let count = 0;
  let head: ChainHead | null = null;
  let anchorSeen = false;
  for (;;) {
    const batch = await db.select().from(auditLog).where(gt(auditLog.id, afterId)).orderBy(asc(auditLog.id)).limit(batchSize);
    for (const row of batch) {
      count++;
      if (row.prevHash !== prevHash) {
        return { ok: false, entries: count, brokenAt: row.id, problem: 'link', reason: 'previous-hash link does not match the entry before it (an entry was removed or changed)' };
      }
      if (entryHash(row as HashedFields) !== row.hash) {
        return { ok: false, entries: count, brokenAt: row.id, problem: 'content', reason: 'entry content does not match its hash (the entry was changed)' };
      }
      if (options.anchor && row.id === options.anchor.id) {
        if (row.hash !== options.anchor.hash) return { ok: false, entries: count, brokenAt: row.id, problem: 'anchorChanged', reason: 'entry does not match the recorded anchor (history was rewritten)' };
        anchorSeen = true;
      }
      prevHash = row.hash;
      head = { id: row.id, hash: row.hash };
    }
    if (batch.length < batchSize) {
      if (options.anchor && !anchorSeen) {
        return { ok: false, entries: count, brokenAt: options.anchor.id, problem: 'anchorGone', reason: 'the recorded anchor entry is gone (entries were removed from the end of the log)' };
      }
      return { ok: true, entries: count, head };
    }
    afterId = batch[batch.length - 1]!.id;
  }
}

/**
 * `targetType` of one entry that records a read of several people's data at once (a list page):
 * the people are in `details.subjects`, and each of them sees the entry on their activity page.
 */
export const manySubjects = 'accounts';

export interface AuditQuery {
  /** Entries about this account: those naming it as subject, and reads of a list it was in. */
  subjectId?: string;
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  /** Entries with an id below this (keyset paging, newest first). */
  beforeId?: number;
  limit?: number;
}

/** Newest-first page of entries matching every given filter. */
export async function listEntries(db: Db, query: AuditQuery): Promise<AuditEntry[]> {
  const filters: SQL[] = [];
  if (query.subjectId) {
    // The second branch is limited to list reads (index on target_type), so it stays a small scan.
    filters.push(
      or(
        eq(auditLog.subjectId, query.subjectId),
        and(eq(auditLog.targetType, manySubjects), sql`${auditLog.details} -> 'subjects' @> ${JSON.stringify([query.subjectId])}::jsonb`),
      )!,
    );
  }
  if (query.actorId) filters.push(eq(auditLog.actorId, query.actorId));
  if (query.action) filters.push(eq(auditLog.action, query.action));
  if (query.targetType) filters.push(eq(auditLog.targetType, query.targetType));
  if (query.targetId) filters.push(eq(auditLog.targetId, query.targetId));
  if (query.beforeId) filters.push(lt(auditLog.id, query.beforeId));
  const rows = await db
    .select()
    .from(auditLog)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(Math.min(query.limit ?? 50, 500));
  return rows as AuditEntry[];
}
