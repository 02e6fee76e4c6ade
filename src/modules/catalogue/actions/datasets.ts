import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { authorize, can } from '../../../kernel/auth/policy.js';
import { Conflict, InputError, NotFound, type FieldError } from '../../../kernel/errors/index.js';
import type { Bilingual } from '../../../kernel/i18n/index.js';
import type { Kernel } from '../../../kernel/module.js';
import type { Db } from '../../../kernel/db/index.js';
import type { IdentityApi } from '../../identity/index.js';
import { catalogueEvents } from '../audit.js';
import { afterDatasetChange } from '../data/changes.js';
import {
  findDataset,
  insertDataset,
  learnWords,
  listVersions,
  metadataOf,
  saveVersion,
  toDataset,
  updateDataset,
  type DatasetRow,
  type DatasetValues,
} from '../data/datasets.js';
import { allGroups, allLicences } from '../data/reference.js';
import { resourcesOfMany, toResource } from '../data/resources.js';
import { datasetInput } from '../inputs/dataset.input.js';
import { cataloguePermissions } from '../policies/index.js';
import type { Dataset, Group, Licence, Resource } from '../types.js';

export interface CatalogueDeps {
  kernel: Kernel;
  identity: IdentityApi;
}

/** Keywords typed as "roads, bridges; transit" become ["roads", "bridges", "transit"]. */
export function splitKeywords(text: string | undefined): string[] {
  return [...new Set((text ?? '').split(/[,;\n]/).map((k) => k.trim()).filter(Boolean))].slice(0, 50);
}

function bilingual(en: string | undefined, fr: string | undefined): Bilingual {
  return { ...(en ? { en } : {}), ...(fr ? { fr } : {}) };
}

/**
 * A dataset the actor may see, or NotFound: drafts and deleted datasets do not exist for people
 * who may not see them.
 */
/** "Did you mean" learns only from what the public can see: a draft's words stay private. */
function learnPublishedWords(tx: Db, row: DatasetRow): Promise<void> {
  return learnWords(tx, [row.title.en ?? '', row.title.fr ?? '', ...row.keywords.en, ...row.keywords.fr]);
}

async function visibleDataset(deps: CatalogueDeps, ctx: ActionContext, idOrName: string): Promise<DatasetRow> {
  const row = await findDataset(deps.kernel.database.db, idOrName);
  if (!row || !can(ctx.actor, cataloguePermissions.viewDataset, row)) throw new NotFound();
  return row;
}

export interface DatasetDetail {
  dataset: Dataset;
  /** Null when the actor may not see them (restricted or under review, and not of the organization). */
  resources: Resource[] | null;
  licence: Licence | null;
  groups: Group[];
  permissions: { edit: boolean; delete: boolean; viewResources: boolean };
}

export async function getDataset(deps: CatalogueDeps, ctx: ActionContext, idOrName: string): Promise<DatasetDetail> {
  const row = await visibleDataset(deps, ctx, idOrName);
  const [detail] = await detailsOf(deps, ctx, [toDataset(row)]);
  return detail!;
}

/**
 * Full details of datasets the caller already found (a search page), in their order: those the
 * actor may not see are left out. One query for all their resources, whatever their number.
 */
export async function getDatasets(deps: CatalogueDeps, ctx: ActionContext, found: Dataset[]): Promise<DatasetDetail[]> {
  return detailsOf(deps, ctx, found.filter((d) => can(ctx.actor, cataloguePermissions.viewDataset, d)));
}

async function detailsOf(deps: CatalogueDeps, ctx: ActionContext, visible: Dataset[]): Promise<DatasetDetail[]> {
  const db = deps.kernel.database.db;
  const withResources = visible.filter((d) => can(ctx.actor, cataloguePermissions.viewResources, d)).map((d) => d.id);
  const [resourceRows, licences, groups] = await Promise.all([resourcesOfMany(db, withResources), allLicences(db), allGroups(db)]);
  return visible.map((dataset) => {
    const viewResources = withResources.includes(dataset.id);
    return {
      dataset,
      resources: viewResources ? resourceRows.filter((r) => r.datasetId === dataset.id).map(toResource) : null,
      licence: licences.find((l) => l.id === dataset.licenceId) ?? null,
      groups: groups.filter((g) => dataset.groups.includes(g.name)),
      permissions: {
        edit: can(ctx.actor, cataloguePermissions.editDataset, dataset),
        delete: can(ctx.actor, cataloguePermissions.deleteDataset, dataset),
        viewResources,
      },
    };
  });
}

