import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { hitRateLimit } from '../../../kernel/auth/throttle.js';
import { InputError } from '../../../kernel/errors/index.js';
import type { Kernel } from '../../../kernel/module.js';
import { identityEvents } from '../audit.js';
import { findAccount, findAccountByEmail, updateAccount } from '../data/accounts.js';
import { consumeEmailToken, issueEmailToken, peekEmailToken } from '../data/email-tokens.js';
import { resendVerificationInput } from '../inputs/email-only.input.js';
import { emailTokenInput } from '../inputs/token.input.js';
import { emailLink, verifyEmailMinutes } from './links.js';

/** Whether a confirmation link is still good (the page asks for a click before using it up). */
export async function checkVerificationLink(kernel: Kernel, token: string | undefined): Promise<boolean> {
  if (!token || token.length > 200) return false;
  return (await peekEmailToken(kernel.database.db, token, 'verify_email')) !== null;
}

/** Confirms the email address a link was sent to. */
export async function verifyEmail(kernel: Kernel, ctx: ActionContext, raw: unknown): Promise<{ accountId: string }> {
  const { token } = emailTokenInput.parse(raw);
  return kernel.database.transaction(async (tx) => {
    const accountId = await consumeEmailToken(tx, token, 'verify_email');
    if (!accountId) throw InputError.field('token', 'invalid', 'identity.link.invalid');
    const account = await findAccount(tx, accountId);
    if (!account?.emailVerifiedAt) await updateAccount(tx, accountId, { emailVerifiedAt: new Date() });
    await record(tx, ctx, { action: identityEvents.emailVerified, targetType: 'account', targetId: accountId, subjectId: accountId });
    return { accountId };
  });
}

/** Sends a new confirmation link to an unconfirmed account; says nothing about whether one exists. */
export async function resendVerification(kernel: Kernel, ctx: ActionContext, raw: unknown): Promise<{ email: string }> {
  const { email } = resendVerificationInput.parse(raw);
  await hitRateLimit(kernel.database.db, `resend:${email.toLowerCase()}`, 5, 3600);
  if (ctx.client) await hitRateLimit(kernel.database.db, `resend-ip:${ctx.client.ip}`, 20, 3600);
  await kernel.database.transaction(async (tx) => {
    const account = await findAccountByEmail(tx, email);
    if (!account || account.emailVerifiedAt || account.status !== 'active') return;
    const token = await issueEmailToken(tx, account.id, 'verify_email', verifyEmailMinutes);
    await kernel.notify.email(tx, {
      to: account.email,
      locale: account.locale,
      key: 'identity.emails.verify',
      params: { name: account.displayName, link: emailLink(kernel.config, account.locale, '/verify-email', token) },
    });
    await record(tx, ctx, { action: identityEvents.verificationSent, targetType: 'account', targetId: account.id, subjectId: account.id });
  });
  return { email };
}
