import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { authorize } from '../../../kernel/auth/policy.js';
import { getToken, issueToken, listTokens, revokeToken, type ApiTokenSummary } from '../../../kernel/auth/tokens.js';
import { InputError, NotAllowed, NotFound } from '../../../kernel/errors/index.js';
import type { Kernel } from '../../../kernel/module.js';
import { identityEvents } from '../audit.js';
import { createTokenInput } from '../inputs/api-token.input.js';
import { identityPermissions } from '../policies/index.js';

function self(ctx: ActionContext) {
  if (!ctx.actor.accountId) throw new NotAllowed();
  return { accountId: ctx.actor.accountId };
}

export async function listMyTokens(kernel: Kernel, ctx: ActionContext): Promise<ApiTokenSummary[]> {
  const owner = self(ctx);
  authorize(ctx.actor, identityPermissions.listTokens, owner);
  return listTokens(kernel.database.db, owner.accountId);
}

/** Creates an API token; the secret is returned once and never stored. */
export async function createMyToken(kernel: Kernel, ctx: ActionContext, raw: unknown): Promise<{ secret: string; token: ApiTokenSummary }> {
  const owner = self(ctx);
  authorize(ctx.actor, identityPermissions.manageTokens, owner);
  const input = createTokenInput.parse(raw);
  const scopes = [...new Set(input.scopes)];
  if (scopes.some((s) => !kernel.access.isScope(s))) throw InputError.field('scopes', 'invalid', 'identity.token.scopes.invalid');
  // Only superadmins may hold platform administration scopes; a token never exceeds its owner.
  if (scopes.includes('platform:admin') && !ctx.actor.superadmin) throw InputError.field('scopes', 'invalid', 'identity.token.scopes.notYours');
  const expiresAt = new Date(Date.now() + input.days * 86_400_000);
  return kernel.database.transaction(async (tx) => {
    const created = await issueToken(tx, { accountId: owner.accountId, name: input.name, scopes, expiresAt });
    await record(tx, ctx, { action: identityEvents.tokenCreated, targetType: 'api_token', targetId: created.token.id, subjectId: owner.accountId, details: { scopes, expiresAt: expiresAt.toISOString() } });
    return created;
  });
}

export async function revokeMyToken(kernel: Kernel, ctx: ActionContext, tokenId: string): Promise<void> {
  const owner = self(ctx);
  authorize(ctx.actor, identityPermissions.manageTokens, owner);
  await kernel.database.transaction(async (tx) => {
    const token = await getToken(tx, tokenId);
    // Someone else's token is "not found": its existence is not this person's to know.
    if (!token || token.accountId !== owner.accountId) throw new NotFound();
    if (!(await revokeToken(tx, tokenId))) return;
    await record(tx, ctx, { action: identityEvents.tokenRevoked, targetType: 'api_token', targetId: tokenId, subjectId: owner.accountId });
  });
}