/** The organizations the actor may publish for (the dataset form offers these), or NotAllowed. */
export async function prepareNewDataset(deps: CatalogueDeps, ctx: ActionContext) {
  const organizations = (await deps.identity.listOrganizations()).filter((o) => can(ctx.actor, cataloguePermissions.createDataset, { organizationId: o.id }));
  if (!organizations.length) authorize(ctx.actor, cataloguePermissions.createDataset, { organizationId: '' });
  return organizations;
}

/** A dataset for its edit form (or its deletion page), refused to those who may not change it. */
export async function datasetForChange(deps: CatalogueDeps, ctx: ActionContext, idOrName: string, change: 'edit' | 'delete'): Promise<DatasetDetail> {
  const detail = await getDataset(deps, ctx, idOrName);
  const row = await visibleDataset(deps, ctx, idOrName);
  authorize(ctx.actor, change === 'edit' ? cataloguePermissions.editDataset : cataloguePermissions.deleteDataset, row);
  return detail;
}

/** Checks what a schema cannot: references exist, dates in order, a reason when not open. */
async function checkReferences(deps: CatalogueDeps, input: ReturnType<typeof datasetInput.parse>): Promise<void> {
  const db = deps.kernel.database.db;
  const problems: FieldError[] = [];
  if (input.licenceId && !(await allLicences(db)).some((l) => l.id === input.licenceId)) {
    problems.push({ field: 'licenceId', rule: 'invalid', messageKey: 'catalogue.errors.dataset.licenceId.invalid' });
  }
  const groupNames = new Set((await allGroups(db)).map((g) => g.name));
  if (input.groups?.some((g) => !groupNames.has(g))) problems.push({ field: 'groups', rule: 'invalid', messageKey: 'catalogue.errors.dataset.groups.invalid' });
  if (input.temporalStart && input.temporalEnd && input.temporalEnd < input.temporalStart) {
    problems.push({ field: 'temporalEnd', rule: 'order', messageKey: 'catalogue.errors.dataset.temporalEnd.order' });
  }
  if (input.accessLevel !== 'open' && !input.exemptionReasonEn && !input.exemptionReasonFr) {
    problems.push({ field: 'exemptionReasonEn', rule: 'required', messageKey: 'catalogue.errors.dataset.exemptionReasonEn.required' });
  }
  if (problems.length) throw new InputError(problems);
}

type EditableValues = Omit<DatasetValues, 'state' | 'title' | 'description' | 'exemptionReason' | 'accessLevel' | 'licenceId'> &
  Pick<DatasetRow, 'title' | 'description' | 'exemptionReason' | 'accessLevel' | 'licenceId'>;

function valuesFrom(input: ReturnType<typeof datasetInput.parse>, organization: { slug: string; name: Bilingual }): EditableValues {
  return {
    name: input.name,
    organizationId: input.organizationId,
    organization,
    title: bilingual(input.titleEn, input.titleFr),
    description: bilingual(input.descriptionEn, input.descriptionFr),
    keywords: { en: splitKeywords(input.keywordsEn), fr: splitKeywords(input.keywordsFr) },
    groups: [...new Set(input.groups ?? [])],
    licenceId: input.licenceId ?? null,
    accessLevel: input.accessLevel,
    exemptionReason: input.accessLevel === 'open' ? {} : bilingual(input.exemptionReasonEn, input.exemptionReasonFr),
    contact: { ...(input.contactName ? { name: input.contactName } : {}), ...(input.contactEmail ? { email: input.contactEmail } : {}) },
    updateFrequency: input.updateFrequency ?? null,
    temporalStart: input.temporalStart ?? null,
    temporalEnd: input.temporalEnd ?? null,
    spatial: bilingual(input.spatialEn, input.spatialFr),
  };
}

