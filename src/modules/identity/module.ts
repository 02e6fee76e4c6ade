import { defineModule } from '../../kernel/module.js';
import { moduleDirectory } from '../../kernel/index.js';
import { createIdentityApi } from './api.js';
import { seedIdentityDemo } from './demo.js';
import type { IdentityApi } from './index.js';
import { accountRoutes } from './routes/account.routes.js';
import { adminRoutes } from './routes/admin.routes.js';
import { apiRoutes } from './routes/api.routes.js';
import { organizationRoutes } from './routes/organizations.routes.js';
import { sessionRoutes } from './routes/session.routes.js';

/** Identity: accounts, organizations and roles, sign-in, and the account directory for the kernel. */
export const identityModule = defineModule<IdentityApi>({
  id: 'identity',
  directory: moduleDirectory(import.meta.url),
  scopes: [
    { id: 'identity:read', labelKey: 'identity.scopes.read' },
    { id: 'identity:write', labelKey: 'identity.scopes.write' },
  ],
  links: [{ path: '/organizations', titleKey: 'identity.links.organizations.title', descriptionKey: 'identity.links.organizations.description', inNavigation: true }],
  adminLinks: [
    { path: '/admin/accounts', titleKey: 'identity.links.accounts.title', descriptionKey: 'identity.links.accounts.description' },
    { path: '/organizations', titleKey: 'identity.links.organizations.title', descriptionKey: 'identity.links.organizations.adminDescription' },
  ],
  create: (kernel) => createIdentityApi(kernel),
  routes(app, _api, kernel) {
    sessionRoutes(app, kernel);
    accountRoutes(app, kernel);
    organizationRoutes(app, kernel);
    adminRoutes(app, kernel);
    apiRoutes(app, kernel);
  },
  accountDirectory: (api) => api.accountDirectory,
  seedDemo: (api, kernel) => seedIdentityDemo(api, kernel),
});
