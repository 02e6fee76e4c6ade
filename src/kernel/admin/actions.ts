import type { AccountDirectory } from '../auth/actor.js';
import { authorize, can } from '../auth/policy.js';
import { listEntries, record, verifyChain, type ActionContext, type AuditEntry, type AuditQuery, type VerifyResult } from '../audit/index.js';
import { InputError, NotAllowed, NotFound } from '../errors/index.js';
import type { JobStatus, JobView } from '../jobs/index.js';
import type { Kernel } from '../module.js';
import type { OutboxMessage } from '../notify/index.js';
import { kernelPermissions } from './permissions.js';

/** The audit log's filters as people type them: an account is an ID or an email address. */
export interface AuditFilter {
  action?: string;
  actor?: string;
  subject?: string;
  before?: number;
  limit?: number;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Platform administration use cases, called by the admin pages, the JSON API and the CLI. */
export function adminActions(kernel: Kernel, accounts: () => AccountDirectory | undefined = () => undefined) {
  const { database, jobs, notify } = kernel;

  /** An account ID as given, or the account with this email address; field errors otherwise. */
  async function accountId(field: 'actor' | 'subject', value: string | undefined): Promise<string | undefined> {
    const given = value?.trim();
    if (!given) return undefined;
    if (uuidPattern.test(given)) return given.toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(given)) throw InputError.field(field, 'invalid', 'admin.audit.accountInvalid');
    const id = await accounts()?.idForEmail?.(given);
    if (!id) throw InputError.field(field, 'unknown', 'admin.audit.accountUnknown');
    return id;
  }

  return {
    /** Turns typed filters into a query (email addresses become account IDs). */
    async auditQuery(ctx: ActionContext, filter: AuditFilter): Promise<AuditQuery> {
      authorize(ctx.actor, kernelPermissions.administer, undefined);
      const errors: InputError[] = [];
      const resolve = (field: 'actor' | 'subject', value?: string) =>
        accountId(field, value).catch((error: unknown) => {
          if (error instanceof InputError) errors.push(error);
          else throw error;
          return undefined;
        });
      const [actorId, subjectId] = [await resolve('actor', filter.actor), await resolve('subject', filter.subject)];
      if (errors.length) throw new InputError(errors.flatMap((e) => e.fields));
      return {
        ...(filter.action?.trim() ? { action: filter.action.trim() } : {}),
        ...(actorId ? { actorId } : {}),
        ...(subjectId ? { subjectId } : {}),
        ...(filter.before ? { beforeId: filter.before } : {}),
        ...(filter.limit ? { limit: filter.limit } : {}),
      };
    },

    async overview(ctx: ActionContext): Promise<{ jobCounts: Record<JobStatus, number> }> {
      authorize(ctx.actor, kernelPermissions.administer, undefined);
      return { jobCounts: await jobs.counts() };
    },

    async listAudit(ctx: ActionContext, query: AuditQuery): Promise<{ items: AuditEntry[]; nextBefore: number | null }> {
      authorize(ctx.actor, kernelPermissions.administer, undefined);
      const limit = Math.min(query.limit ?? 50, 200);
      const items = await listEntries(database.db, { ...query, limit: limit + 1 });
      const more = items.length > limit;
      const page = items.slice(0, limit);
      return { items: page, nextBefore: more ? page[page.length - 1]!.id : null };
    },

    async verifyAudit(ctx: ActionContext): Promise<VerifyResult> {
      authorize(ctx.actor, kernelPermissions.administer, undefined);
      const result = await verifyChain(database.db);
      await database.transaction((tx) =>
        record(tx, ctx, { action: 'kernel.audit.verified', details: result.ok ? { ok: true, entries: result.entries } : { ...result } }),
      );
      return result;
    },

    async listJobs(ctx: ActionContext, status?: JobStatus): Promise<JobView[]> {
      authorize(ctx.actor, kernelPermissions.administer, undefined);
      return jobs.list({ ...(status ? { status } : {}), limit: 100 });
    },

    async getJob(ctx: ActionContext, id: string): Promise<JobView> {
      if (ctx.actor.kind === 'anonymous') throw new NotAllowed();
      const job = await jobs.get(id);
      // Someone else's job is reported as missing, not forbidden: its existence is not theirs to know.
      if (!job || !can(ctx.actor, kernelPermissions.readJob, job)) throw new NotFound();
      return job;
    },

    /** Any job, for the administration pages. */
    async inspectJob(ctx: ActionContext, id: string): Promise<JobView> {
      authorize(ctx.actor, kernelPermissions.administer, undefined);
      const job = await jobs.get(id);
      if (!job) throw new NotFound();
      return job;
    },

    async retryJob(ctx: ActionContext, id: string): Promise<boolean> {
      authorize(ctx.actor, kernelPermissions.administer, undefined);
      return database.transaction(async (tx) => {
        const retried = await jobs.retry(tx, id);
        if (!retried) throw new NotFound('admin.jobs.notFailed');
        await record(tx, ctx, { action: 'kernel.job.retried', targetType: 'job', targetId: id });
        return retried;
      });
    },

    async listOutbox(ctx: ActionContext): Promise<OutboxMessage[]> {
      authorize(ctx.actor, kernelPermissions.administer, undefined);
      return notify.list(200);
    },

    async getOutboxMessage(ctx: ActionContext, id: string): Promise<OutboxMessage> {
      authorize(ctx.actor, kernelPermissions.administer, undefined);
      const message = await notify.get(id);
      if (!message) throw new NotFound();
      return message;
    },
  };
}

export type AdminActions = ReturnType<typeof adminActions>;
