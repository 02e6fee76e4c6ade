import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { contextOf, handleForm, noticeFrom, pagination, seeOther } from '../../../kernel/http/pages.js';
import { setSessionCookie } from '../../../kernel/http/session-cookie.js';
import type { Kernel } from '../../../kernel/module.js';
import { acceptInvitation, cancelInvitation, changeRoles, describeInvitation, getMember, inviteMember, listMembers, organizationForAdmin, removeMember } from '../actions/members.js';
import { createOrganization, editOrganization, getOrganization, prepareEditOrganization, prepareNewOrganization, searchOrganizations } from '../actions/organizations.js';
import { rolesIn } from '../data/memberships.js';
import { organizationKinds } from '../schema.js';

const page = { schema: { hide: true } } as const;
const slugParams = Type.Object({ locale: Type.String(), slug: Type.String({ maxLength: 60 }) });
const memberParams = Type.Object({ locale: Type.String(), slug: Type.String({ maxLength: 60 }), accountId: Type.String({ format: 'uuid' }) });
const invitationParams = Type.Object({ locale: Type.String(), slug: Type.String({ maxLength: 60 }), id: Type.String({ format: 'uuid' }) });
type Slug = { Params: { slug: string } };
type MemberRoute = { Params: { slug: string; accountId: string } };

const memberNotices = {
  invited: 'identity.members.notice.invited',
  saved: 'identity.members.notice.saved',
  removed: 'identity.members.notice.removed',
  revoked: 'identity.members.notice.revoked',
};

