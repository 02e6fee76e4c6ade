import path from 'node:path';
import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { authorize, can } from '../../../kernel/auth/policy.js';
import { InputError, NotFound } from '../../../kernel/errors/index.js';
import type { StoredFile } from '../../../kernel/files/index.js';
import type { Bilingual } from '../../../kernel/i18n/index.js';
import { catalogueEvents } from '../audit.js';
import { afterDatasetChange } from '../data/changes.js';
import { findDataset, toDataset, type DatasetRow } from '../data/datasets.js';
import { deleteResource, findResource, insertResource, toResource, updateResource, type ResourceRow } from '../data/resources.js';
import { resourceInput } from '../inputs/resource.input.js';
import { cataloguePermissions } from '../policies/index.js';
import type { Dataset, Resource } from '../types.js';
import type { CatalogueDeps } from './datasets.js';
import { dropDatastore, loadAfterUpload } from './datastore.js';

/** Content types accepted for uploads (the bytes are checked, not only the name). */
export const uploadTypes = [
  'text/csv',
  'text/plain',
  'application/json',
  'application/geo+json',
  'text/tab-separated-values',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/pdf',
  'application/zip',
  'application/xml',
] as const;

/** A format label from a file name or content type (CSV, JSON, XLSX, …). */
export function formatOf(fileName: string | undefined, contentType: string | undefined): string {
  const ext = path.extname(fileName ?? '').slice(1).toUpperCase();
  if (ext) return ext === 'GEOJSON' ? 'GeoJSON' : ext;
  const known: Record<string, string> = {
    'text/csv': 'CSV',
    'application/json': 'JSON',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
    'application/pdf': 'PDF',
    'application/zip': 'ZIP',
  };
  return known[contentType ?? ''] ?? '';
}

function bilingual(en: string | undefined, fr: string | undefined): Bilingual {
  return { ...(en ? { en } : {}), ...(fr ? { fr } : {}) };
}

export interface ResourceDetail {
  dataset: Dataset;
  resource: Resource;
  permissions: { edit: boolean };
}

async function datasetFor(deps: CatalogueDeps, ctx: ActionContext, idOrName: string): Promise<DatasetRow> {
  const row = await findDataset(deps.kernel.database.db, idOrName);
  if (!row || !can(ctx.actor, cataloguePermissions.viewDataset, row)) throw new NotFound();
  return row;
}

/** A resource the actor may see, with its dataset. */
export async function getResource(deps: CatalogueDeps, ctx: ActionContext, datasetIdOrName: string, resourceId: string): Promise<{ dataset: DatasetRow; resource: ResourceRow; detail: ResourceDetail }> {
  const dataset = await datasetFor(deps, ctx, datasetIdOrName);
  const resource = await findResource(deps.kernel.database.db, resourceId);
  return visibleResource(ctx, dataset, resource);
}

/** The same, from the resource id alone (CKAN clients send only `resource_id`). */
export async function getResourceById(deps: CatalogueDeps, ctx: ActionContext, resourceId: string): Promise<{ dataset: DatasetRow; resource: ResourceRow; detail: ResourceDetail }> {
  const resource = await findResource(deps.kernel.database.db, resourceId);
  if (!resource) throw new NotFound();
  return visibleResource(ctx, await datasetFor(deps, ctx, resource.datasetId), resource);
}

function visibleResource(ctx: ActionContext, dataset: DatasetRow, resource: ResourceRow | null) {
  if (!resource || resource.datasetId !== dataset.id || !can(ctx.actor, cataloguePermissions.viewResources, dataset)) throw new NotFound();
  return {
    dataset,
    resource,
    detail: { dataset: toDataset(dataset), resource: toResource(resource), permissions: { edit: can(ctx.actor, cataloguePermissions.editDataset, dataset) } },
  };
}

/** A resource for its edit form, refused to those who may not change it. */
export async function resourceForEdit(deps: CatalogueDeps, ctx: ActionContext, datasetIdOrName: string, resourceId: string): Promise<ResourceDetail> {
  const { dataset, detail } = await getResource(deps, ctx, datasetIdOrName, resourceId);
  authorize(ctx.actor, cataloguePermissions.editDataset, dataset);
  return detail;
}

export type UploadedFile = StoredFile & { fileName: string };

/**
 * Adds a resource: an uploaded file (already stored, streamed and checked by the kernel) or a link.
 * Names are needed in at least one language; publishing asks for both.
 */
