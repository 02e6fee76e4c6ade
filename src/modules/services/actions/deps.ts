import type { Kernel } from '../../../kernel/module.js';
import type { CatalogueApi } from '../../catalogue/index.js';
import type { IdentityApi } from '../../identity/index.js';
import type { Dashboard } from './dashboard.js';
import type { FiguresCache } from './figures-cache.js';

/** What the services actions are given: the kernel, and the identity and catalogue modules' APIs. */
export interface ServicesDeps {
  kernel: Kernel;
  identity: IdentityApi;
  catalogue: CatalogueApi;
  /** Dashboards computed in the last seconds (cleared by every change of figures). */
  dashboards: FiguresCache<Dashboard>;
}
