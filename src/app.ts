import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { registerAdminRoutes } from './kernel/admin/routes.js';
import { kernelScopes } from './kernel/admin/permissions.js';
import type { AccountDirectory } from './kernel/auth/actor.js';
import type { Config } from './kernel/config/index.js';
import { openDatabase, type Database } from './kernel/db/index.js';
import { migrate } from './kernel/db/migrate.js';
import { registerKernelHttp } from './kernel/http/plugin.js';
import { registerOpenApi } from './kernel/http/openapi.js';
import { registerPublicRoutes } from './kernel/http/public-routes.js';
import { ajvOptions } from './kernel/input/index.js';
import { createKernel, createLogger } from './kernel/index.js';
import { checkModuleOrder, type Kernel, type ModuleDefinition } from './kernel/module.js';
import type { MailTransport } from './kernel/notify/index.js';
import { readAssetManifest } from './kernel/views/index.js';
import { enabledModules } from './modules.js';

export const rootDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BuildOptions {
  config: Config;
  /** An already open database (tests share one per file); otherwise opened from the config. */
  database?: Database;
  modules?: readonly ModuleDefinition<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  logger?: Logger;
  /** Replaces the configured mail transport (tests capture messages with a real SMTP server). */
  transport?: MailTransport;
  /** Apply migrations before serving (default: the `TRILLIUM_MIGRATE_ON_START` setting). */
  migrate?: boolean;
  /** Run background jobs in this process (default: the `TRILLIUM_JOBS` setting). */
  runJobs?: boolean;
}

export type App = FastifyInstance & { apis: ReadonlyMap<string, unknown> };

const requestIdPattern = /^[\w.:-]{1,64}$/;

/**
 * The composition root: infrastructure first, then the kernel's services, then each module in the
 * order of `src/modules.ts`, each inside its own encapsulated Fastify plugin.
 */
export async function buildApp(options: BuildOptions): Promise<App> {
  const { config } = options;
  const modules = options.modules ?? enabledModules;
  checkModuleOrder(modules);
  const logger = options.logger ?? createLogger(config);
  const ownsDatabase = !options.database;
  const database = options.database ?? (await openDatabase(config, logger));
  try {
    if (options.migrate ?? config.migrateOnStart) await migrate(database);
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }

  const kernel: Kernel = createKernel({ config, logger, database, modules, ...(options.transport ? { transport: options.transport } : {}) });
  for (const scope of kernelScopes) kernel.access.addScope(scope);

  const app = Fastify({
    loggerInstance: logger,
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Fastify's validator already has ajv-formats; the options match the inputs' own validator.
    ajv: { customOptions: ajvOptions },
  }) as unknown as App;

  const apis = new Map<string, unknown>();
  let accountDirectory: AccountDirectory | undefined;
  for (const module of modules) {
    const api = module.create(kernel, apis);
    apis.set(module.id, api);
    if (module.accountDirectory) {
      if (accountDirectory) throw new Error(`Two modules provide accounts; only one may (${module.id})`);
      accountDirectory = module.accountDirectory(api);
    }
  }
  app.decorate('apis', apis);

  const publicDir = path.join(rootDirectory, 'public');
  const assets = readAssetManifest(publicDir);
  const links = modules.flatMap((m) => m.links ?? []);
  await registerKernelHttp(app, kernel, { publicDir, assets, links, accountDirectory: () => accountDirectory });
  await registerOpenApi(app, config);
  registerPublicRoutes(app, (name) => `/assets/${assets[name] ?? name}`);
  registerAdminRoutes(app, kernel, {
    adminLinks: modules.flatMap((m) => m.adminLinks ?? []),
    targetTypes: Object.assign({}, ...modules.map((m) => m.auditTargets ?? {})) as Record<string, string>,
    accountDirectory: () => accountDirectory,
  });
  for (const module of modules) {
    await app.register(async (scope) => module.routes(scope, apis.get(module.id), kernel));
  }

  const runJobs = options.runJobs ?? config.jobsEnabled;
  app.addHook('onReady', async () => {
    if (runJobs) kernel.jobs.start();
  });
  app.addHook('onClose', async () => {
    await kernel.jobs.stop();
    kernel.notify.transport.close?.();
    if (ownsDatabase) await database.close();
  });
  return app;
}
