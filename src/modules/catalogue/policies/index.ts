import { definePermission, hasRole } from '../../../kernel/auth/policy.js';
import type { Actor } from '../../../kernel/auth/actor.js';

/** What a permission needs to know about a dataset. */
export interface DatasetRef {
  organizationId: string;
  state: 'draft' | 'published' | 'deleted';
  accessLevel: 'open' | 'under_review' | 'restricted';
}

const signedIn = (actor: Actor) => actor.kind === 'account' || actor.kind === 'token';

/**
 * Who may see and change what in the catalogue. Published datasets are public (their metadata is
 * the inventory, whatever their access level); drafts belong to the owning organization's editors;
 * deleted datasets to its administrators. Resources of datasets that are not open are for the
 * owning organization only.
 */
export const cataloguePermissions = {
  viewDataset: definePermission<DatasetRef>('catalogue.dataset.read', 'catalogue:read', (actor, d) =>
    d.state === 'published' ? true : d.state === 'draft' ? hasRole(actor, d.organizationId, 'editor') : hasRole(actor, d.organizationId, 'admin'),
  ),
  viewResources: definePermission<DatasetRef>('catalogue.resource.read', 'catalogue:read', (actor, d) =>
    d.accessLevel === 'open' ? d.state === 'published' || hasRole(actor, d.organizationId, 'editor') : hasRole(actor, d.organizationId, 'viewer'),
  ),
  createDataset: definePermission<{ organizationId: string }>('catalogue.dataset.create', 'catalogue:write', (actor, o) => hasRole(actor, o.organizationId, 'editor')),
  editDataset: definePermission<DatasetRef>('catalogue.dataset.update', 'catalogue:write', (actor, d) => d.state !== 'deleted' && hasRole(actor, d.organizationId, 'editor')),
  deleteDataset: definePermission<DatasetRef>('catalogue.dataset.delete', 'catalogue:write', (actor, d) => hasRole(actor, d.organizationId, 'editor')),
  registerStandard: definePermission<{ organizationId: string }>('catalogue.standard.create', 'catalogue:write', (actor, o) => hasRole(actor, o.organizationId, 'editor')),
  manageGroups: definePermission('catalogue.group.manage', 'platform:admin', (actor) => actor.superadmin),
  manageHarvest: definePermission('catalogue.harvest.manage', 'platform:admin', (actor) => actor.superadmin),
  requestDataset: definePermission('catalogue.request.create', 'catalogue:write', () => true),
  voteOnRequest: definePermission('catalogue.request.vote', 'catalogue:write', (actor) => signedIn(actor)),
  answerRequest: definePermission<{ organizationId: string | null }>('catalogue.request.answer', 'catalogue:write', (actor, r) =>
    actor.superadmin || (!!r.organizationId && hasRole(actor, r.organizationId, 'editor')),
  ),
};

/** Organizations whose drafts the actor may see (editor or above). */
export function editableOrganizations(actor: Actor): string[] {
  return [...new Set(actor.memberships.filter((m) => m.role === 'editor' || m.role === 'admin').map((m) => m.organizationId))];
}
