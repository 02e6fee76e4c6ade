import type { FastifyRequest } from 'fastify';
import type { ActionContext } from '../../../kernel/audit/index.js';
import { InputError, NotFound } from '../../../kernel/errors/index.js';
import { contextOf } from '../../../kernel/http/pages.js';
import {
  createDataset,
  deleteDataset,
  editDataset,
  getDataset,
  publicationProblems,
  publishDataset,
  unpublishDataset,
  type DatasetDetail,
} from '../actions/datasets.js';
import { listGroups } from '../actions/groups.js';
import { addResource, editResource, getResource, removeResource } from '../actions/resources.js';
import { findResource } from '../data/resources.js';
import { datasetInput } from '../inputs/dataset.input.js';
import { resourceInput } from '../inputs/resource.input.js';
import type { Dataset, Resource } from '../types.js';
import { downloadUrl, packageDict, resourceDict } from './dicts.js';
import { fieldMessages, validationError } from './errors.js';
import { arrayOf, datasetForm, groupNamesOf, objectOf, publicationValues, resourceForm, scalar, withExtras, withPlainChanges } from './forms.js';
import { flag, required, requiredOneOf } from './params.js';
import type { CkanAction, CkanCall } from './types.js';

/**
 * CKAN's write actions over Trillium's. A CKAN call may do what takes Trillium several actions
 * (create a dataset, add its resources, publish it); each action authorizes and audits itself.
 * Everything that can be checked without writing is checked first, so a refused call changes
 * nothing; what remains (a race with another editor) can leave part of a call applied, as it can
 * in CKAN when a later step fails.
 */

type Dict = Record<string, unknown>;

/** Plain CKAN fields and their fluent twins. */
const packageFluentPairs = [['title', 'title_translated'], ['notes', 'notes_translated'], ['tags', 'keywords']] as const;
const resourceFluentPairs = [['name', 'name_translated'], ['description', 'description_translated']] as const;

function publicUrl(call: CkanCall): string {
  return call.deps.kernel.config.publicUrl;
}

async function show(call: CkanCall, ctx: ActionContext, id: string): Promise<Dict> {
  return packageDict(await getDataset(call.deps, ctx, id), publicUrl(call));
}

/** The organization named by `owner_org` (id or name) or `organization: {id|name}`, else the fallback. */
async function organizationIdOf(call: CkanCall, pkg: Dict, fallback?: string): Promise<string | undefined> {
  const organization = objectOf(pkg['organization']);
  const ref = scalar(pkg['owner_org']) ?? scalar(organization?.['id']) ?? scalar(organization?.['name']);
  if (!ref) return fallback;
  const found = await call.deps.identity.getOrganization(ref);
  if (!found) throw InputError.field('organizationId', 'invalid', 'catalogue.errors.dataset.organizationId.required');
  return found.id;
}

/** The dataset input for a package dict, checked against the input's rules before anything is written. */
async function prepareDataset(call: CkanCall, pkg: Dict, current?: Dataset): Promise<Dict> {
  const organizationId = await organizationIdOf(call, pkg, current?.organizationId);
  const groups = arrayOf(pkg['groups']) ? groupNamesOf(pkg, new Map((await listGroups(call.deps)).map((g) => [g.id, g.name]))) : undefined;
  const form = datasetForm(pkg, organizationId, groups);
  if (form['name'] === undefined && current) form['name'] = current.name;
  datasetInput.parse(form);
  return form;
}

/** Throws the publication problems (both languages, licence, reason) of a dataset input, if any. */
function checkPublishable(form: Dict): void {
  const problems = publicationProblems(publicationValues(form));
  if (problems.length) throw new InputError(problems);
}

/**
 * The state a package dict asks for, from `state` ("active", "draft", "deleted") and `private`
 * (drafts are CKAN's private datasets). When the two disagree, the one the client changed from
 * the current dataset wins (a client edits what package_show gave it); a new dataset stays a draft.
 */
function requestedState(pkg: Dict, current?: Dataset['state']): Dataset['state'] | undefined {
  const state = scalar(pkg['state']);
  const states: Record<string, Dataset['state']> = { active: 'published', draft: 'draft', deleted: 'deleted' };
  if (state !== undefined && !states[state]) throw validationError({ state: ['Value must be one of: active; draft; deleted'] });
  const fromState = state === undefined ? undefined : states[state];
  const fromPrivate = pkg['private'] === undefined || pkg['private'] === null ? undefined : flag(pkg, 'private') ? 'draft' : 'published';
  if (fromState === 'deleted') return 'deleted';
  if (fromState && fromPrivate && fromState !== fromPrivate) return current === undefined ? 'draft' : fromState !== current ? fromState : fromPrivate;
  return fromPrivate ?? fromState;
}

