import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { contextOf } from '../../../kernel/http/pages.js';
import type { Kernel } from '../../../kernel/module.js';
import { administerAccount, findAccounts, inspectAccount } from '../actions/administer-accounts.js';
import { createMyToken, listMyTokens, revokeMyToken } from '../actions/api-tokens.js';
import { acceptInvitation, cancelInvitation, changeRoles, inviteMember, listMembers, removeMember } from '../actions/members.js';
import { changeMyPassword, deactivateMyAccount, getMyAccount, myActivity, updateMyDetails } from '../actions/my-account.js';
import { createOrganization, editOrganization, getOrganization, searchOrganizations } from '../actions/organizations.js';
import { requestPasswordReset, resetPassword } from '../actions/password-reset.js';
import { register } from '../actions/register.js';
import { resendVerification, verifyEmail } from '../actions/verify-email.js';
import { accountDetailsInput } from '../inputs/account-details.input.js';
import { administerAccountInput } from '../inputs/admin-account.input.js';
import { createTokenInput } from '../inputs/api-token.input.js';
import { changePasswordInput, deactivateInput } from '../inputs/change-password.input.js';
import { passwordResetRequestInput, resendVerificationInput } from '../inputs/email-only.input.js';
import { inviteInput, rolesInput } from '../inputs/membership.input.js';
import { createOrganizationInput, updateOrganizationInput } from '../inputs/organization.input.js';
import { passwordResetInput } from '../inputs/password-reset.input.js';
import { registerInput } from '../inputs/register.input.js';
import { emailTokenInput } from '../inputs/token.input.js';

const api = { config: { api: true } } as const;
const tags = ['identity'];
const slug = Type.Object({ slug: Type.String({ maxLength: 60 }) });
const uuid = Type.String({ format: 'uuid' });
const paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};

function op(summary: string, parts: { body?: TSchema; params?: TSchema; querystring?: TSchema } = {}) {
  return { ...api, schema: { tags, summary, ...parts } };
}

/** A page of items in the API's paging shape, with a link to the next page. */
function paged<T>(request: FastifyRequest, page: { items: T[]; total: number; limit: number; offset: number }) {
  const next = page.offset + page.limit < page.total ? `${request.url.split('?')[0]}?${new URLSearchParams({ ...(request.query as Record<string, string>), offset: String(page.offset + page.limit) })}` : null;
  return { items: page.items, total: page.total, limit: page.limit, offset: page.offset, next };
}

