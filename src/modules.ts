import type { ModuleDefinition } from './kernel/module.js';
import { catalogueModule } from './modules/catalogue/index.js';
import { identityModule } from './modules/identity/index.js';
import { servicesModule } from './modules/services/index.js';

/**
 * The enabled building blocks, in dependency order. Adding a module means adding it here
 * (docs/guides/adding-a-module.md); nothing else discovers modules.
 */
export const enabledModules: readonly ModuleDefinition<any>[] = [identityModule, catalogueModule, servicesModule]; // eslint-disable-line @typescript-eslint/no-explicit-any