interface PlannedResource {
  /** The existing resource it replaces (CKAN matches resources by id). */
  id: string | undefined;
  form: Dict;
  /** Sent back as it is: nothing to write. */
  unchanged: boolean;
}

/** Field messages for one resource input, using the rules `addResource` applies. */
function resourceProblems(form: Dict, request: FastifyRequest): Dict {
  try {
    const input = resourceInput.parse(form);
    if (!input.nameEn && !input.nameFr) throw InputError.field('nameEn', 'required', 'catalogue.errors.resource.nameEn.required');
    if (input.kind === 'link' && !input.url) throw InputError.field('url', 'required', 'catalogue.errors.resource.url.required');
    return {};
  } catch (error) {
    if (error instanceof InputError) return fieldMessages(error, request.t);
    throw error;
  }
}

/** The resources of a package dict, each checked; errors are listed per resource, as CKAN does. */
function planResources(call: CkanCall, value: unknown, existing: Resource[], dataset?: Pick<Dataset, 'id' | 'name'>): PlannedResource[] {
  const items = value === undefined || value === null ? [] : arrayOf(value);
  if (!items) throw validationError({ resources: ['Not a list'] });
  const errors: Dict[] = [];
  const planned = items.map((item) => {
    const res = objectOf(item) ?? {};
    const id = scalar(res['id']);
    const current = existing.find((r) => r.id === id);
    if (!current || !dataset) {
      const form = resourceForm(res);
      errors.push(resourceProblems(form, call.request));
      return { id: undefined, form, unchanged: false };
    }
    const options = { existing: current, downloadUrl: downloadUrl(publicUrl(call), dataset.name, current.id) };
    const shown = resourceDict(current, dataset, publicUrl(call));
    const form = resourceForm(withPlainChanges(res, shown, resourceFluentPairs), options);
    errors.push(resourceProblems(form, call.request));
    return { id: current.id, form, unchanged: JSON.stringify(form) === JSON.stringify(resourceForm(shown, options)) };
  });
  if (errors.some((e) => Object.keys(e).length)) throw validationError({ resources: errors });
  return planned;
}

/** Makes the dataset's resources those listed: matched by id are replaced, others added, the rest removed. */
async function syncResources(call: CkanCall, ctx: ActionContext, datasetId: string, existing: Resource[], planned: PlannedResource[]): Promise<void> {
  for (const r of planned) {
    if (r.unchanged) continue;
    if (r.id) await editResource(call.deps, ctx, datasetId, r.id, r.form);
    else await addResource(call.deps, ctx, datasetId, r.form);
  }
  for (const old of existing) if (!planned.some((r) => r.id === old.id)) await removeResource(call.deps, ctx, datasetId, old.id);
}

/**
 * `package_create`: a draft with its resources, then published unless `private` is true or
 * `state` is "draft" (CKAN datasets are public unless private). Publishing needs both languages.
 */
const packageCreate: CkanAction = async (call) => {
  const ctx = contextOf(call.request);
  const pkg = withExtras(call.params);
  const form = await prepareDataset(call, pkg);
  const resources = planResources(call, pkg['resources'], []);
  const state = requestedState(pkg) ?? 'published';
  if (state === 'deleted') throw validationError({ state: ['A new dataset cannot be deleted'] });
  if (state === 'published') checkPublishable(form);
  const created = await createDataset(call.deps, ctx, form);
  for (const r of resources) await addResource(call.deps, ctx, created.id, r.form);
  if (state === 'published') await publishDataset(call.deps, ctx, created.id);
  return show(call, ctx, created.id);
};

/** Replaces a dataset's metadata (and its resources when `resources` is given), moving its state as asked. */
async function updatePackage(call: CkanCall, ctx: ActionContext, detail: DatasetDetail, pkg: Dict): Promise<Dict> {
  const { deps } = call;
  const current = detail.dataset;
  const form = await prepareDataset(call, pkg, current);
  const existing = detail.resources ?? [];
  const resources = 'resources' in pkg ? planResources(call, pkg['resources'], existing, current) : null;
  const state = requestedState(pkg, current.state) ?? current.state;
  if (state === 'deleted') {
    await deleteDataset(deps, ctx, current.id);
    return { ...packageDict(detail, publicUrl(call)), state: 'deleted', private: false };
  }
  if (state === 'published' && current.state !== 'published') checkPublishable(form);
  const unpublish = state === 'draft' && current.state === 'published';
  const complete = publicationProblems(publicationValues(form)).length === 0;
  // A published dataset must stay complete: an incomplete update is applied after unpublishing.
  if (unpublish && !complete && (form['version'] === undefined || Number(form['version']) === current.version)) {
    const draft = await unpublishDataset(deps, ctx, current.id);
    if (form['version'] !== undefined) form['version'] = draft.version;
  }
  await editDataset(deps, ctx, current.id, form);
  if (resources) await syncResources(call, ctx, current.id, existing, resources);
  if (unpublish && complete) await unpublishDataset(deps, ctx, current.id);
  if (state === 'published' && current.state !== 'published') await publishDataset(deps, ctx, current.id);
  return show(call, ctx, current.id);
}