/** The identity JSON API: the same actions as the pages, documented in OpenAPI. */
export function apiRoutes(app: FastifyInstance, kernel: Kernel) {
  // Accounts and sign-up
  app.post('/api/v1/accounts', op('Register a resident account (a confirmation link is emailed)', { body: registerInput.schema }), async (request, reply) => {
    await register(kernel, contextOf(request), request.body, request.locale);
    return reply.code(202).send({ status: 'confirmation_sent' });
  });
  app.post('/api/v1/email-verifications', op('Confirm an email address with the token from the emailed link', { body: emailTokenInput.schema }), async (request) => {
    await verifyEmail(kernel, contextOf(request), request.body);
    return { status: 'verified' };
  });
  app.post('/api/v1/email-verification-requests', op('Send a new confirmation link', { body: resendVerificationInput.schema }), async (request, reply) => {
    await resendVerification(kernel, contextOf(request), request.body);
    return reply.code(202).send({ status: 'sent_if_unconfirmed' });
  });
  app.post('/api/v1/password-reset-requests', op('Email a password reset link', { body: passwordResetRequestInput.schema }), async (request, reply) => {
    await requestPasswordReset(kernel, contextOf(request), request.body);
    return reply.code(202).send({ status: 'sent_if_account_exists' });
  });
  app.post('/api/v1/password-resets', op('Set a new password with the token from the emailed link', { body: passwordResetInput.schema }), async (request) => {
    await resetPassword(kernel, contextOf(request), request.body);
    return { status: 'password_reset' };
  });

  // The signed-in account
  app.get('/api/v1/me', op('Your account and memberships'), async (request) => getMyAccount(kernel, contextOf(request)));
  app.patch('/api/v1/me', op('Change your name and language', { body: accountDetailsInput.schema }), async (request) => updateMyDetails(kernel, contextOf(request), request.body));
  app.put('/api/v1/me/password', op('Change your password (other sessions end)', { body: changePasswordInput.schema }), async (request, reply) => {
    await changeMyPassword(kernel, contextOf(request), request.body);
    return reply.code(204).send();
  });
  app.post('/api/v1/me/deactivation', op('Deactivate your account (sessions end, tokens are revoked)', { body: deactivateInput.schema }), async (request, reply) => {
    await deactivateMyAccount(kernel, contextOf(request), request.body);
    return reply.code(204).send();
  });
  app.get<{ Querystring: { before?: number } }>(
    '/api/v1/me/activity',
    op('Every recorded action on your data, and every read of it by others, with the purpose', { querystring: Type.Object({ before: Type.Optional(Type.Integer({ minimum: 1 })) }) }),
    async (request) => {
      const result = await myActivity(kernel, contextOf(request), request.query.before);
      return { items: result.items, next_before: result.nextBefore };
    },
  );
  app.get('/api/v1/me/tokens', op('Your API tokens (never their secrets)'), async (request) => ({ items: await listMyTokens(kernel, contextOf(request)) }));
  app.post('/api/v1/me/tokens', op('Create an API token from a browser session; the secret is in this response only', { body: createTokenInput.schema }), async (request, reply) =>
    reply.code(201).send(await createMyToken(kernel, contextOf(request), request.body)),
  );
  app.delete<{ Params: { id: string } }>('/api/v1/me/tokens/:id', op('Revoke one of your API tokens', { params: Type.Object({ id: uuid }) }), async (request, reply) => {
    await revokeMyToken(kernel, contextOf(request), request.params.id);
    return reply.code(204).send();
  });

  // Organizations
  app.get<{ Querystring: { q?: string; limit?: number; offset?: number } }>(
    '/api/v1/organizations',
    op('Search organizations (public)', { querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), ...paging }) }),
    async (request) => paged(request, await searchOrganizations(kernel, { ...request.query, locale: request.locale })),
  );
  app.post('/api/v1/organizations', op('Create an organization (superadmin)', { body: createOrganizationInput.schema }), async (request, reply) =>
    reply.code(201).send(await createOrganization(kernel, contextOf(request), request.body)),
  );
  app.get<{ Params: { slug: string } }>('/api/v1/organizations/:slug', op('An organization with its parent and children (public)', { params: slug }), async (request) => {
    const { canEdit, canManageMembers, ...detail } = await getOrganization(kernel, contextOf(request), request.params.slug);
    return { ...detail, permissions: { edit: canEdit, manageMembers: canManageMembers } };
  });
  app.patch<{ Params: { slug: string } }>('/api/v1/organizations/:slug', op('Edit an organization (its admins; moving it: superadmin)', { params: slug, body: updateOrganizationInput.schema }), async (request) =>
    editOrganization(kernel, contextOf(request), request.params.slug, request.body),
  );

  // Members and invitations
  app.get<{ Params: { slug: string } }>('/api/v1/organizations/:slug/members', op('Members and open invitations (organization admins); each read is recorded', { params: slug }), async (request) => {
    const { members, invitations } = await listMembers(kernel, contextOf(request), request.params.slug);
    return { members, invitations };
  });
  app.post<{ Params: { slug: string } }>('/api/v1/organizations/:slug/invitations', op('Invite someone by email with roles (organization admins)', { params: slug, body: inviteInput.schema }), async (request, reply) =>
    reply.code(201).send(await inviteMember(kernel, contextOf(request), request.params.slug, request.body)),
  );
  app.delete<{ Params: { slug: string; id: string } }>('/api/v1/organizations/:slug/invitations/:id', op('Cancel an invitation (organization admins)', { params: Type.Object({ slug: Type.String({ maxLength: 60 }), id: uuid }) }), async (request, reply) => {
    await cancelInvitation(kernel, contextOf(request), request.params.slug, request.params.id);
    return reply.code(204).send();
  });
  app.put<{ Params: { slug: string; accountId: string } }>(
    '/api/v1/organizations/:slug/members/:accountId',
    op('Set a member’s roles (organization admins); the last admin cannot be removed', { params: Type.Object({ slug: Type.String({ maxLength: 60 }), accountId: uuid }), body: rolesInput.schema }),
    async (request) => ({ roles: await changeRoles(kernel, contextOf(request), request.params.slug, request.params.accountId, request.body) }),
  );
  app.delete<{ Params: { slug: string; accountId: string } }>(
    '/api/v1/organizations/:slug/members/:accountId',
    op('Remove a member (organization admins)', { params: Type.Object({ slug: Type.String({ maxLength: 60 }), accountId: uuid }) }),
    async (request, reply) => {
      await removeMember(kernel, contextOf(request), request.params.slug, request.params.accountId);
      return reply.code(204).send();
    },
  );
  app.post<{ Querystring: { token: string } }>(
    '/api/v1/invitations/acceptance',
    // No body schema: signed in with the invited address there is no body; otherwise the action
    // reads `displayName` and `password` (see the identity.accept input).
    op('Accept an invitation: signed in with the invited address (no body), or by creating an account ({displayName, password})', { querystring: Type.Object({ token: Type.String({ maxLength: 200 }) }) }),
    async (request, reply) => {
      const result = await acceptInvitation(kernel, contextOf(request), request.query.token, request.body, { startSession: false });
      return reply.code(201).send({ organization: result.organization });
    },
  );

  // Platform administration of accounts
  app.get<{ Querystring: { q?: string; limit?: number; offset?: number } }>(
    '/api/v1/accounts',
    op('Find accounts by name or email (superadmin); each read is recorded', { querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), ...paging }) }),
    async (request) => paged(request, await findAccounts(kernel, contextOf(request), request.query)),
  );
  app.get<{ Params: { id: string } }>('/api/v1/accounts/:id', op('One account (superadmin); the read is recorded', { params: Type.Object({ id: uuid }) }), async (request) =>
    inspectAccount(kernel, contextOf(request), request.params.id),
  );
  app.patch<{ Params: { id: string } }>('/api/v1/accounts/:id', op('Deactivate or reactivate an account, grant or remove superadmin (superadmin)', { params: Type.Object({ id: uuid }), body: administerAccountInput.schema }), async (request) =>
    administerAccount(kernel, contextOf(request), request.params.id, request.body),
  );
}
