import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { authorize } from '../../../kernel/auth/policy.js';
import { Conflict, InputError, NotFound } from '../../../kernel/errors/index.js';
import type { Organization } from '../../identity/index.js';
import { allSources, findSource, harvestJob, insertSource, runsOf, setLastJob, updateSource } from '../harvest/data.js';
import { harvestEvents } from '../harvest/events.js';
import { harvestSourceEditInput, harvestSourceInput } from '../harvest/source.input.js';
import type { HarvestSource, HarvestSourceDetail } from '../harvest/types.js';
import { cataloguePermissions } from '../policies/index.js';
import type { CatalogueDeps } from './datasets.js';

/**
 * Harvest sources: catalogues (CKAN sites, DCAT JSON-LD catalogues) whose datasets Trillium
 * imports and keeps up to date. Superadmins manage them and start harvests; harvests run as jobs.
 */
export async function listHarvestSources(deps: CatalogueDeps, ctx: ActionContext): Promise<HarvestSource[]> {
  authorize(ctx.actor, cataloguePermissions.manageHarvest, undefined);
  return allSources(deps.kernel.database.db);
}

/** The organizations a source's datasets may default to (the form offers them). */
export async function prepareHarvestSourceForm(deps: CatalogueDeps, ctx: ActionContext): Promise<Organization[]> {
  authorize(ctx.actor, cataloguePermissions.manageHarvest, undefined);
  return deps.identity.listOrganizations();
}

async function checkOrganization(deps: CatalogueDeps, organizationId: string): Promise<void> {
  if (!(await deps.identity.getOrganization(organizationId))) {
    throw InputError.field('organizationId', 'invalid', 'catalogue.harvest.errors.organizationId.required');
  }
}

export async function createHarvestSource(deps: CatalogueDeps, ctx: ActionContext, raw: unknown): Promise<HarvestSource> {
  authorize(ctx.actor, cataloguePermissions.manageHarvest, undefined);
  const input = harvestSourceInput.parse(raw);
  await checkOrganization(deps, input.organizationId);
  return deps.kernel.database.transaction(async (tx) => {
    // `new` is the address of the form that creates sources.
    if (input.name === 'new' || (await findSource(tx, input.name))) throw new Conflict('catalogue.harvest.errors.name.taken', {}, 'name');
    const source = await insertSource(tx, {
      name: input.name,
      title: { en: input.titleEn, fr: input.titleFr },
      kind: input.kind,
      url: input.url,
      organizationId: input.organizationId,
      createdBy: ctx.actor.accountId,
    });
    await record(tx, ctx, { action: harvestEvents.sourceCreated, targetType: 'harvest_source', targetId: source.id, details: { name: source.name, kind: source.kind, url: source.url } });
    return source;
  });
}

async function sourceOrNotFound(deps: CatalogueDeps, idOrName: string): Promise<HarvestSource> {
  const source = await findSource(deps.kernel.database.db, idOrName);
  if (!source) throw new NotFound();
  return source;
}

export async function editHarvestSource(deps: CatalogueDeps, ctx: ActionContext, idOrName: string, raw: unknown): Promise<HarvestSource> {
  authorize(ctx.actor, cataloguePermissions.manageHarvest, undefined);
  const current = await sourceOrNotFound(deps, idOrName);
  const input = harvestSourceEditInput.parse(raw);
  await checkOrganization(deps, input.organizationId);
  return deps.kernel.database.transaction(async (tx) => {
    const source = await updateSource(tx, current.id, { title: { en: input.titleEn, fr: input.titleFr }, kind: input.kind, url: input.url, organizationId: input.organizationId });
    const changed: string[] = (['kind', 'url', 'organizationId'] as const).filter((k) => current[k] !== source[k]);
    if (JSON.stringify(current.title) !== JSON.stringify(source.title)) changed.push('title');
    await record(tx, ctx, { action: harvestEvents.sourceUpdated, targetType: 'harvest_source', targetId: source.id, details: { name: source.name, changed } });
    return source;
  });
}

/** A source with its newest harvest (and its progress) and the ones before. */
export async function getHarvestSource(deps: CatalogueDeps, ctx: ActionContext, idOrName: string): Promise<HarvestSourceDetail> {
  authorize(ctx.actor, cataloguePermissions.manageHarvest, undefined);
  const source = await sourceOrNotFound(deps, idOrName);
  const [runs, organization] = await Promise.all([runsOf(deps.kernel.database.db, source.id), deps.identity.getOrganization(source.organizationId)]);
  return { source, organization: organization ? { slug: organization.slug, name: organization.name } : null, job: runs[0] ?? null, runs };
}

/**
 * Starts a harvest now, as a background job the starting superadmin can follow. While one runs for
 * the source, asking again gives the running one (and nothing new is recorded).
 */
export async function startHarvest(deps: CatalogueDeps, ctx: ActionContext, idOrName: string): Promise<{ source: HarvestSource; jobId: string; alreadyRunning: boolean }> {
  authorize(ctx.actor, cataloguePermissions.manageHarvest, undefined);
  const source = await sourceOrNotFound(deps, idOrName);
  return deps.kernel.database.transaction(async (tx) => {
    const jobId = await deps.kernel.jobs.enqueue(tx, harvestJob, { sourceId: source.id }, { ownerId: ctx.actor.accountId, uniqueKey: `harvest:${source.id}`, maxAttempts: 1 });
    const alreadyRunning = jobId === source.lastJobId;
    if (!alreadyRunning) {
      await setLastJob(tx, source.id, jobId);
      await record(tx, ctx, { action: harvestEvents.started, targetType: 'harvest_source', targetId: source.id, details: { name: source.name, jobId } });
    }
    return { source: { ...source, lastJobId: jobId }, jobId, alreadyRunning };
  });
}
