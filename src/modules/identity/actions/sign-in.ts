import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { needsRehash, hashPassword, verifyAgainstNothing, verifyPassword } from '../../../kernel/auth/passwords.js';
import { createSession, endSession } from '../../../kernel/auth/sessions.js';
import { checkThrottle, clearFailures, recordFailure } from '../../../kernel/auth/throttle.js';
import { InputError } from '../../../kernel/errors/index.js';
import type { Kernel } from '../../../kernel/module.js';
import { identityEvents } from '../audit.js';
import { findAccountByEmail, updateAccount } from '../data/accounts.js';
import { signInInput } from '../inputs/sign-in.input.js';

export interface SignedIn {
  accountId: string;
  /** The new session's cookie value. */
  sessionToken: string;
  locale: 'en' | 'fr';
}

/**
 * Checks email and password and starts a new session (any session the browser had is ended, so a
 * session id planted before sign-in is worthless). Failed attempts slow down further attempts for
 * that account and that address. The error never says which of email or password was wrong.
 */
export async function signIn(kernel: Kernel, ctx: ActionContext, raw: unknown): Promise<SignedIn> {
  const input = signInInput.parse(raw);
  const db = kernel.database.db;
  const accountKey = `account:${input.email.toLowerCase()}`;
  const ipKey = `ip:${ctx.client?.ip ?? 'unknown'}`;
  await checkThrottle(db, [
    { key: accountKey, allowed: kernel.config.signInMaxFailures },
    { key: ipKey, allowed: kernel.config.signInMaxFailuresPerAddress },
  ]);
  const account = await findAccountByEmail(db, input.email);
  const valid = account ? await verifyPassword(account.passwordHash, input.password) : await verifyAgainstNothing(input.password);
  if (!account || !valid) {
    await recordFailure(db, [accountKey, ipKey]);
    throw InputError.field('email', 'credentials', 'identity.signIn.wrong');
  }
  if (account.status !== 'active') throw InputError.field('email', 'deactivated', 'identity.signIn.deactivated');
  if (!account.emailVerifiedAt) throw InputError.field('email', 'unverified', 'identity.signIn.unverified');

  const rehash = needsRehash(account.passwordHash) ? await hashPassword(input.password) : null;
  return kernel.database.transaction(async (tx) => {
    await clearFailures(tx, accountKey);
    if (ctx.actor.sessionId) await endSession(tx, ctx.actor.sessionId);
    const session = await createSession(tx, account.id, ctx.client ?? {});
    await updateAccount(tx, account.id, { lastSignInAt: new Date(), ...(rehash ? { passwordHash: rehash } : {}) });
    await record(tx, { ...ctx, actor: { ...ctx.actor, kind: 'account', accountId: account.id } }, {
      action: identityEvents.signedIn,
      targetType: 'session',
      targetId: session.id,
      subjectId: account.id,
    });
    return { accountId: account.id, sessionToken: session.token, locale: account.locale };
  });
}

/** Ends the current browser session. */
export async function signOut(kernel: Kernel, ctx: ActionContext): Promise<void> {
  const sessionId = ctx.actor.sessionId;
  if (!sessionId) return;
  await kernel.database.transaction(async (tx) => {
    await endSession(tx, sessionId);
    await record(tx, ctx, { action: identityEvents.signedOut, targetType: 'session', targetId: sessionId, subjectId: ctx.actor.accountId });
  });
}
