import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { readPersonalData } from '../../../kernel/audit/personal.js';
import { authorize } from '../../../kernel/auth/policy.js';
import { createSession } from '../../../kernel/auth/sessions.js';
import { hashPassword } from '../../../kernel/auth/passwords.js';
import { Conflict, InputError, NotAllowed, NotFound } from '../../../kernel/errors/index.js';
import type { Kernel } from '../../../kernel/module.js';
import { identityEvents, purposes } from '../audit.js';
import { findAccountByEmail, insertAccount } from '../data/accounts.js';
import { createInvitation, findInvitation, findLiveInvitation, listOpenInvitations, markAccepted, openInvitationFor, revokeInvitation } from '../data/invitations.js';
import { lockAndCountAdmins, membersOf, rolesIn, setRoles } from '../data/memberships.js';
import { findOrganization } from '../data/organizations.js';
import { inviteInput, rolesInput, acceptWithNewAccountInput } from '../inputs/membership.input.js';
import { identityPermissions } from '../policies/index.js';
import type { Invitation, Member, Organization } from '../types.js';
import { emailLink, invitationDays } from './links.js';

async function organizationOrNotFound(kernel: Kernel, slug: string): Promise<Organization> {
  const organization = await findOrganization(kernel.database.db, slug);
  if (!organization) throw new NotFound();
  return organization;
}

function checkRoles(kernel: Kernel, roles: string[]): string[] {
  const unique = [...new Set(roles)];
  if (unique.some((r) => !kernel.access.isRole(r))) throw InputError.field('roles', 'invalid', 'identity.members.roles.invalid');
  return unique.sort();
}

/**
 * Members and open invitations of an organization, for its administrators. Names and addresses
 * are personal data: each member's read is recorded under the "membership" purpose, and they can
 * see it on their activity page.
 */
export async function listMembers(kernel: Kernel, ctx: ActionContext, slug: string): Promise<{ organization: Organization; members: Member[]; invitations: Invitation[] }> {
  const organization = await organizationOrNotFound(kernel, slug);
  authorize(ctx.actor, identityPermissions.viewMembers, organization);
  return readPersonalData(kernel.database, ctx, {
    action: identityEvents.personalDataRead,
    purpose: purposes.membership,
    fields: ['displayName', 'email', 'roles'],
    organizationId: organization.id,
    read: async (tx) => {
      const [members, invitations] = await Promise.all([membersOf(tx, organization.id), listOpenInvitations(tx, organization.id)]);
      return { organization, members, invitations };
    },
    subjects: (result) => result.members.map((m) => m.accountId),
  });
}

/** The organization, for pages only its administrators see (invite form). */
export async function organizationForAdmin(kernel: Kernel, ctx: ActionContext, slug: string): Promise<Organization> {
  const organization = await organizationOrNotFound(kernel, slug);
  authorize(ctx.actor, identityPermissions.manageMembers, organization);
  return organization;
}

/** One member, for the page where their roles change; the read is recorded for them to see. */
export async function getMember(kernel: Kernel, ctx: ActionContext, slug: string, accountId: string): Promise<{ organization: Organization; member: Member }> {
  const organization = await organizationForAdmin(kernel, ctx, slug);
  const member = await readPersonalData(kernel.database, ctx, {
    action: identityEvents.personalDataRead,
    purpose: purposes.membership,
    fields: ['displayName', 'email', 'roles'],
    organizationId: organization.id,
    read: async (tx) => (await membersOf(tx, organization.id)).find((m) => m.accountId === accountId),
    subjects: (found) => (found ? [found.accountId] : []),
  });
  if (!member) throw new NotFound();
  return { organization, member };
}

/** Invites someone by email; they join when they follow the link (creating an account if needed). */
export async function inviteMember(kernel: Kernel, ctx: ActionContext, slug: string, raw: unknown): Promise<Invitation> {
  const organization = await organizationOrNotFound(kernel, slug);
  authorize(ctx.actor, identityPermissions.manageMembers, organization);
  const input = inviteInput.parse(raw);
  const roles = checkRoles(kernel, input.roles);
  return kernel.database.transaction(async (tx) => {
    const existing = await findAccountByEmail(tx, input.email);
    if (existing && (await rolesIn(tx, existing.id, organization.id)).length) throw new Conflict('identity.invite.email.member', {}, 'email');
    if (await openInvitationFor(tx, organization.id, input.email)) throw new Conflict('identity.invite.email.invited', {}, 'email');
    const { invitation, secret } = await createInvitation(tx, { organizationId: organization.id, email: input.email, roles, invitedBy: ctx.actor.accountId, ttlDays: invitationDays });
    const locale = existing?.locale ?? ctx.actor.locale ?? 'en';
    await kernel.notify.email(tx, {
      to: input.email,
      locale,
      key: 'identity.emails.invitation',
      params: {
        organization: organization.name[locale] ?? organization.name.en ?? organization.slug,
        inviter: ctx.actor.displayName ?? '',
        link: emailLink(kernel.config, locale, '/invitations/accept', secret),
        days: invitationDays,
      },
    });
    await record(tx, ctx, { action: identityEvents.memberInvited, organizationId: organization.id, targetType: 'invitation', targetId: invitation.id, subjectId: existing?.id ?? null, details: { roles } });
    return invitation;
  });
}