export async function addResource(deps: CatalogueDeps, ctx: ActionContext, datasetIdOrName: string, raw: unknown, file?: UploadedFile): Promise<Resource> {
  const dataset = await datasetFor(deps, ctx, datasetIdOrName);
  authorize(ctx.actor, cataloguePermissions.editDataset, dataset);
  const input = resourceInput.parse(raw);
  const problems = [];
  if (!input.nameEn && !input.nameFr) problems.push({ field: 'nameEn', rule: 'required', messageKey: 'catalogue.errors.resource.nameEn.required' });
  if (input.kind === 'link' && !input.url) problems.push({ field: 'url', rule: 'required', messageKey: 'catalogue.errors.resource.url.required' });
  if (input.kind === 'upload' && !file) problems.push({ field: 'file', rule: 'required', messageKey: 'catalogue.errors.resource.file.required' });
  if (problems.length) {
    if (file) await deps.kernel.files.remove(file.key);
    throw new InputError(problems);
  }
  return deps.kernel.database.transaction(async (tx) => {
    const row = await insertResource(tx, {
      datasetId: dataset.id,
      name: bilingual(input.nameEn, input.nameFr),
      description: bilingual(input.descriptionEn, input.descriptionFr),
      kind: input.kind,
      url: input.kind === 'link' ? input.url! : null,
      format: (input.format ?? formatOf(file?.fileName ?? input.url, file?.contentType)).toUpperCase(),
      ...(file ? { fileKey: file.key, fileName: file.fileName, mediaType: file.contentType, size: file.size, sha256: file.sha256 } : {}),
      standardId: input.standardId ?? null,
    });
    await afterDatasetChange(tx, dataset.id);
    await record(tx, ctx, { action: catalogueEvents.resourceCreated, organizationId: dataset.organizationId, targetType: 'resource', targetId: row.id, details: { dataset: dataset.name, kind: row.kind } });
    // An uploaded CSV or TSV is loaded into the datastore by a job that exists only if this commits.
    const jobId = await loadAfterUpload(deps, tx, ctx, row, dataset.organizationId);
    return toResource(jobId ? { ...row, loadStatus: 'queued', loadJobId: jobId } : row);
  });
}

/** Changes a resource's description, and replaces its file or link when a new one is given. */
export async function editResource(deps: CatalogueDeps, ctx: ActionContext, datasetIdOrName: string, resourceId: string, raw: unknown, file?: UploadedFile): Promise<Resource> {
  const { dataset, resource } = await getResource(deps, ctx, datasetIdOrName, resourceId);
  authorize(ctx.actor, cataloguePermissions.editDataset, dataset);
  const input = resourceInput.parse(raw);
  if (!input.nameEn && !input.nameFr) {
    if (file) await deps.kernel.files.remove(file.key);
    throw InputError.field('nameEn', 'required', 'catalogue.errors.resource.nameEn.required');
  }
  if (input.kind === 'link' && !input.url) throw InputError.field('url', 'required', 'catalogue.errors.resource.url.required');
  const replacedFile = file && resource.fileKey ? resource.fileKey : null;
  const updated = await deps.kernel.database.transaction(async (tx) => {
    const row = await updateResource(tx, resource.id, {
      name: bilingual(input.nameEn, input.nameFr),
      description: bilingual(input.descriptionEn, input.descriptionFr),
      ...(input.kind === 'link' ? { kind: 'link' as const, url: input.url!, fileKey: null, fileName: null, size: null, sha256: null, mediaType: null } : {}),
      ...(file ? { kind: 'upload' as const, url: null, fileKey: file.key, fileName: file.fileName, mediaType: file.contentType, size: file.size, sha256: file.sha256 } : {}),
      format: (input.format ?? (file ? formatOf(file.fileName, file.contentType) : resource.format)).toUpperCase(),
      standardId: input.standardId ?? null,
    });
    await afterDatasetChange(tx, dataset.id);
    await record(tx, ctx, { action: catalogueEvents.resourceUpdated, organizationId: dataset.organizationId, targetType: 'resource', targetId: row.id, details: { dataset: dataset.name, newFile: !!file } });
    // A new file is loaded again; the previous data stays live until that load succeeds.
    const jobId = file ? await loadAfterUpload(deps, tx, ctx, row, dataset.organizationId) : null;
    return toResource(jobId ? { ...row, loadStatus: 'queued', loadJobId: jobId } : row);
  });
  if (replacedFile) await deps.kernel.files.remove(replacedFile);
  return updated;
}

export async function removeResource(deps: CatalogueDeps, ctx: ActionContext, datasetIdOrName: string, resourceId: string): Promise<void> {
  const { dataset, resource } = await getResource(deps, ctx, datasetIdOrName, resourceId);
  authorize(ctx.actor, cataloguePermissions.editDataset, dataset);
  await deps.kernel.database.transaction(async (tx) => {
    await deleteResource(tx, resource.id);
    await afterDatasetChange(tx, dataset.id);
    await record(tx, ctx, { action: catalogueEvents.resourceDeleted, organizationId: dataset.organizationId, targetType: 'resource', targetId: resource.id, details: { dataset: dataset.name } });
  });
  if (resource.fileKey) await deps.kernel.files.remove(resource.fileKey);
  await dropDatastore(deps, resource.id);
}

/** What a download gives: the stored file, or the address of a linked resource. */
export type Download = { datasetId: string } & (
  | { kind: 'file'; fileKey: string; fileName: string; contentType: string; size: number; sha256: string | null }
  | { kind: 'link'; url: string }
);

export async function downloadResource(deps: CatalogueDeps, ctx: ActionContext, datasetIdOrName: string, resourceId: string): Promise<Download> {
  const { dataset, resource } = await getResource(deps, ctx, datasetIdOrName, resourceId);
  if (resource.kind === 'link' || !resource.fileKey) return { datasetId: dataset.id, kind: 'link', url: resource.url ?? '' };
  return { datasetId: dataset.id, kind: 'file', fileKey: resource.fileKey, fileName: resource.fileName ?? 'download', contentType: resource.mediaType ?? 'application/octet-stream', size: resource.size ?? 0, sha256: resource.sha256 };
}
