/**
 * The identity module's public surface: what other modules may use. Everything else in this folder
 * is private to the module.
 */
import type { AccountDirectory } from '../../kernel/auth/actor.js';
import type { ActionContext } from '../../kernel/audit/index.js';
import type { Bilingual } from '../../kernel/i18n/index.js';
import type { Account, Organization } from './types.js';
import type { OrganizationKind } from './schema.js';

export type { Account, Organization, Member, MembershipView } from './types.js';
export type { OrganizationKind } from './schema.js';
export { identityPermissions } from './policies/index.js';

export interface IdentityApi {
  /** An organization by id or slug, or null. */
  getOrganization(idOrSlug: string): Promise<Organization | null>;
  /** Every organization, by English name. */
  listOrganizations(): Promise<Organization[]>;
  /** Organizations with these ids (missing ids are skipped). */
  organizationsByIds(ids: string[]): Promise<Organization[]>;
  /** Account ids of the organization's active members holding any of these roles (no personal data). */
  memberIds(organizationId: string, roles: readonly string[]): Promise<string[]>;
  /**
   * Returns the organization with this slug, creating it if there is none (imports and demo data).
   * Requires a superadmin or the system actor.
   */
  ensureOrganization(
    ctx: ActionContext,
    organization: { slug: string; name: Bilingual; kind: OrganizationKind; acronym?: Bilingual; parentId?: string | null },
  ): Promise<Organization>;
  /** Creates a confirmed account (superadmin or system actor), e.g. `trillium user create`. */
  createAccount(
    ctx: ActionContext,
    account: { email: string; displayName: string; password: string; locale?: 'en' | 'fr'; superadmin?: boolean },
  ): Promise<Account>;
  /** Tells the kernel who a signed-in account is. */
  accountDirectory: AccountDirectory;
}

export { identityModule } from './module.js';
