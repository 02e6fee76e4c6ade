import { defineModule } from '../../kernel/module.js';
import { moduleDirectory } from '../../kernel/index.js';
import type { CatalogueApi } from '../catalogue/index.js';
import type { IdentityApi } from '../identity/index.js';
import { seedStandardPoints } from './actions/assessment.js';
import { createServicesApi } from './api.js';
import { seedServicesDemo } from './demo.js';
import type { ServicesApi } from './index.js';
import { apiRoutes } from './routes/api.routes.js';
import { publicRoutes } from './routes/public.routes.js';
import { staffRoutes } from './routes/staff.routes.js';

type Api = ReturnType<typeof createServicesApi>;

/** Services: the inventory, transaction events, feedback after every transaction and the four KPIs. */
export const servicesModule = defineModule<Api>({
  id: 'services',
  directory: moduleDirectory(import.meta.url),
  dependsOn: ['identity', 'catalogue'],
  scopes: [
    { id: 'services:read', labelKey: 'services.scopes.read' },
    { id: 'services:write', labelKey: 'services.scopes.write' },
    { id: 'services:events', labelKey: 'services.scopes.events' },
  ],
  links: [
    { path: '/services', titleKey: 'services.links.services.title', descriptionKey: 'services.links.services.description', inNavigation: true },
    { path: '/services/dashboard', titleKey: 'services.links.dashboard.title', descriptionKey: 'services.links.dashboard.description' },
  ],
  adminLinks: [
    { path: '/admin/service-standard', titleKey: 'services.links.points.title', descriptionKey: 'services.links.points.description' },
    { path: '/admin/page-feedback', titleKey: 'services.links.pageFeedback.title', descriptionKey: 'services.links.pageFeedback.description' },
  ],
  // "Did you find what you were looking for?" at the bottom of every page.
  pageFooter: 'services/partials/page-feedback-footer.njk',
  auditTargets: { service: 'services.auditTargets.service', service_feedback: 'services.auditTargets.feedback', standard_point: 'services.auditTargets.point' },
  create: (kernel, apis) => createServicesApi(kernel, apis.get('identity') as IdentityApi, apis.get('catalogue') as CatalogueApi),
  seedDemo: (api, kernel) => seedServicesDemo(api.deps, kernel),
  async routes(app, api) {
    // The standard's points are data: Ontario's are there from the first start, editable after.
    await seedStandardPoints(api.deps);
    apiRoutes(app, api.deps);
    publicRoutes(app, api.deps);
    staffRoutes(app, api.deps);
  },
});

export type { ServicesApi };