/**
 * What publishing needs, in both languages: title and description, a licence for open data, and
 * the reason when the data is not open. Each missing piece is named by its form field.
 */
export function publicationProblems(row: Pick<DatasetRow, 'title' | 'description' | 'licenceId' | 'accessLevel' | 'exemptionReason'>): FieldError[] {
  const problems: FieldError[] = [];
  const need = (value: string | undefined, field: string) => {
    if (!value?.trim()) problems.push({ field, rule: 'publish', messageKey: `catalogue.errors.publish.${field}` });
  };
  need(row.title.en, 'titleEn');
  need(row.title.fr, 'titleFr');
  need(row.description.en, 'descriptionEn');
  need(row.description.fr, 'descriptionFr');
  if (row.accessLevel === 'open' && !row.licenceId) problems.push({ field: 'licenceId', rule: 'publish', messageKey: 'catalogue.errors.publish.licenceId' });
  if (row.accessLevel !== 'open') {
    need(row.exemptionReason.en, 'exemptionReasonEn');
    need(row.exemptionReason.fr, 'exemptionReasonFr');
  }
  return problems;
}

async function organizationSnapshot(deps: CatalogueDeps, organizationId: string) {
  const organization = await deps.identity.getOrganization(organizationId);
  if (!organization) throw InputError.field('organizationId', 'invalid', 'catalogue.errors.dataset.organizationId.required');
  return { slug: organization.slug, name: organization.name };
}

/** An editor starts a dataset as a draft of their organization. */
export async function createDataset(deps: CatalogueDeps, ctx: ActionContext, raw: unknown): Promise<Dataset> {
  const input = datasetInput.parse(raw);
  authorize(ctx.actor, cataloguePermissions.createDataset, { organizationId: input.organizationId });
  await checkReferences(deps, input);
  const organization = await organizationSnapshot(deps, input.organizationId);
  return deps.kernel.database.transaction(async (tx) => {
    if (await findDataset(tx, input.name)) throw new Conflict('catalogue.errors.dataset.name.taken', {}, 'name');
    const row = await insertDataset(tx, { ...valuesFrom(input, organization), state: 'draft', createdBy: ctx.actor.accountId, modifiedBy: ctx.actor.accountId });
    await saveVersion(tx, row, ctx.actor.accountId);
    await afterDatasetChange(tx, row.id);
    await record(tx, ctx, { action: catalogueEvents.datasetCreated, organizationId: row.organizationId, targetType: 'dataset', targetId: row.id, details: { name: row.name } });
    return toDataset((await findDataset(tx, row.id))!);
  });
}

/**
 * Saves a new version of the metadata. A published dataset must stay complete; a change made by
 * someone else since the form was opened is refused rather than overwritten.
 */
export async function editDataset(deps: CatalogueDeps, ctx: ActionContext, idOrName: string, raw: unknown): Promise<Dataset> {
  const current = await visibleDataset(deps, ctx, idOrName);
  authorize(ctx.actor, cataloguePermissions.editDataset, current);
  const input = datasetInput.parse(raw);
  if (input.organizationId !== current.organizationId) authorize(ctx.actor, cataloguePermissions.createDataset, { organizationId: input.organizationId });
  await checkReferences(deps, input);
  const organization = await organizationSnapshot(deps, input.organizationId);
  const values = valuesFrom(input, organization);
  if (current.state === 'published') {
    const problems = publicationProblems(values);
    if (problems.length) throw new InputError(problems);
  }
  return deps.kernel.database.transaction(async (tx) => {
    const locked = await findDataset(tx, current.id);
    if (input.version !== undefined && locked!.version !== input.version) throw new Conflict('catalogue.errors.dataset.version.conflict', {}, 'version');
    if (input.name !== current.name && (await findDataset(tx, input.name))) throw new Conflict('catalogue.errors.dataset.name.taken', {}, 'name');
    const row = await updateDataset(tx, current.id, { ...values, modifiedBy: ctx.actor.accountId });
    await saveVersion(tx, row, ctx.actor.accountId);
    await afterDatasetChange(tx, row.id);
    if (row.state === 'published') await learnPublishedWords(tx, row);
    const before = metadataOf(current);
    const after = metadataOf(row);
    const changed = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    await record(tx, ctx, { action: catalogueEvents.datasetUpdated, organizationId: row.organizationId, targetType: 'dataset', targetId: row.id, details: { changed, version: row.version } });
    return toDataset((await findDataset(tx, row.id))!);
  });
}

