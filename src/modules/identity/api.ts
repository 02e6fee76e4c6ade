import { record, type ActionContext } from '../../kernel/audit/index.js';
import { authorize } from '../../kernel/auth/policy.js';
import type { Kernel } from '../../kernel/module.js';
import { createAccount } from './actions/create-account.js';
import { identityEvents } from './audit.js';
import { accountProfile, findAccountByEmail } from './data/accounts.js';
import { membersOf } from './data/memberships.js';
import { allOrganizations, findOrganization, insertOrganization, organizationsByIds } from './data/organizations.js';
import type { IdentityApi } from './index.js';
import { identityPermissions } from './policies/index.js';

/** Builds the identity module's public API over its data functions. */
export function createIdentityApi(kernel: Kernel): IdentityApi {
  const db = kernel.database.db;
  return {
    getOrganization: (idOrSlug) => findOrganization(db, idOrSlug),
    listOrganizations: () => allOrganizations(db),
    organizationsByIds: (ids) => organizationsByIds(db, ids),
    async memberIds(organizationId, roles) {
      const members = await membersOf(db, organizationId);
      return members.filter((m) => m.status === 'active' && m.roles.some((r) => roles.includes(r))).map((m) => m.accountId);
    },
    async ensureOrganization(ctx: ActionContext, organization) {
      authorize(ctx.actor, identityPermissions.createOrganization, undefined);
      return kernel.database.transaction(async (tx) => {
        const existing = await findOrganization(tx, organization.slug);
        if (existing) return existing;
        const created = await insertOrganization(tx, { acronym: {}, parentId: null, ...organization });
        await record(tx, ctx, { action: identityEvents.organizationCreated, organizationId: created.id, targetType: 'organization', targetId: created.id, details: { slug: created.slug } });
        return created;
      });
    },
    createAccount: (ctx, account) => createAccount(kernel, ctx, account),
    accountDirectory: {
      profile: (accountId) => accountProfile(db, accountId),
      idForEmail: async (email) => (await findAccountByEmail(db, email))?.id ?? null,
      paths: { signIn: '/sign-in', signOut: '/sign-out', account: '/account' },
    },
  };
}
