import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { hashPassword } from '../../../kernel/auth/passwords.js';
import { authorize } from '../../../kernel/auth/policy.js';
import { hitRateLimit } from '../../../kernel/auth/throttle.js';
import type { Kernel } from '../../../kernel/module.js';
import { identityEvents } from '../audit.js';
import { findAccountByEmail, insertAccount } from '../data/accounts.js';
import { issueEmailToken } from '../data/email-tokens.js';
import { registerInput } from '../inputs/register.input.js';
import { identityPermissions } from '../policies/index.js';
import { emailLink, verifyEmailMinutes } from './links.js';

/**
 * A resident creates an account and is sent a link to confirm their email. If the address already
 * has an account, its owner is told by email instead, and the answer here is the same: nobody can
 * find out who has an account by trying to register.
 */
export async function register(kernel: Kernel, ctx: ActionContext, raw: unknown, pageLocale: 'en' | 'fr'): Promise<{ email: string }> {
  authorize(ctx.actor, identityPermissions.register, undefined);
  const input = registerInput.parse(raw);
  const locale = input.locale ?? pageLocale;
  if (ctx.client) await hitRateLimit(kernel.database.db, `register:${ctx.client.ip}`, 20, 3600);
  const passwordHash = await hashPassword(input.password);
  await kernel.database.transaction(async (tx) => {
    const existing = await findAccountByEmail(tx, input.email);
    if (existing) {
      await kernel.notify.email(tx, {
        to: existing.email,
        locale: existing.locale,
        key: 'identity.emails.alreadyRegistered',
        params: { signIn: `${kernel.config.publicUrl}/${existing.locale}/sign-in`, reset: `${kernel.config.publicUrl}/${existing.locale}/password-reset` },
      });
      return;
    }
    const account = await insertAccount(tx, { email: input.email, displayName: input.displayName, passwordHash, locale });
    const token = await issueEmailToken(tx, account.id, 'verify_email', verifyEmailMinutes);
    await kernel.notify.email(tx, {
      to: account.email,
      locale,
      key: 'identity.emails.verify',
      params: { name: account.displayName, link: emailLink(kernel.config, locale, '/verify-email', token) },
    });
    await record(tx, { ...ctx, actor: { ...ctx.actor, accountId: account.id } }, {
      action: identityEvents.accountRegistered,
      targetType: 'account',
      targetId: account.id,
      subjectId: account.id,
    });
  });
  return { email: input.email };
}
