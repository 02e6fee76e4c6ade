import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { authorize } from '../../../kernel/auth/policy.js';
import { Conflict, NotFound } from '../../../kernel/errors/index.js';
import { catalogueEvents } from '../audit.js';
import { allGroups, allLicences, findGroup, insertGroup, updateGroup } from '../data/reference.js';
import { groupInput } from '../inputs/group.input.js';
import { cataloguePermissions } from '../policies/index.js';
import type { Group, Licence } from '../types.js';
import type { CatalogueDeps } from './datasets.js';

export function listGroups(deps: CatalogueDeps): Promise<Group[]> {
  return allGroups(deps.kernel.database.db);
}

export function listLicences(deps: CatalogueDeps): Promise<Licence[]> {
  return allLicences(deps.kernel.database.db);
}

export async function getGroup(deps: CatalogueDeps, name: string): Promise<Group> {
  const group = await findGroup(deps.kernel.database.db, name);
  if (!group) throw new NotFound();
  return group;
}

/** Superadmins keep the list of groups (themes) datasets are filed under. */
export async function createGroup(deps: CatalogueDeps, ctx: ActionContext, raw: unknown): Promise<Group> {
  authorize(ctx.actor, cataloguePermissions.manageGroups, undefined);
  const input = groupInput.parse(raw);
  return deps.kernel.database.transaction(async (tx) => {
    if (await findGroup(tx, input.name)) throw new Conflict('catalogue.errors.group.name.taken', {}, 'name');
    const group = await insertGroup(tx, {
      name: input.name,
      title: { en: input.titleEn, fr: input.titleFr },
      description: { ...(input.descriptionEn ? { en: input.descriptionEn } : {}), ...(input.descriptionFr ? { fr: input.descriptionFr } : {}) },
    });
    await record(tx, ctx, { action: catalogueEvents.groupCreated, targetType: 'group', targetId: group.id, details: { name: group.name } });
    return group;
  });
}

export async function editGroup(deps: CatalogueDeps, ctx: ActionContext, name: string, raw: unknown): Promise<Group> {
  authorize(ctx.actor, cataloguePermissions.manageGroups, undefined);
  const input = groupInput.parse({ ...(raw as object), name });
  return deps.kernel.database.transaction(async (tx) => {
    if (!(await findGroup(tx, name))) throw new NotFound();
    const group = await updateGroup(tx, name, {
      title: { en: input.titleEn, fr: input.titleFr },
      description: { ...(input.descriptionEn ? { en: input.descriptionEn } : {}), ...(input.descriptionFr ? { fr: input.descriptionFr } : {}) },
    });
    await record(tx, ctx, { action: catalogueEvents.groupUpdated, targetType: 'group', targetId: group.id });
    return group;
  });
}
