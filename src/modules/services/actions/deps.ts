import type { Kernel } from '../../../kernel/module.js';
import type { CatalogueApi } from '../../catalogue/index.js';
import type { IdentityApi } from '../../identity/index.js';

/** What the services actions are given: the kernel, and the identity and catalogue modules' APIs. */
export interface ServicesDeps {
  kernel: Kernel;
  identity: IdentityApi;
  catalogue: CatalogueApi;
}
