import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { contextOf, handleForm, noticeFrom, pagination, seeOther } from '../../../kernel/http/pages.js';
import type { Kernel } from '../../../kernel/module.js';
import { administerAccount, findAccounts, inspectAccount } from '../actions/administer-accounts.js';

const accountParams = Type.Object({ locale: Type.String(), id: Type.String({ format: 'uuid' }) });

/** Superadmin pages: find accounts, look at one, deactivate or reactivate it, grant superadmin. */
export function adminRoutes(app: FastifyInstance, kernel: Kernel) {
  app.get<{ Querystring: { q?: string; page?: number } }>(
    '/:locale/admin/accounts',
    { schema: { hide: true, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })) }) } },
    async (request, reply) => {
      const pageNumber = request.query.page ?? 1;
      const limit = 25;
      const result = await findAccounts(kernel, contextOf(request), { ...(request.query.q ? { q: request.query.q } : {}), limit, offset: (pageNumber - 1) * limit });
      return reply.page('identity/admin-accounts.njk', {
        result,
        q: request.query.q ?? '',
        pagination: pagination(request.query, pageNumber, result.total, limit),
      });
    },
  );

  app.get<{ Params: { id: string } }>('/:locale/admin/accounts/:id', { schema: { hide: true, params: accountParams } }, async (request, reply) => {
    const detail = await inspectAccount(kernel, contextOf(request), request.params.id);
    return reply.page('identity/admin-account.njk', { ...detail, notice: noticeFrom(request, { saved: 'identity.adminAccount.notice.saved' }) });
  });

  app.post<{ Params: { id: string } }>('/:locale/admin/accounts/:id', { schema: { hide: true, params: accountParams } }, async (request, reply) => {
    const detail = await inspectAccount(kernel, contextOf(request), request.params.id);
    return handleForm(request, reply, {
      template: 'identity/admin-account.njk',
      data: detail,
      run: () => administerAccount(kernel, contextOf(request), request.params.id, request.body),
      done: () => seeOther(reply, request.locale, `/admin/accounts/${request.params.id}?notice=saved`),
    });
  });
}
