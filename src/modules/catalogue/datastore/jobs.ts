import { record, type ActionContext } from '../../../kernel/audit/index.js';
import type { Db } from '../../../kernel/db/index.js';
import type { Kernel } from '../../../kernel/module.js';
import type { CatalogueDeps } from '../actions/datasets.js';
import { catalogueEvents } from '../audit.js';
import type { ResourceRow } from '../data/resources.js';
import { loadResource, type LoadPayload } from './loader.js';
import { setLoadState } from './store.js';

/** The job that loads a tabular resource into the datastore. */
export const loadJobName = 'catalogue.datastore-load';

/** Formats the datastore loads (by format label or by media type). */
const tabularFormats = new Set(['CSV', 'TSV', 'TAB', 'TXT']);
const tabularTypes = new Set(['text/csv', 'text/tab-separated-values']);

/** True when a resource is an uploaded file the datastore can load. */
export function isLoadable(
  resource: Pick<ResourceRow, 'kind' | 'fileKey' | 'format' | 'mediaType'>,
): boolean {
  if (resource.kind !== 'upload' || !resource.fileKey) return false;
  return (
    tabularFormats.has(resource.format.toUpperCase()) ||
    tabularTypes.has((resource.mediaType ?? '').toLowerCase())
  );
}

/** Registers the datastore's jobs (called once, when the catalogue module is created). */
export function registerDatastoreJobs(kernel: Kernel, deps: CatalogueDeps): void {
  kernel.jobs.register<LoadPayload>(loadJobName, (job) => loadResource(deps, job));
}

/**
 * Queues a load of the resource inside the caller's transaction (so the job exists only if the
 * change commits), marks it queued and records the request in the audit log. The newest request
 * wins: an older job that is still running will not swap its table in.
 */
export async function queueLoad(
  deps: CatalogueDeps,
  tx: Db,
  ctx: ActionContext,
  resource: Pick<ResourceRow, 'id'>,
  organizationId: string,
  reinfer: boolean,
): Promise<string> {
  const jobId = await deps.kernel.jobs.enqueue(
    tx,
    loadJobName,
    { resourceId: resource.id, reinfer },
    // One attempt: a file that cannot be loaded fails the same way twice; people can load it again.
    { ownerId: ctx.actor.accountId ?? null, maxAttempts: 1 },
  );
  await setLoadState(tx, resource.id, { loadStatus: 'queued', loadJobId: jobId });
  await record(tx, ctx, {
    action: catalogueEvents.datastoreLoadRequested,
    organizationId,
    targetType: 'resource',
    targetId: resource.id,
    details: { reinfer },
  });
  return jobId;
}
