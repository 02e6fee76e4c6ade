import type { Kernel } from '../../kernel/module.js';
import type { CatalogueApi } from '../catalogue/index.js';
import type { IdentityApi } from '../identity/index.js';
import type { ServicesDeps } from './actions/deps.js';
import { sendWeeklyDigest } from './actions/digest.js';
import { FiguresCache } from './actions/figures-cache.js';
import { registerServicesJobs } from './actions/publishing.js';
import { findService } from './data/services.js';
import type { ServicesApi } from './index.js';

/** Builds the services module's API (and registers its jobs). */
export function createServicesApi(kernel: Kernel, identity: IdentityApi, catalogue: CatalogueApi): ServicesApi & { deps: ServicesDeps } {
  const deps: ServicesDeps = { kernel, identity, catalogue, dashboards: new FiguresCache() };
  registerServicesJobs(deps, sendWeeklyDigest);
  return {
    deps,
    async serviceName(code) {
      const row = await findService(kernel.database.db, code);
      return row ? { code: row.code, name: row.name } : null;
    },
  };
}
