import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { authorize, can } from '../../../kernel/auth/policy.js';
import { Conflict, InputError, NotFound } from '../../../kernel/errors/index.js';
import type { Kernel } from '../../../kernel/module.js';
import { identityEvents } from '../audit.js';
import { allOrganizations, ancestorIds, childrenOf, findOrganization, insertOrganization, listOrganizations, updateOrganization } from '../data/organizations.js';
import { createOrganizationInput, updateOrganizationInput } from '../inputs/organization.input.js';
import { identityPermissions } from '../policies/index.js';
import type { Organization, Page } from '../types.js';

/** Public: anyone may list and read organizations (names, kinds and structure are open data). */
export async function searchOrganizations(kernel: Kernel, query: { q?: string; limit?: number; offset?: number; locale: 'en' | 'fr' }): Promise<Page<Organization>> {
  return listOrganizations(kernel.database.db, {
    locale: query.locale,
    limit: Math.min(Math.max(query.limit ?? 20, 1), 100),
    offset: Math.max(query.offset ?? 0, 0),
    ...(query.q ? { q: query.q } : {}),
  });
}

export interface OrganizationDetail {
  organization: Organization;
  parent: Organization | null;
  children: Organization[];
  canEdit: boolean;
  canManageMembers: boolean;
}

export async function getOrganization(kernel: Kernel, ctx: ActionContext, slug: string): Promise<OrganizationDetail> {
  const db = kernel.database.db;
  const organization = await findOrganization(db, slug);
  if (!organization) throw new NotFound();
  const [parent, children] = await Promise.all([
    organization.parentId ? findOrganization(db, organization.parentId) : null,
    childrenOf(db, organization.id),
  ]);
  return {
    organization,
    parent,
    children,
    canEdit: can(ctx.actor, identityPermissions.updateOrganization, organization),
    canManageMembers: can(ctx.actor, identityPermissions.manageMembers, organization),
  };
}

function bilingual(en: string | undefined, fr: string | undefined) {
  return { ...(en ? { en } : {}), ...(fr ? { fr } : {}) };
}

/** What the "new organization" form needs: possible parents (superadmins only). */
export async function prepareNewOrganization(kernel: Kernel, ctx: ActionContext): Promise<{ parents: Organization[] }> {
  authorize(ctx.actor, identityPermissions.createOrganization, undefined);
  return { parents: await allOrganizations(kernel.database.db) };
}

/** What the edit form needs: the organization and the parents it may be moved under. */
export async function prepareEditOrganization(kernel: Kernel, ctx: ActionContext, slug: string): Promise<{ organization: Organization; parents: Organization[]; canMove: boolean }> {
  const organization = await findOrganization(kernel.database.db, slug);
  if (!organization) throw new NotFound();
  authorize(ctx.actor, identityPermissions.updateOrganization, organization);
  const canMove = can(ctx.actor, identityPermissions.moveOrganization, organization);
  const parents = canMove ? (await allOrganizations(kernel.database.db)).filter((o) => o.id !== organization.id) : [];
  return { organization, parents, canMove };
}

const reservedSlugs = new Set(['new']);

export async function createOrganization(kernel: Kernel, ctx: ActionContext, raw: unknown): Promise<Organization> {
  authorize(ctx.actor, identityPermissions.createOrganization, undefined);
  const input = createOrganizationInput.parse(raw);
  return kernel.database.transaction(async (tx) => {
    if (reservedSlugs.has(input.slug) || (await findOrganization(tx, input.slug))) throw new Conflict('identity.organization.slug.taken', {}, 'slug');
    if (input.parentId && !(await findOrganization(tx, input.parentId))) throw InputError.field('parentId', 'invalid', 'identity.organization.parentId.invalid');
    const organization = await insertOrganization(tx, {
      slug: input.slug,
      name: { en: input.nameEn, fr: input.nameFr },
      acronym: bilingual(input.acronymEn, input.acronymFr),
      kind: input.kind,
      parentId: input.parentId ?? null,
    });
    await record(tx, ctx, { action: identityEvents.organizationCreated, organizationId: organization.id, targetType: 'organization', targetId: organization.id, details: { slug: organization.slug } });
    return organization;
  });
}

/** Organization admins edit names and kind; only superadmins move an organization under another. */
export async function editOrganization(kernel: Kernel, ctx: ActionContext, slug: string, raw: unknown): Promise<Organization> {
  const db = kernel.database.db;
  const current = await findOrganization(db, slug);
  if (!current) throw new NotFound();
  authorize(ctx.actor, identityPermissions.updateOrganization, current);
  const input = updateOrganizationInput.parse(raw);
  const parentId = input.parentId ?? null;
  const moving = parentId !== current.parentId;
  if (moving) {
    authorize(ctx.actor, identityPermissions.moveOrganization, current);
    if (parentId && (await ancestorIds(db, parentId)).includes(current.id)) {
      throw InputError.field('parentId', 'loop', 'identity.organization.parentId.loop');
    }
    if (parentId && !(await findOrganization(db, parentId))) throw InputError.field('parentId', 'invalid', 'identity.organization.parentId.invalid');
  }
  return kernel.database.transaction(async (tx) => {
    const organization = await updateOrganization(tx, current.id, {
      name: { en: input.nameEn, fr: input.nameFr },
      acronym: bilingual(input.acronymEn, input.acronymFr),
      kind: input.kind,
      parentId,
    });
    await record(tx, ctx, { action: identityEvents.organizationUpdated, organizationId: current.id, targetType: 'organization', targetId: current.id });
    return organization;
  });
}
