import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { hashPassword } from '../../../kernel/auth/passwords.js';
import { endAccountSessions } from '../../../kernel/auth/sessions.js';
import { clearFailures, hitRateLimit } from '../../../kernel/auth/throttle.js';
import { InputError } from '../../../kernel/errors/index.js';
import type { Kernel } from '../../../kernel/module.js';
import { identityEvents } from '../audit.js';
import { findAccount, findAccountByEmail, updateAccount } from '../data/accounts.js';
import { consumeEmailToken, peekEmailToken } from '../data/email-tokens.js';
import { issueEmailToken } from '../data/email-tokens.js';
import { passwordResetRequestInput } from '../inputs/email-only.input.js';
import { passwordResetInput } from '../inputs/password-reset.input.js';
import { emailLink, resetPasswordMinutes } from './links.js';

/** Sends a reset link if the address has an active account; the answer is the same either way. */
export async function requestPasswordReset(kernel: Kernel, ctx: ActionContext, raw: unknown): Promise<{ email: string }> {
  const { email } = passwordResetRequestInput.parse(raw);
  await hitRateLimit(kernel.database.db, `reset:${email.toLowerCase()}`, 5, 3600);
  if (ctx.client) await hitRateLimit(kernel.database.db, `reset-ip:${ctx.client.ip}`, 20, 3600);
  await kernel.database.transaction(async (tx) => {
    const account = await findAccountByEmail(tx, email);
    if (!account || account.status !== 'active') return;
    const token = await issueEmailToken(tx, account.id, 'reset_password', resetPasswordMinutes);
    await kernel.notify.email(tx, {
      to: account.email,
      locale: account.locale,
      key: 'identity.emails.reset',
      params: { name: account.displayName, link: emailLink(kernel.config, account.locale, '/password-reset/new', token), minutes: resetPasswordMinutes },
    });
    await record(tx, ctx, { action: identityEvents.passwordResetRequested, targetType: 'account', targetId: account.id, subjectId: account.id });
  });
  return { email };
}

export async function checkResetLink(kernel: Kernel, token: string | undefined): Promise<boolean> {
  if (!token || token.length > 200) return false;
  return (await peekEmailToken(kernel.database.db, token, 'reset_password')) !== null;
}

/**
 * Sets a new password from a reset link. Every session of the account ends (whoever had the old
 * password is signed out), and the address counts as confirmed: the link proved it.
 */
export async function resetPassword(kernel: Kernel, ctx: ActionContext, raw: unknown): Promise<{ accountId: string }> {
  const input = passwordResetInput.parse(raw);
  if (input.password !== input.confirmPassword) throw InputError.field('confirmPassword', 'match', 'identity.reset.confirmPassword.match');
  const passwordHash = await hashPassword(input.password);
  return kernel.database.transaction(async (tx) => {
    const accountId = await consumeEmailToken(tx, input.token, 'reset_password');
    if (!accountId) throw InputError.field('password', 'link', 'identity.link.invalid');
    const account = await findAccount(tx, accountId);
    if (!account || account.status !== 'active') throw InputError.field('password', 'link', 'identity.link.invalid');
    await updateAccount(tx, accountId, { passwordHash, emailVerifiedAt: account.emailVerifiedAt ?? new Date() });
    await endAccountSessions(tx, accountId);
    await clearFailures(tx, `account:${account.email.toLowerCase()}`);
    await kernel.notify.email(tx, { to: account.email, locale: account.locale, key: 'identity.emails.passwordChanged', params: { name: account.displayName } });
    await record(tx, ctx, { action: identityEvents.passwordReset, targetType: 'account', targetId: accountId, subjectId: accountId });
    return { accountId };
  });
}