export async function cancelInvitation(kernel: Kernel, ctx: ActionContext, slug: string, invitationId: string): Promise<void> {
  const organization = await organizationOrNotFound(kernel, slug);
  authorize(ctx.actor, identityPermissions.manageMembers, organization);
  await kernel.database.transaction(async (tx) => {
    const invitation = await findInvitation(tx, invitationId);
    if (!invitation || invitation.organizationId !== organization.id) throw new NotFound();
    if (!(await revokeInvitation(tx, invitationId))) return;
    await record(tx, ctx, { action: identityEvents.invitationRevoked, organizationId: organization.id, targetType: 'invitation', targetId: invitationId });
  });
}

/**
 * Sets a member's roles. An organization always keeps at least one active admin, so nobody can
 * lock everyone (including themselves) out of managing it.
 */
export async function changeRoles(kernel: Kernel, ctx: ActionContext, slug: string, accountId: string, raw: unknown): Promise<string[]> {
  const organization = await organizationOrNotFound(kernel, slug);
  authorize(ctx.actor, identityPermissions.manageMembers, organization);
  const roles = checkRoles(kernel, rolesInput.parse(raw).roles);
  return applyRoles(kernel, ctx, organization, accountId, roles);
}

export async function removeMember(kernel: Kernel, ctx: ActionContext, slug: string, accountId: string): Promise<void> {
  const organization = await organizationOrNotFound(kernel, slug);
  authorize(ctx.actor, identityPermissions.manageMembers, organization);
  await applyRoles(kernel, ctx, organization, accountId, []);
}

async function applyRoles(kernel: Kernel, ctx: ActionContext, organization: Organization, accountId: string, roles: string[]): Promise<string[]> {
  return kernel.database.transaction(async (tx) => {
    const before = await rolesIn(tx, accountId, organization.id);
    if (!before.length) throw new NotFound();
    const admins = await lockAndCountAdmins(tx, organization.id);
    if (before.includes('admin') && !roles.includes('admin') && admins <= 1) {
      throw new Conflict('identity.members.lastAdmin', {}, 'roles');
    }
    await setRoles(tx, accountId, organization.id, roles, ctx.actor.accountId);
    await record(tx, ctx, {
      action: roles.length ? identityEvents.rolesChanged : identityEvents.memberRemoved,
      organizationId: organization.id,
      targetType: 'account',
      targetId: accountId,
      subjectId: accountId,
      details: { before, after: roles },
    });
    return roles;
  });
}

export interface InvitationView {
  invitation: Invitation;
  organization: Organization;
  /** Whether an account already exists for the invited address. */
  accountExists: boolean;
}

/** What an invitation link offers, or NotFound when it is unknown, used, revoked or expired. */
export async function describeInvitation(kernel: Kernel, token: string | undefined): Promise<InvitationView> {
  if (!token || token.length > 200) throw new NotFound('identity.link.invalid');
  const db = kernel.database.db;
  const invitation = await findLiveInvitation(db, token);
  if (!invitation) throw new NotFound('identity.link.invalid');
  const organization = await findOrganization(db, invitation.organizationId);
  if (!organization) throw new NotFound('identity.link.invalid');
  return { invitation, organization, accountExists: (await findAccountByEmail(db, invitation.email)) !== null };
}

/**
 * Accepts an invitation. Signed in with the invited address: join. No account yet: create one
 * (the link proves the address) and, for a browser, sign in. Returns the session token if one was started.
 */
export async function acceptInvitation(
  kernel: Kernel,
  ctx: ActionContext,
  token: string | undefined,
  raw: unknown,
  options: { startSession: boolean } = { startSession: true },
): Promise<{ organization: Organization; sessionToken: string | null }> {
  const view = await describeInvitation(kernel, token);
  const { invitation, organization } = view;
  let newAccount: { displayName: string; passwordHash: string } | null = null;
  if (ctx.actor.accountId) {
    if (ctx.actor.email?.toLowerCase() !== invitation.email.toLowerCase()) throw new NotAllowed('identity.accept.otherAccount');
  } else {
    if (view.accountExists) throw new NotAllowed(); // sign in first, then come back to the link
    const input = acceptWithNewAccountInput.parse(raw);
    newAccount = { displayName: input.displayName, passwordHash: await hashPassword(input.password) };
  }
  return kernel.database.transaction(async (tx) => {
    let accountId = ctx.actor.accountId;
    let sessionToken: string | null = null;
    if (newAccount) {
      const account = await insertAccount(tx, { email: invitation.email, ...newAccount, locale: ctx.actor.locale ?? 'en', emailVerifiedAt: new Date() });
      accountId = account.id;
      if (options.startSession) sessionToken = (await createSession(tx, account.id, ctx.client ?? {})).token;
      await record(tx, { ...ctx, actor: { ...ctx.actor, kind: 'account', accountId } }, { action: identityEvents.accountRegistered, targetType: 'account', targetId: accountId, subjectId: accountId, details: { via: 'invitation' } });
    }
    if (!accountId || !(await markAccepted(tx, invitation.id, accountId))) throw new NotFound('identity.link.invalid');
    const merged = [...new Set([...(await rolesIn(tx, accountId, organization.id)), ...invitation.roles])].sort();
    await setRoles(tx, accountId, organization.id, merged, null);
    await record(tx, { ...ctx, actor: { ...ctx.actor, accountId } }, {
      action: identityEvents.invitationAccepted,
      organizationId: organization.id,
      targetType: 'invitation',
      targetId: invitation.id,
      subjectId: accountId,
      details: { roles: invitation.roles },
    });
    return { organization, sessionToken };
  });
}

