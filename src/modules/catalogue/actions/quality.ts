import type { ActionContext } from '../../../kernel/audit/index.js';
import { system } from '../../../kernel/auth/actor.js';
import { authorize } from '../../../kernel/auth/policy.js';
import type { JobQueue } from '../../../kernel/jobs/index.js';
import { refreshAllQuality } from '../data/quality.js';
import type { CatalogueDeps } from './datasets.js';
import { manageMetrics } from './metrics.js';

export const qualityJob = 'catalogue.refresh-quality';

/**
 * Recomputes the quality of every published dataset: freshness changes with time alone, so a
 * daily job keeps scores true between edits. Derived data only: nothing is audited.
 */
export async function refreshCatalogueQuality(
  deps: CatalogueDeps,
  ctx: ActionContext,
  options: { now?: Date; onProgress?: (checked: number) => Promise<void> } = {},
): Promise<{ checked: number; changed: number }> {
  authorize(ctx.actor, manageMetrics, undefined);
  return refreshAllQuality(deps.kernel.database.db, options.now ?? new Date(), options.onProgress);
}

const registered = new WeakSet<JobQueue>();

/** Registers the daily quality refresh (once across all processes). Safe to call more than once. */
export function registerQualityJobs(deps: CatalogueDeps): void {
  const jobs = deps.kernel.jobs;
  if (registered.has(jobs)) return;
  registered.add(jobs);
  jobs.register(qualityJob, async (job) =>
    refreshCatalogueQuality(deps, { actor: system, requestId: `job:${job.id}` }, {
      onProgress: (checked) => job.progress(checked, null, 'datasets checked'),
    }),
  );
  jobs.every(qualityJob, 24 * 60);
}