const packageUpdate: CkanAction = async (call) => {
  const ctx = contextOf(call.request);
  const id = requiredOneOf(call.params, ['id', 'name_or_id', 'name']);
  const detail = await getDataset(call.deps, ctx, id);
  return updatePackage(call, ctx, detail, withPlainChanges(withExtras(call.params), packageDict(detail, publicUrl(call)), packageFluentPairs));
};

/**
 * `package_patch`: the fields given replace the current ones. A plain `title`, `notes` or `tags`
 * without its fluent twin changes the English text only.
 */
const packagePatch: CkanAction = async (call) => {
  const ctx = contextOf(call.request);
  const id = requiredOneOf(call.params, ['id', 'name_or_id']);
  const detail = await getDataset(call.deps, ctx, id);
  const current = packageDict(detail, publicUrl(call));
  const patch = withExtras(call.params);
  delete patch['id'];
  const merged = withPlainChanges({ ...current, ...patch }, current, packageFluentPairs);
  if (!('resources' in patch)) delete merged['resources'];
  if ('private' in patch && !('state' in patch)) delete merged['state'];
  if ('state' in patch && !('private' in patch)) delete merged['private'];
  return updatePackage(call, ctx, detail, merged);
};

const packageDelete: CkanAction = async (call) => {
  await deleteDataset(call.deps, contextOf(call.request), requiredOneOf(call.params, ['id', 'name_or_id']));
  return null;
};

/** A resource named by id alone, through `getResource` (which decides whether the caller may see it). */
async function resourceById(call: CkanCall, ctx: ActionContext, id: string) {
  const row = await findResource(call.deps.kernel.database.db, id);
  if (!row) throw new NotFound();
  return (await getResource(call.deps, ctx, row.datasetId, id)).detail;
}

/** `resource_create`: a link (`url`), or an upload (multipart with the file in `upload`). */
const resourceCreate: CkanAction = async (call) => {
  const ctx = contextOf(call.request);
  const { dataset } = await getDataset(call.deps, ctx, required(call.params, 'package_id'));
  const form = resourceForm(call.params, { file: !!call.file });
  const resource = await addResource(call.deps, ctx, dataset.id, form, call.file);
  return resourceDict(resource, dataset, publicUrl(call));
};

async function updateResource(call: CkanCall, ctx: ActionContext, id: string, sent: Dict): Promise<Dict> {
  const detail = await resourceById(call, ctx, id);
  const res = withPlainChanges(sent, resourceDict(detail.resource, detail.dataset, publicUrl(call)), resourceFluentPairs);
  const form = resourceForm(res, { existing: detail.resource, downloadUrl: downloadUrl(publicUrl(call), detail.dataset.name, id), file: !!call.file });
  const resource = await editResource(call.deps, ctx, detail.dataset.id, id, form, call.file);
  return resourceDict(resource, detail.dataset, publicUrl(call));
}

/** `resource_update`: replaces the resource's description, and its file or link when a new one is given. */
const resourceUpdate: CkanAction = async (call) => updateResource(call, contextOf(call.request), required(call.params, 'id'), call.params);

/** `resource_patch`: the fields given replace the current ones. */
const resourcePatch: CkanAction = async (call) => {
  const ctx = contextOf(call.request);
  const id = required(call.params, 'id');
  const detail = await resourceById(call, ctx, id);
  const current = resourceDict(detail.resource, detail.dataset, publicUrl(call));
  return updateResource(call, ctx, id, { ...current, ...call.params });
};

const resourceDelete: CkanAction = async (call) => {
  const ctx = contextOf(call.request);
  const id = required(call.params, 'id');
  const detail = await resourceById(call, ctx, id);
  await removeResource(call.deps, ctx, detail.dataset.id, id);
  return null;
};

/** The write actions: POST only (a GET must never change anything). */
export const writeActions: Record<string, CkanAction> = {
  package_create: packageCreate,
  package_update: packageUpdate,
  package_patch: packagePatch,
  package_delete: packageDelete,
  resource_create: resourceCreate,
  resource_update: resourceUpdate,
  resource_patch: resourcePatch,
  resource_delete: resourceDelete,
};
