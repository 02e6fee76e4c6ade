import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { contextOf, handleForm, noticeFrom, seeOther } from '../../../kernel/http/pages.js';
import { clearSessionCookie } from '../../../kernel/http/session-cookie.js';
import type { Kernel } from '../../../kernel/module.js';
import { createMyToken, listMyTokens, revokeMyToken } from '../actions/api-tokens.js';
import { changeMyPassword, deactivateMyAccount, getMyAccount, myActivity, updateMyDetails } from '../actions/my-account.js';
import { tokenLifetimes } from '../inputs/api-token.input.js';

const page = { schema: { hide: true } } as const;
const idParams = { schema: { hide: true, params: Type.Object({ locale: Type.String(), id: Type.String({ format: 'uuid' }) }) } } as const;

const accountNotices = {
  saved: 'identity.account.notice.saved',
  passwordChanged: 'identity.account.notice.passwordChanged',
};

/** The signed-in person's own pages: account, details, password, tokens, activity, deactivation. */
export function accountRoutes(app: FastifyInstance, kernel: Kernel) {
  app.get('/:locale/account', page, async (request, reply) => {
    const { account, memberships } = await getMyAccount(kernel, contextOf(request));
    return reply.page('identity/account.njk', { account, memberships, notice: noticeFrom(request, accountNotices) });
  });

  app.get('/:locale/account/details', page, async (request, reply) => {
    const { account } = await getMyAccount(kernel, contextOf(request));
    return reply.page('identity/account-details.njk', { values: { displayName: account.displayName, locale: account.locale } });
  });

  app.post('/:locale/account/details', page, async (request, reply) =>
    handleForm(request, reply, {
      template: 'identity/account-details.njk',
      run: () => updateMyDetails(kernel, contextOf(request), request.body),
      // Someone who switches their language lands on the account page in that language.
      done: (account) => seeOther(reply, account.locale, '/account?notice=saved'),
    }),
  );

  app.get('/:locale/account/password', page, async (request, reply) => {
    await getMyAccount(kernel, contextOf(request));
    return reply.page('identity/change-password.njk', { values: {} });
  });

  app.post('/:locale/account/password', page, async (request, reply) =>
    handleForm(request, reply, {
      template: 'identity/change-password.njk',
      secretFields: ['currentPassword', 'password', 'confirmPassword'],
      run: () => changeMyPassword(kernel, contextOf(request), request.body),
      done: () => seeOther(reply, request.locale, '/account?notice=passwordChanged'),
    }),
  );

  app.get('/:locale/account/deactivate', page, async (request, reply) => {
    await getMyAccount(kernel, contextOf(request));
    return reply.page('identity/deactivate.njk', { values: {} });
  });

  app.post('/:locale/account/deactivate', page, async (request, reply) =>
    handleForm(request, reply, {
      template: 'identity/deactivate.njk',
      secretFields: ['currentPassword'],
      run: () => deactivateMyAccount(kernel, contextOf(request), request.body),
      done: () => {
        clearSessionCookie(reply, kernel.config);
        return seeOther(reply, request.locale, '/sign-in?notice=deactivated');
      },
    }),
  );

  app.get('/:locale/account/tokens', page, async (request, reply) => {
    const tokens = await listMyTokens(kernel, contextOf(request));
    return reply.page('identity/tokens.njk', tokensPage(kernel, request.actor.superadmin, tokens, { days: '90' }, noticeFrom(request, { revoked: 'identity.tokens.notice.revoked' })));
  });

  app.post('/:locale/account/tokens', page, async (request, reply) => {
    const tokens = await listMyTokens(kernel, contextOf(request));
    return handleForm(request, reply, {
      template: 'identity/tokens.njk',
      data: tokensPage(kernel, request.actor.superadmin, tokens, {}),
      run: () => createMyToken(kernel, contextOf(request), request.body),
      // The secret is shown on this response only (never stored, never in a URL).
      done: (created) => reply.page('identity/token-created.njk', created, { status: 201 }),
    });
  });

  app.post<{ Params: { id: string } }>('/:locale/account/tokens/:id/revoke', idParams, async (request, reply) => {
    await revokeMyToken(kernel, contextOf(request), request.params.id);
    return seeOther(reply, request.locale, '/account/tokens?notice=revoked');
  });

  app.get<{ Querystring: { before?: number } }>(
    '/:locale/account/activity',
    { schema: { hide: true, querystring: Type.Object({ before: Type.Optional(Type.Integer({ minimum: 1 })) }) } },
    async (request, reply) => {
      const result = await myActivity(kernel, contextOf(request), request.query.before);
      return reply.page('identity/activity.njk', { ...result, me: request.actor.accountId });
    },
  );
}

function tokensPage(kernel: Kernel, superadmin: boolean, tokens: unknown[], values: Record<string, unknown>, notice?: string) {
  const scopes = kernel.access.scopes.filter((s) => superadmin || s.id !== 'platform:admin');
  return { tokens, scopes, lifetimes: tokenLifetimes, values, notice, now: new Date() };
}
