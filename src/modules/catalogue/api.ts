import type { ActionContext } from '../../kernel/audit/index.js';
import type { Kernel } from '../../kernel/module.js';
import type { IdentityApi } from '../identity/index.js';
import { createDataset, editDataset, publishDataset, type CatalogueDeps } from './actions/datasets.js';
import { putFileResource } from './actions/open-data.js';
import { findDataset, toDataset } from './data/datasets.js';
import { registerMetricsJobs } from './actions/metrics.js';
import { registerDatastoreJobs } from './datastore/jobs.js';
import { registerHarvestJob } from './harvest/job.js';
import type { CatalogueApi, OpenDataDescription } from './index.js';

/** Builds the catalogue's public API over its actions. */
export function createCatalogueApi(kernel: Kernel, identity: IdentityApi): CatalogueApi & { deps: CatalogueDeps } {
  const deps: CatalogueDeps = { kernel, identity };
  registerDatastoreJobs(kernel, deps);
  registerHarvestJob(deps);
  registerMetricsJobs(deps);
  return {
    deps,
    async getDataset(idOrName) {
      const row = await findDataset(kernel.database.db, idOrName);
      return row ? toDataset(row) : null;
    },
    async publishOpenData(ctx: ActionContext, description: OpenDataDescription) {
      const form = {
        name: description.name,
        organizationId: description.organizationId,
        titleEn: description.title.en,
        titleFr: description.title.fr,
        descriptionEn: description.description.en,
        descriptionFr: description.description.fr,
        keywordsEn: description.keywords.en.join(', '),
        keywordsFr: description.keywords.fr.join(', '),
        licenceId: description.licenceId,
        accessLevel: 'open',
        ...(description.updateFrequency ? { updateFrequency: description.updateFrequency } : {}),
      };
      const existing = await findDataset(kernel.database.db, description.name);
      if (existing) await editDataset(deps, ctx, existing.id, form);
      else await createDataset(deps, ctx, form);
      const dataset = (await findDataset(kernel.database.db, description.name))!;
      for (const file of description.files ?? []) await putFileResource(deps, ctx, dataset.id, file);
      return publishDataset(deps, ctx, description.name);
    },
  };
}
