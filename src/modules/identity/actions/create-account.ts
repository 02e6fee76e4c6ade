import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { hashPassword } from '../../../kernel/auth/passwords.js';
import { authorize } from '../../../kernel/auth/policy.js';
import { Conflict } from '../../../kernel/errors/index.js';
import type { Kernel } from '../../../kernel/module.js';
import { identityEvents } from '../audit.js';
import { findAccountByEmail, insertAccount, toAccount } from '../data/accounts.js';
import { createAccountInput } from '../inputs/create-account.input.js';
import { identityPermissions } from '../policies/index.js';
import type { Account } from '../types.js';

/** A superadmin (or the command line) creates a confirmed account directly, e.g. the first superadmin. */
export async function createAccount(kernel: Kernel, ctx: ActionContext, raw: unknown): Promise<Account> {
  authorize(ctx.actor, identityPermissions.administerAccounts, undefined);
  const input = createAccountInput.parse(raw);
  const passwordHash = await hashPassword(input.password);
  return kernel.database.transaction(async (tx) => {
    if (await findAccountByEmail(tx, input.email)) throw new Conflict('identity.createAccount.email.taken', {}, 'email');
    const row = await insertAccount(tx, {
      email: input.email,
      displayName: input.displayName,
      passwordHash,
      locale: input.locale ?? 'en',
      superadmin: input.superadmin ?? false,
      emailVerifiedAt: new Date(),
    });
    await record(tx, ctx, { action: identityEvents.accountRegistered, targetType: 'account', targetId: row.id, subjectId: row.id, details: { via: 'administrator', superadmin: row.superadmin } });
    return toAccount(row);
  });
}
