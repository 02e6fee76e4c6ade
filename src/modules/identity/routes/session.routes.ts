import type { FastifyInstance } from 'fastify';
import { safeReturnPath } from '../../../kernel/http/errors.js';
import { contextOf, handleForm, noticeFrom, seeOther } from '../../../kernel/http/pages.js';
import { clearSessionCookie, setSessionCookie } from '../../../kernel/http/session-cookie.js';
import type { Kernel } from '../../../kernel/module.js';
import { checkResetLink, requestPasswordReset, resetPassword } from '../actions/password-reset.js';
import { register } from '../actions/register.js';
import { signIn, signOut } from '../actions/sign-in.js';
import { checkVerificationLink, resendVerification, verifyEmail } from '../actions/verify-email.js';

type TokenQuery = { Querystring: { token?: string } };
const page = { schema: { hide: true } } as const;

const signInNotices = {
  verified: 'identity.signIn.notice.verified',
  passwordReset: 'identity.signIn.notice.passwordReset',
  signedOut: 'identity.signIn.notice.signedOut',
  deactivated: 'identity.signIn.notice.deactivated',
};

/** Getting in and out: register, confirm email, sign in and out, reset a forgotten password. */
export function sessionRoutes(app: FastifyInstance, kernel: Kernel) {
  app.get<{ Querystring: { return?: string } }>('/:locale/sign-in', page, async (request, reply) => {
    const notice = noticeFrom(request, signInNotices);
    return reply.page('identity/sign-in.njk', { values: {}, returnTo: safeReturnPath(request.query.return), notice });
  });

  app.post<{ Body: Record<string, string> }>('/:locale/sign-in', page, async (request, reply) => {
    const returnTo = safeReturnPath(request.body?.['returnTo']);
    return handleForm(request, reply, {
      template: 'identity/sign-in.njk',
      data: { returnTo },
      secretFields: ['password'],
      rateLimitField: 'email',
      run: () => signIn(kernel, contextOf(request), request.body),
      done: (result) => {
        setSessionCookie(reply, kernel.config, result.sessionToken);
        return reply.redirect(returnTo ?? `/${request.locale}/account`, 303);
      },
    });
  });

  app.post('/:locale/sign-out', page, async (request, reply) => {
    await signOut(kernel, contextOf(request));
    clearSessionCookie(reply, kernel.config);
    return seeOther(reply, request.locale, '/sign-in?notice=signedOut');
  });

  app.get('/:locale/register', page, async (_request, reply) => reply.page('identity/register.njk', { values: {} }));

  app.post('/:locale/register', page, async (request, reply) =>
    handleForm(request, reply, {
      template: 'identity/register.njk',
      secretFields: ['password'],
      run: () => register(kernel, contextOf(request), request.body, request.locale),
      done: () => seeOther(reply, request.locale, '/register/check-email'),
    }),
  );

  app.get('/:locale/register/check-email', page, async (_request, reply) => reply.page('identity/check-email.njk'));

  app.get<TokenQuery>('/:locale/verify-email', page, async (request, reply) => {
    const valid = await checkVerificationLink(kernel, request.query.token);
    return reply.page('identity/verify-email.njk', { token: valid ? request.query.token : null, values: {} });
  });

  app.post('/:locale/verify-email', page, async (request, reply) =>
    handleForm(request, reply, {
      template: 'identity/verify-email.njk',
      data: { token: null },
      run: () => verifyEmail(kernel, contextOf(request), request.body),
      done: () => seeOther(reply, request.locale, '/sign-in?notice=verified'),
    }),
  );

  app.get('/:locale/verify-email/resend', page, async (_request, reply) => reply.page('identity/resend.njk', { values: {} }));

  app.post('/:locale/verify-email/resend', page, async (request, reply) =>
    handleForm(request, reply, {
      template: 'identity/resend.njk',
      rateLimitField: 'email',
      run: () => resendVerification(kernel, contextOf(request), request.body),
      done: () => seeOther(reply, request.locale, '/register/check-email'),
    }),
  );

  app.get('/:locale/password-reset', page, async (_request, reply) => reply.page('identity/reset-request.njk', { values: {} }));

  app.post('/:locale/password-reset', page, async (request, reply) =>
    handleForm(request, reply, {
      template: 'identity/reset-request.njk',
      rateLimitField: 'email',
      run: () => requestPasswordReset(kernel, contextOf(request), request.body),
      done: () => seeOther(reply, request.locale, '/password-reset/sent'),
    }),
  );

  app.get('/:locale/password-reset/sent', page, async (_request, reply) => reply.page('identity/reset-sent.njk'));

  app.get<TokenQuery>('/:locale/password-reset/new', page, async (request, reply) => {
    const valid = await checkResetLink(kernel, request.query.token);
    return reply.page('identity/reset.njk', { token: valid ? request.query.token : null, values: {} });
  });

  app.post<{ Body: Record<string, string> }>('/:locale/password-reset/new', page, async (request, reply) =>
    handleForm(request, reply, {
      template: 'identity/reset.njk',
      data: { token: request.body?.['token'] },
      secretFields: ['password', 'confirmPassword'],
      run: () => resetPassword(kernel, contextOf(request), request.body),
      done: () => seeOther(reply, request.locale, '/sign-in?notice=passwordReset'),
    }),
  );
}