/** Makes a complete draft public. */
export async function publishDataset(deps: CatalogueDeps, ctx: ActionContext, idOrName: string): Promise<Dataset> {
  const current = await visibleDataset(deps, ctx, idOrName);
  authorize(ctx.actor, cataloguePermissions.editDataset, current);
  const problems = publicationProblems(current);
  if (problems.length) throw new InputError(problems);
  if (current.state === 'published') return toDataset(current);
  return deps.kernel.database.transaction(async (tx) => {
    const row = await updateDataset(tx, current.id, { state: 'published', publishedAt: current.publishedAt ?? new Date(), modifiedBy: ctx.actor.accountId });
    await saveVersion(tx, row, ctx.actor.accountId);
    await afterDatasetChange(tx, row.id);
    await learnPublishedWords(tx, row);
    await record(tx, ctx, { action: catalogueEvents.datasetPublished, organizationId: row.organizationId, targetType: 'dataset', targetId: row.id });
    return toDataset(row);
  });
}

/** Takes a published dataset back to draft (it disappears from the public catalogue). */
export async function unpublishDataset(deps: CatalogueDeps, ctx: ActionContext, idOrName: string): Promise<Dataset> {
  const current = await visibleDataset(deps, ctx, idOrName);
  authorize(ctx.actor, cataloguePermissions.editDataset, current);
  if (current.state !== 'published') return toDataset(current);
  return deps.kernel.database.transaction(async (tx) => {
    const row = await updateDataset(tx, current.id, { state: 'draft', modifiedBy: ctx.actor.accountId });
    await saveVersion(tx, row, ctx.actor.accountId);
    await afterDatasetChange(tx, row.id);
    await record(tx, ctx, { action: catalogueEvents.datasetUnpublished, organizationId: row.organizationId, targetType: 'dataset', targetId: row.id });
    return toDataset(row);
  });
}

/** Deletes a dataset: it leaves the catalogue; its administrators can still see it. */
export async function deleteDataset(deps: CatalogueDeps, ctx: ActionContext, idOrName: string): Promise<void> {
  const current = await visibleDataset(deps, ctx, idOrName);
  authorize(ctx.actor, cataloguePermissions.deleteDataset, current);
  if (current.state === 'deleted') return;
  await deps.kernel.database.transaction(async (tx) => {
    const row = await updateDataset(tx, current.id, { state: 'deleted', modifiedBy: ctx.actor.accountId });
    await saveVersion(tx, row, ctx.actor.accountId);
    await record(tx, ctx, { action: catalogueEvents.datasetDeleted, organizationId: row.organizationId, targetType: 'dataset', targetId: row.id });
  });
}

export interface VersionChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface HistoryEntry {
  version: number;
  at: Date;
  changes: VersionChange[];
}

/** Each saved version, newest first, with what changed from the version before it. */
export async function datasetHistory(deps: CatalogueDeps, ctx: ActionContext, idOrName: string): Promise<{ dataset: Dataset; history: HistoryEntry[] }> {
  const row = await visibleDataset(deps, ctx, idOrName);
  const versions = await listVersions(deps.kernel.database.db, row.id);
  const history = versions.map((v, i) => {
    const previous = versions[i + 1]?.metadata ?? {};
    const changes = Object.keys(v.metadata)
      .filter((k) => JSON.stringify(previous[k] ?? null) !== JSON.stringify(v.metadata[k] ?? null))
      .map((field) => ({ field, before: previous[field] ?? null, after: v.metadata[field] ?? null }));
    return { version: v.version, at: v.at, changes };
  });
  return { dataset: toDataset(row), history };
}
