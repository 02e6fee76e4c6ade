import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { readPersonalData } from '../../../kernel/audit/personal.js';
import { authorize } from '../../../kernel/auth/policy.js';
import { endAccountSessions } from '../../../kernel/auth/sessions.js';
import { revokeAccountTokens } from '../../../kernel/auth/tokens.js';
import { Conflict, NotFound } from '../../../kernel/errors/index.js';
import type { Kernel } from '../../../kernel/module.js';
import { identityEvents, purposes } from '../audit.js';
import { countActiveSuperadmins, findAccount, searchAccounts, toAccount, updateAccount } from '../data/accounts.js';
import { membershipsOf } from '../data/memberships.js';
import { administerAccountInput } from '../inputs/admin-account.input.js';
import { identityPermissions } from '../policies/index.js';
import type { Account, MembershipView, Page } from '../types.js';

/** Superadmins find accounts by name or email (to help someone, or to act on abuse). */
export async function findAccounts(kernel: Kernel, ctx: ActionContext, query: { q?: string; limit?: number; offset?: number }): Promise<Page<Account>> {
  authorize(ctx.actor, identityPermissions.administerAccounts, undefined);
  const limit = Math.min(Math.max(query.limit ?? 25, 1), 100);
  const offset = Math.max(query.offset ?? 0, 0);
  return readPersonalData(kernel.database, ctx, {
    action: identityEvents.personalDataRead,
    purpose: purposes.platformAdministration,
    fields: ['displayName', 'email'],
    read: (tx) => searchAccounts(tx, query.q?.trim() || undefined, limit, offset),
    subjects: (page) => page.items.map((a) => a.id),
  });
}

/** One account in full, for a superadmin; the read is recorded for the account's owner to see. */
export async function inspectAccount(kernel: Kernel, ctx: ActionContext, accountId: string): Promise<{ account: Account; memberships: MembershipView[] }> {
  authorize(ctx.actor, identityPermissions.administerAccounts, undefined);
  const detail = await readPersonalData(kernel.database, ctx, {
    action: identityEvents.personalDataRead,
    purpose: purposes.platformAdministration,
    fields: ['displayName', 'email', 'memberships', 'status'],
    read: async (tx) => {
      const row = await findAccount(tx, accountId);
      return row ? { account: toAccount(row), memberships: await membershipsOf(tx, accountId) } : null;
    },
    subjects: (found) => (found ? [found.account.id] : []),
  });
  if (!detail) throw new NotFound();
  return detail;
}

/**
 * Deactivates or reactivates an account, and grants or removes the superadmin role. The platform
 * always keeps one active superadmin.
 */
export async function administerAccount(kernel: Kernel, ctx: ActionContext, accountId: string, raw: unknown): Promise<Account> {
  authorize(ctx.actor, identityPermissions.administerAccounts, undefined);
  const input = administerAccountInput.parse(raw);
  return kernel.database.transaction(async (tx) => {
    const before = await findAccount(tx, accountId);
    if (!before) throw new NotFound();
    const status = input.status ?? before.status;
    const superadmin = input.superadmin ?? before.superadmin;
    const losesSuperadmin = before.superadmin && before.status === 'active' && (!superadmin || status !== 'active');
    if (losesSuperadmin && (await countActiveSuperadmins(tx)) <= 1) throw new Conflict('identity.adminAccount.lastSuperadmin', {}, 'superadmin');
    const row = await updateAccount(tx, accountId, { status, superadmin, ...(status === 'deactivated' && before.status !== 'deactivated' ? { deactivatedAt: new Date() } : {}) });
    if (status !== before.status) {
      if (status === 'deactivated') {
        await endAccountSessions(tx, accountId);
        await revokeAccountTokens(tx, accountId);
      }
      await record(tx, ctx, { action: status === 'deactivated' ? identityEvents.deactivated : identityEvents.reactivated, targetType: 'account', targetId: accountId, subjectId: accountId });
    }
    if (superadmin !== before.superadmin) {
      await record(tx, ctx, { action: identityEvents.superadminChanged, targetType: 'account', targetId: accountId, subjectId: accountId, details: { superadmin } });
    }
    return toAccount(row);
  });
}
