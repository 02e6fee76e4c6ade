import type { Kernel } from '../../../kernel/module.js';
import type { CatalogueDeps } from '../actions/datasets.js';
import { harvestJob } from './data.js';
import { defaultHarvestOptions, runHarvest } from './run.js';

const registered = new WeakSet<Kernel>();

/**
 * Declares the harvest job. Safe to call more than once for the same kernel (a job name may only
 * be registered once). A harvest is tried once: it reports its failure, and people (or a
 * schedule) start the next one.
 */
export function registerHarvestJob(deps: CatalogueDeps): void {
  if (registered.has(deps.kernel)) return;
  registered.add(deps.kernel);
  deps.kernel.jobs.register<{ sourceId: string }>(harvestJob, async (job) => {
    const report = await runHarvest(deps, job.payload.sourceId, job, defaultHarvestOptions);
    return report ? { status: report.status, total: report.total, counts: report.counts } : { status: 'sourceGone' };
  });
}
