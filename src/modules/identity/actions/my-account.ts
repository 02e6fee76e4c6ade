import { listEntries, record, type ActionContext, type AuditEntry } from '../../../kernel/audit/index.js';
import { hashPassword, verifyPassword } from '../../../kernel/auth/passwords.js';
import { authorize } from '../../../kernel/auth/policy.js';
import { endAccountSessions } from '../../../kernel/auth/sessions.js';
import { revokeAccountTokens } from '../../../kernel/auth/tokens.js';
import { InputError, NotAllowed, NotFound } from '../../../kernel/errors/index.js';
import type { Kernel } from '../../../kernel/module.js';
import { identityEvents } from '../audit.js';
import { findAccount, toAccount, updateAccount } from '../data/accounts.js';
import { membershipsOf } from '../data/memberships.js';
import { accountDetailsInput } from '../inputs/account-details.input.js';
import { changePasswordInput, deactivateInput } from '../inputs/change-password.input.js';
import { identityPermissions } from '../policies/index.js';
import type { Account, MembershipView } from '../types.js';

function me(ctx: ActionContext): { accountId: string } {
  if (!ctx.actor.accountId) throw new NotAllowed();
  return { accountId: ctx.actor.accountId };
}

/** The signed-in person's own account and memberships. */
export async function getMyAccount(kernel: Kernel, ctx: ActionContext): Promise<{ account: Account; memberships: MembershipView[] }> {
  const self = me(ctx);
  authorize(ctx.actor, identityPermissions.readOwnAccount, self);
  const row = await findAccount(kernel.database.db, self.accountId);
  if (!row) throw new NotFound();
  return { account: toAccount(row), memberships: await membershipsOf(kernel.database.db, self.accountId) };
}

export async function updateMyDetails(kernel: Kernel, ctx: ActionContext, raw: unknown): Promise<Account> {
  const self = me(ctx);
  authorize(ctx.actor, identityPermissions.updateOwnAccount, self);
  const input = accountDetailsInput.parse(raw);
  return kernel.database.transaction(async (tx) => {
    const before = await findAccount(tx, self.accountId);
    if (!before) throw new NotFound();
    const row = await updateAccount(tx, self.accountId, { displayName: input.displayName, locale: input.locale });
    const changed = (['displayName', 'locale'] as const).filter((k) => before[k] !== row[k]);
    await record(tx, ctx, { action: identityEvents.detailsChanged, targetType: 'account', targetId: self.accountId, subjectId: self.accountId, details: { changed } });
    return toAccount(row);
  });
}

/** Changes the password after checking the current one; other sessions end, this one stays. */
export async function changeMyPassword(kernel: Kernel, ctx: ActionContext, raw: unknown): Promise<void> {
  const self = me(ctx);
  authorize(ctx.actor, identityPermissions.updateOwnAccount, self);
  const input = changePasswordInput.parse(raw);
  const account = await findAccount(kernel.database.db, self.accountId);
  if (!account) throw new NotFound();
  if (!(await verifyPassword(account.passwordHash, input.currentPassword))) {
    throw InputError.field('currentPassword', 'wrong', 'identity.changePassword.currentPassword.wrong');
  }
  if (input.password !== input.confirmPassword) throw InputError.field('confirmPassword', 'match', 'identity.changePassword.confirmPassword.match');
  if (input.password === input.currentPassword) throw InputError.field('password', 'same', 'identity.changePassword.password.same');
  const passwordHash = await hashPassword(input.password);
  await kernel.database.transaction(async (tx) => {
    await updateAccount(tx, self.accountId, { passwordHash });
    await endAccountSessions(tx, self.accountId, ctx.actor.sessionId);
    await kernel.notify.email(tx, { to: account.email, locale: account.locale, key: 'identity.emails.passwordChanged', params: { name: account.displayName } });
    await record(tx, ctx, { action: identityEvents.passwordChanged, targetType: 'account', targetId: self.accountId, subjectId: self.accountId });
  });
}

/** Deactivates one's own account: every session ends and every API token is revoked. */
export async function deactivateMyAccount(kernel: Kernel, ctx: ActionContext, raw: unknown): Promise<void> {
  const self = me(ctx);
  authorize(ctx.actor, identityPermissions.updateOwnAccount, self);
  const input = deactivateInput.parse(raw);
  const account = await findAccount(kernel.database.db, self.accountId);
  if (!account) throw new NotFound();
  if (!(await verifyPassword(account.passwordHash, input.currentPassword))) {
    throw InputError.field('currentPassword', 'wrong', 'identity.deactivate.currentPassword.wrong');
  }
  await kernel.database.transaction(async (tx) => {
    await updateAccount(tx, self.accountId, { status: 'deactivated', deactivatedAt: new Date() });
    await endAccountSessions(tx, self.accountId);
    await revokeAccountTokens(tx, self.accountId);
    await kernel.notify.email(tx, { to: account.email, locale: account.locale, key: 'identity.emails.deactivated', params: { name: account.displayName } });
    await record(tx, ctx, { action: identityEvents.deactivated, targetType: 'account', targetId: self.accountId, subjectId: self.accountId });
  });
}

/** Who did what with the person's data and why: every audit entry about them, newest first. */
export async function myActivity(kernel: Kernel, ctx: ActionContext, beforeId?: number): Promise<{ items: AuditEntry[]; nextBefore: number | null }> {
  const self = me(ctx);
  authorize(ctx.actor, identityPermissions.readOwnAccount, self);
  const limit = 50;
  const rows = await listEntries(kernel.database.db, { subjectId: self.accountId, limit: limit + 1, ...(beforeId ? { beforeId } : {}) });
  const items = rows.slice(0, limit);
  return { items, nextBefore: rows.length > limit ? items[items.length - 1]!.id : null };
}
