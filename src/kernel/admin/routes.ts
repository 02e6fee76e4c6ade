import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AccountDirectory } from '../auth/actor.js';
import { manySubjects } from '../audit/index.js';
import { InputError } from '../errors/index.js';
import type { JobStatus } from '../jobs/index.js';
import type { Kernel, ModuleLink } from '../module.js';
import { contextOf, seeOther, shownErrors } from '../http/pages.js';
import { adminActions, type AuditFilter } from './actions.js';

const jobStatuses = ['queued', 'running', 'succeeded', 'failed'] as const;
const uuidParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
const page = { schema: { hide: true } } as const;

export interface AdminRouteOptions {
  /** Cards the modules add to the administration overview. */
  adminLinks: ModuleLink[];
  /** What each module calls the things its audit entries are about (`targetType` → message key). */
  targetTypes: Record<string, string>;
  /** The module that owns accounts, to find an account by email address in the audit filters. */
  accountDirectory: () => AccountDirectory | undefined;
}

/** Administration pages and API for the platform: audit log, background jobs, outbox. */
export function registerAdminRoutes(app: FastifyInstance, kernel: Kernel, options: AdminRouteOptions) {
  const actions = adminActions(kernel, options.accountDirectory);
  const targetTypes = { [manySubjects]: 'admin.audit.targetTypes.accounts', job: 'admin.audit.targetTypes.job', ...options.targetTypes };
  // A development installation writes messages to the log instead of sending them.
  const logOnly = () => kernel.notify.transport.name === 'log';

  app.get('/:locale/admin', page, async (request, reply) => {
    const overview = await actions.overview(contextOf(request));
    return reply.page('admin/index.njk', { adminLinks: options.adminLinks, ...overview });
  });

  app.get<{ Querystring: AuditFilter }>('/:locale/admin/audit', { schema: { hide: true, querystring: auditQuery } }, async (request, reply) => {
    const q = request.query;
    const ctx = contextOf(request);
    try {
      const result = await actions.listAudit(ctx, await actions.auditQuery(ctx, q));
      const next = result.nextBefore ? `?${new URLSearchParams({ ...stringify(q), before: String(result.nextBefore) })}` : null;
      return reply.page('admin/audit.njk', { ...result, query: q, next, targetTypes });
    } catch (error) {
      // A filter that names no account is shown on the form itself, like any other form error.
      if (!(error instanceof InputError)) throw error;
      return reply.page('admin/audit.njk', { items: [], query: q, next: null, targetTypes, filtered: true, ...shownErrors(request.t, error.fields) }, { status: 422 });
    }
  });

  // Checking the chain changes nothing (it only records that it was checked), so it is a page of
  // its own: it can be reloaded, bookmarked and shown in the other language.
  app.get('/:locale/admin/audit/verification', page, async (request, reply) => {
    const result = await actions.verifyAudit(contextOf(request));
    return reply.page('admin/audit-verified.njk', { result });
  });

  app.get<{ Querystring: { status?: JobStatus } }>(
    '/:locale/admin/jobs',
    { schema: { hide: true, querystring: Type.Object({ status: Type.Optional(Type.Enum([...jobStatuses])) }) } },
    async (request, reply) => {
      const jobs = await actions.listJobs(contextOf(request), request.query.status);
      const statusItems = [
        { value: '', text: request.t('admin.jobs.allStatuses') },
        ...jobStatuses.map((s) => ({ value: s, text: request.t(`admin.jobs.status.${s}`), selected: s === request.query.status })),
      ];
      return reply.page('admin/jobs.njk', { jobs, statusItems });
    },
  );

  app.get<{ Params: { id: string } }>('/:locale/admin/jobs/:id', { schema: { hide: true, params: uuidParamWithLocale } }, async (request, reply) => {
    const job = await actions.inspectJob(contextOf(request), request.params.id);
    return reply.page('admin/job.njk', { job, admin: true });
  });

  app.post<{ Params: { id: string } }>('/:locale/admin/jobs/:id/retry', { schema: { hide: true, params: uuidParamWithLocale } }, async (request, reply) => {
    await actions.retryJob(contextOf(request), request.params.id);
    return seeOther(reply, request.locale, `/admin/jobs/${request.params.id}`);
  });

  // Anyone can follow a job they started (an import, an upload being loaded).
  app.get<{ Params: { id: string } }>('/:locale/jobs/:id', { schema: { hide: true, params: uuidParamWithLocale } }, async (request, reply) => {
    const job = await actions.getJob(contextOf(request), request.params.id);
    return reply.page('admin/job.njk', { job, admin: false });
  });

  app.get('/:locale/admin/outbox', page, async (request, reply) => {
    const messages = await actions.listOutbox(contextOf(request));
    return reply.page('admin/outbox.njk', { messages, showBodies: logOnly() });
  });

  app.get<{ Params: { id: string } }>('/:locale/admin/outbox/:id', { schema: { hide: true, params: uuidParamWithLocale } }, async (request, reply) => {
    const message = await actions.getOutboxMessage(contextOf(request), request.params.id);
    return reply.page('admin/outbox-message.njk', { message, showBodies: logOnly() });
  });

  // JSON API
  const api = { config: { api: true } } as const;
  app.get<{ Querystring: AuditFilter }>(
    '/api/v1/audit',
    {
      ...api,
      schema: {
        tags: ['platform'],
        summary: 'List audit log entries, newest first (superadmin)',
        querystring: Type.Object({ ...auditQuery.properties, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'How many entries (at most 200)' })) }),
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const result = await actions.listAudit(ctx, await actions.auditQuery(ctx, request.query));
      return { items: result.items, next_before: result.nextBefore };
    },
  );
  app.post(
    '/api/v1/audit/verification',
    {
      ...api,
      schema: {
        tags: ['platform'],
        summary: 'Verify the audit hash chain and report the first broken link (superadmin)',
      },
    },
    async (request) => actions.verifyAudit(contextOf(request)),
  );
  app.get<{ Querystring: { status?: JobStatus } }>(
    '/api/v1/jobs',
    {
      ...api,
      schema: {
        tags: ['platform'],
        summary: 'List background jobs (superadmin)',
        querystring: Type.Object({ status: Type.Optional(Type.Enum([...jobStatuses], { description: 'Only jobs with this status' })) }),
      },
    },
    async (request) => ({ items: await actions.listJobs(contextOf(request), request.query.status) }),
  );
  app.get<{ Params: { id: string } }>(
    '/api/v1/jobs/:id',
    {
      ...api,
      schema: {
        tags: ['platform'],
        summary: 'A background job and its progress (its owner or a superadmin)',
        params: uuidParam,
      },
    },
    async (request) => actions.getJob(contextOf(request), request.params.id),
  );
  app.post<{ Params: { id: string } }>(
    '/api/v1/jobs/:id/retry',
    {
      ...api,
      schema: {
        tags: ['platform'],
        summary: 'Queue a failed job again (superadmin)',
        params: uuidParam,
      },
    },
    async (request) => ({ retried: await actions.retryJob(contextOf(request), request.params.id) }),
  );
  app.get(
    '/api/v1/outbox',
    { ...api, schema: { tags: ['platform'], summary: 'Recent outgoing messages (superadmin)' } },
    async (request) => {
      const messages = await actions.listOutbox(contextOf(request));
      return { items: messages.map((m) => (logOnly() ? m : { ...m, body: null })) };
    },
  );
}

const auditQuery = Type.Object({
  action: Type.Optional(Type.String({ maxLength: 200, description: 'Only entries with this action code, e.g. identity.session.started' })),
  actor: Type.Optional(Type.String({ maxLength: 320, description: 'Only entries by this account: its ID or its email address' })),
  subject: Type.Optional(Type.String({ maxLength: 320, description: 'Only entries about this account: its ID or its email address' })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'Only entries older than this entry number (the next page)' })),
});

const uuidParamWithLocale = Type.Object({ locale: Type.String(), id: Type.String({ format: 'uuid' }) });

function stringify(query: object): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([k, v]) => v !== undefined && v !== '' && k !== 'before').map(([k, v]) => [k, String(v)]));
}
