import { definePermission, hasRole } from '../../../kernel/auth/policy.js';
import type { Actor } from '../../../kernel/auth/actor.js';

const signedIn = (actor: Actor) => actor.kind === 'account' || actor.kind === 'token';

/** Who may do what with accounts, organizations and memberships. */
export const identityPermissions = {
  register: definePermission('identity.account.register', 'identity:write', () => true),
  readOwnAccount: definePermission<{ accountId: string }>('identity.account.read', 'identity:read', (actor, r) => signedIn(actor) && actor.accountId === r.accountId),
  updateOwnAccount: definePermission<{ accountId: string }>('identity.account.update', 'identity:write', (actor, r) => signedIn(actor) && actor.accountId === r.accountId),
  // Only a person at a browser may mint tokens: a leaked token must not be able to make more.
  manageTokens: definePermission<{ accountId: string }>('identity.token.manage', 'identity:write', (actor, r) => actor.kind === 'account' && actor.accountId === r.accountId),
  listTokens: definePermission<{ accountId: string }>('identity.token.list', 'identity:read', (actor, r) => signedIn(actor) && actor.accountId === r.accountId),
  createOrganization: definePermission('identity.organization.create', 'platform:admin', (actor) => actor.superadmin),
  updateOrganization: definePermission<{ id: string }>('identity.organization.update', 'identity:write', (actor, org) => hasRole(actor, org.id, 'admin')),
  moveOrganization: definePermission<{ id: string }>('identity.organization.move', 'platform:admin', (actor) => actor.superadmin),
  viewMembers: definePermission<{ id: string }>('identity.membership.list', 'identity:read', (actor, org) => hasRole(actor, org.id, 'admin')),
  manageMembers: definePermission<{ id: string }>('identity.membership.manage', 'identity:write', (actor, org) => hasRole(actor, org.id, 'admin')),
  administerAccounts: definePermission('identity.account.administer', 'platform:admin', (actor) => actor.superadmin),
};
