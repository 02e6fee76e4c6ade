import { randomBytes } from 'node:crypto';
import type { App } from '../../../app.js';
import { system } from '../../../kernel/auth/actor.js';
import { setRoles } from '../data/memberships.js';
import type { IdentityApi, Organization } from '../index.js';

const ctx = { actor: system, requestId: 'test' };
let counter = 0;

function identity(app: App): IdentityApi {
  return app.apis.get('identity') as IdentityApi;
}

export async function makeOrganization(app: App, slug = `org-${++counter}-${randomBytes(2).toString('hex')}`): Promise<Organization> {
  return identity(app).ensureOrganization(ctx, { slug, name: { en: `Ministry ${slug}`, fr: `Ministère ${slug}` }, kind: 'ministry' });
}

export interface TestAccount {
  id: string;
  email: string;
  password: string;
}

/** A confirmed account, optionally superadmin and with roles in organizations. */
export async function makeAccount(
  app: App,
  options: { email?: string; superadmin?: boolean; roles?: Array<[organizationId: string, roles: string[]]>; locale?: 'en' | 'fr'; name?: string } = {},
): Promise<TestAccount> {
  const email = options.email ?? `person${++counter}-${randomBytes(3).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const account = await identity(app).createAccount(ctx, {
    email,
    displayName: options.name ?? `Person ${counter}`,
    password,
    locale: options.locale ?? 'en',
    superadmin: options.superadmin ?? false,
  });
  for (const [organizationId, roles] of options.roles ?? []) await setRoles(app.kernel.database.db, account.id, organizationId, roles, null);
  return { id: account.id, email, password };
}
