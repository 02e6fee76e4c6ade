import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AccountDirectory } from './auth/actor.js';
import type { AccessCatalog, RoleDefinition, ScopeDefinition } from './auth/roles.js';
import type { Config } from './config/index.js';
import type { Database } from './db/index.js';
import type { FileStore } from './files/index.js';
import type { Messages } from './i18n/index.js';
import type { JobQueue } from './jobs/index.js';
import type { Notifier } from './notify/index.js';
import type { Views } from './views/index.js';

/** The platform services every module is given (the composition root builds them once). */
export interface Kernel {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: Database;
  readonly messages: Messages;
  readonly views: Views;
  readonly jobs: JobQueue;
  readonly notify: Notifier;
  readonly files: FileStore;
  readonly access: AccessCatalog;
}

/** The public APIs of modules created so far, by module id (each module's `index.ts` types it). */
export type ModuleApis = ReadonlyMap<string, unknown>;

/** A link a module offers on the home page and in the header navigation. */
export interface ModuleLink {
  /** Path after the locale, e.g. `/organizations`. */
  path: string;
  titleKey: string;
  descriptionKey: string;
  /** Shown in the header navigation too. */
  inNavigation?: boolean;
}

/**
 * A building block. Every module has the same shape (docs/guides/adding-a-module.md): it owns a
 * PostgreSQL schema named after its id, its messages (`locales/`), its templates (`views/`), and
 * meets other modules only through the API its `create` returns (typed in its `index.ts`).
 */
export interface ModuleDefinition<Api = unknown> {
  /** Lower-case id: the schema name, the message-key prefix and the template namespace. */
  id: string;
  /** Absolute path of the module folder (use `moduleDirectory(import.meta.url)`). */
  directory: string;
  /** Modules whose API this one uses; they must come earlier in `src/modules.ts`. */
  dependsOn?: readonly string[];
  roles?: RoleDefinition[];
  scopes?: ScopeDefinition[];
  links?: ModuleLink[];
  /** Links on the administration overview (superadmins). */
  adminLinks?: ModuleLink[];
  /**
   * A template (`<module id>/<file>.njk`) shown at the bottom of every page, above the site footer,
   * e.g. a "Did you find what you were looking for?" form. It is included with the page's context
   * (`t`, `locale`, `currentPath`, `currentUrl`, `csrfToken()`…) and decides itself where it shows.
   */
  pageFooter?: string;
  /** How the audit log names the things this module's entries are about: `targetType` → message key. */
  auditTargets?: Record<string, string>;
  /** Builds the module's public API (and registers its jobs). */
  create(kernel: Kernel, apis: ModuleApis): Api;
  /** Registers routes inside the module's own encapsulated Fastify plugin. */
  routes(app: FastifyInstance, api: Api, kernel: Kernel): Promise<void> | void;
  /** Set by the one module that owns accounts, so the kernel can tell who is signed in. */
  accountDirectory?(api: Api): AccountDirectory;
  /**
   * Adds demo data (`trillium seed --demo`, and `npm start` on an empty database). Must skip what
   * already exists. Returns lines to print once (e.g. demo passwords).
   */
  seedDemo?(api: Api, kernel: Kernel): Promise<string[] | void>;
}

/** Names the kernel uses for its own messages, templates and PostgreSQL schema. */
const reservedIds = new Set(['kernel', 'common', 'components', 'layout', 'errors', 'home', 'accessibility', 'privacy', 'developers', 'roles', 'scopes', 'admin', 'pages', 'public', 'drizzle', 'api']);

export function defineModule<Api>(definition: ModuleDefinition<Api>): ModuleDefinition<Api> {
  if (!/^[a-z][a-z0-9]*$/.test(definition.id)) throw new Error(`Module id "${definition.id}" must be lower-case letters and digits`);
  if (reservedIds.has(definition.id)) throw new Error(`Module id "${definition.id}" is reserved by the kernel`);
  return definition;
}

/** Orders modules so each comes after the ones it depends on, or explains what is missing. */
export function checkModuleOrder(modules: readonly ModuleDefinition<unknown>[]): void {
  const seen = new Set<string>();
  for (const m of modules) {
    if (seen.has(m.id)) throw new Error(`Module "${m.id}" is listed twice in src/modules.ts`);
    for (const dep of m.dependsOn ?? []) {
      if (!seen.has(dep)) throw new Error(`Module "${m.id}" depends on "${dep}", which must be listed before it in src/modules.ts`);
    }
    seen.add(m.id);
  }
}
