import { defineModule } from '../../kernel/module.js';
import { moduleDirectory } from '../../kernel/index.js';
import type { IdentityApi } from '../identity/index.js';
import { createCatalogueApi } from './api.js';
import { seedCatalogueDemo } from './demo.js';
import type { CatalogueApi } from './index.js';
import { apiRoutes } from './routes/api.routes.js';
import { ckanRoutes } from './routes/ckan.routes.js';
import { datastoreRoutes } from './routes/datastore.routes.js';
import { dcatRoutes } from './routes/dcat.routes.js';
import { groupRoutes } from './routes/groups.routes.js';
import { harvestRoutes } from './routes/harvest.routes.js';
import { metricsRoutes } from './routes/metrics.routes.js';
import { pageRoutes } from './routes/pages.routes.js';
import { publishRoutes } from './routes/publish.routes.js';
import { requestRoutes } from './routes/requests.routes.js';
import { standardRoutes } from './routes/standards.routes.js';

type Api = ReturnType<typeof createCatalogueApi>;

/** Catalogue: open data, published with purpose, compatible with CKAN and DCAT clients. */
export const catalogueModule = defineModule<Api>({
  id: 'catalogue',
  directory: moduleDirectory(import.meta.url),
  dependsOn: ['identity'],
  scopes: [
    { id: 'catalogue:read', labelKey: 'catalogue.scopes.read' },
    { id: 'catalogue:write', labelKey: 'catalogue.scopes.write' },
  ],
  links: [{ path: '/datasets', titleKey: 'catalogue.links.datasets.title', descriptionKey: 'catalogue.links.datasets.description', inNavigation: true }],
  adminLinks: [
    { path: '/groups', titleKey: 'catalogue.links.groups.title', descriptionKey: 'catalogue.links.groups.description' },
    { path: '/harvest', titleKey: 'catalogue.links.harvest.title', descriptionKey: 'catalogue.links.harvest.description' },
  ],
  create: (kernel, apis) => createCatalogueApi(kernel, apis.get('identity') as IdentityApi),
  seedDemo: (api, kernel) => seedCatalogueDemo(api.deps, kernel),
  routes(app, api) {
    pageRoutes(app, api.deps);
    publishRoutes(app, api.deps);
    groupRoutes(app, api.deps);
    apiRoutes(app, api.deps);
    datastoreRoutes(app, api.deps);
    ckanRoutes(app, api.deps);
    dcatRoutes(app, api.deps);
    harvestRoutes(app, api.deps);
    requestRoutes(app, api.deps);
    standardRoutes(app, api.deps);
    metricsRoutes(app, api.deps);
  },
});

export type { CatalogueApi };