/** Organizations: the public directory, editing, members and invitations. */
export function organizationRoutes(app: FastifyInstance, kernel: Kernel) {
  const db = kernel.database.db;
  const roleItems = () => kernel.access.roles.map((r) => ({ value: r.id, labelKey: r.labelKey, descriptionKey: r.descriptionKey }));

  app.get<{ Querystring: { q?: string; page?: number } }>(
    '/:locale/organizations',
    { schema: { hide: true, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })) }) } },
    async (request, reply) => {
      const pageNumber = request.query.page ?? 1;
      const limit = 20;
      const result = await searchOrganizations(kernel, { ...(request.query.q ? { q: request.query.q } : {}), limit, offset: (pageNumber - 1) * limit, locale: request.locale });
      return reply.page('identity/organizations.njk', {
        result,
        q: request.query.q ?? '',
        pagination: pagination(request.query, pageNumber, result.total, limit),
        canCreate: request.actor.superadmin,
      });
    },
  );

  app.get('/:locale/organizations/new', page, async (request, reply) => {
    const { parents } = await prepareNewOrganization(kernel, contextOf(request));
    return reply.page('identity/organization-form.njk', { values: {}, kinds: organizationKinds, parents, creating: true, canMove: true });
  });

  app.post('/:locale/organizations/new', page, async (request, reply) => {
    const { parents } = await prepareNewOrganization(kernel, contextOf(request));
    return handleForm(request, reply, {
      template: 'identity/organization-form.njk',
      data: { kinds: organizationKinds, parents, creating: true, canMove: true },
      run: () => createOrganization(kernel, contextOf(request), request.body),
      done: (organization) => seeOther(reply, request.locale, `/organizations/${organization.slug}`),
    });
  });

  app.get<Slug>('/:locale/organizations/:slug', { schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const detail = await getOrganization(kernel, contextOf(request), request.params.slug);
    return reply.page('identity/organization.njk', { ...detail, notice: noticeFrom(request, { saved: 'identity.organization.notice.saved' }) });
  });

  app.get<Slug>('/:locale/organizations/:slug/edit', { schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const form = await prepareEditOrganization(kernel, contextOf(request), request.params.slug);
    const o = form.organization;
    return reply.page('identity/organization-form.njk', {
      ...form,
      values: { nameEn: o.name.en, nameFr: o.name.fr, acronymEn: o.acronym.en, acronymFr: o.acronym.fr, kind: o.kind, parentId: o.parentId ?? '' },
      kinds: organizationKinds,
    });
  });

  app.post<Slug>('/:locale/organizations/:slug/edit', { schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const form = await prepareEditOrganization(kernel, contextOf(request), request.params.slug);
    // Those who may not move the organization do not see the parent field; keep its parent.
    const body = form.canMove ? request.body : { ...(request.body as object), parentId: form.organization.parentId ?? undefined };
    return handleForm(request, reply, {
      template: 'identity/organization-form.njk',
      data: { ...form, kinds: organizationKinds },
      run: () => editOrganization(kernel, contextOf(request), request.params.slug, body),
      done: (organization) => seeOther(reply, request.locale, `/organizations/${organization.slug}?notice=saved`),
    });
  });

  app.get<Slug>('/:locale/organizations/:slug/members', { schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const result = await listMembers(kernel, contextOf(request), request.params.slug);
    return reply.page('identity/members.njk', { ...result, notice: noticeFrom(request, memberNotices) });
  });

  app.get<Slug>('/:locale/organizations/:slug/members/invite', { schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const organization = await organizationForAdmin(kernel, contextOf(request), request.params.slug);
    return reply.page('identity/invite.njk', { organization, roles: roleItems(), values: { roles: ['viewer'] } });
  });

  app.post<Slug>('/:locale/organizations/:slug/members/invite', { schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const organization = await organizationForAdmin(kernel, contextOf(request), request.params.slug);
    return handleForm(request, reply, {
      template: 'identity/invite.njk',
      data: { organization, roles: roleItems() },
      run: () => inviteMember(kernel, contextOf(request), request.params.slug, request.body),
      done: () => seeOther(reply, request.locale, `/organizations/${organization.slug}/members?notice=invited`),
    });
  });

  app.get<MemberRoute>('/:locale/organizations/:slug/members/:accountId', { schema: { hide: true, params: memberParams } }, async (request, reply) => {
    const { organization, member } = await getMember(kernel, contextOf(request), request.params.slug, request.params.accountId);
    return reply.page('identity/member.njk', { organization, member, roles: roleItems(), values: { roles: member.roles } });
  });

  app.post<MemberRoute>('/:locale/organizations/:slug/members/:accountId', { schema: { hide: true, params: memberParams } }, async (request, reply) => {
    const { organization, member } = await getMember(kernel, contextOf(request), request.params.slug, request.params.accountId);
    return handleForm(request, reply, {
      template: 'identity/member.njk',
      data: { organization, member, roles: roleItems() },
      run: () => changeRoles(kernel, contextOf(request), request.params.slug, request.params.accountId, request.body),
      done: () => seeOther(reply, request.locale, `/organizations/${organization.slug}/members?notice=saved`),
    });
  });

  app.post<MemberRoute>('/:locale/organizations/:slug/members/:accountId/remove', { schema: { hide: true, params: memberParams } }, async (request, reply) => {
    const { organization, member } = await getMember(kernel, contextOf(request), request.params.slug, request.params.accountId);
    return handleForm(request, reply, {
      template: 'identity/member.njk',
      data: { organization, member, roles: roleItems(), values: { roles: member.roles } },
      run: () => removeMember(kernel, contextOf(request), request.params.slug, request.params.accountId),
      done: () => seeOther(reply, request.locale, `/organizations/${organization.slug}/members?notice=removed`),
    });
  });

  app.post<{ Params: { slug: string; id: string } }>('/:locale/organizations/:slug/invitations/:id/revoke', { schema: { hide: true, params: invitationParams } }, async (request, reply) => {
    await cancelInvitation(kernel, contextOf(request), request.params.slug, request.params.id);
    return seeOther(reply, request.locale, `/organizations/${request.params.slug}/members?notice=revoked`);
  });

  app.get<{ Querystring: { token?: string } }>('/:locale/invitations/accept', page, async (request, reply) => {
    const view = await describeInvitation(kernel, request.query.token);
    const signedInAs = request.actor.email;
    const matches = signedInAs?.toLowerCase() === view.invitation.email.toLowerCase();
    const alreadyMember = matches && request.actor.accountId ? (await rolesIn(db, request.actor.accountId, view.organization.id)).length > 0 : false;
    return reply.page('identity/accept.njk', { ...view, token: request.query.token, signedInAs, matches, alreadyMember, values: {}, returnTo: request.url });
  });

  app.post<{ Querystring: { token?: string } }>('/:locale/invitations/accept', page, async (request, reply) => {
    const token = request.query.token;
    const view = await describeInvitation(kernel, token);
    return handleForm(request, reply, {
      template: 'identity/accept.njk',
      data: { ...view, token, signedInAs: request.actor.email, matches: false, returnTo: request.url },
      secretFields: ['password'],
      run: () => acceptInvitation(kernel, contextOf(request), token, request.body),
      done: (result) => {
        if (result.sessionToken) setSessionCookie(reply, kernel.config, result.sessionToken);
        return seeOther(reply, request.locale, `/organizations/${result.organization.slug}`);
      },
    });
  });
}
