import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { chainHead } from './audit/index.js';
import { AccessCatalog, baseRoles } from './auth/roles.js';
import { purgeExpiredSessions } from './auth/sessions.js';
import { purgeThrottles } from './auth/throttle.js';
import type { Config } from './config/index.js';
import type { Database } from './db/index.js';
import { LocalFileStore } from './files/index.js';
import { loadCatalogs, Messages } from './i18n/index.js';
import { JobQueue } from './jobs/index.js';
import type { Kernel, ModuleDefinition } from './module.js';
import { logTransport, Notifier, smtpTransport, type MailTransport } from './notify/index.js';
import { Views } from './views/index.js';

/** The kernel's own folder: its `locales/` and `views/templates/`. */
export const kernelDirectory = path.dirname(fileURLToPath(import.meta.url));

/** Where a module lives, from its `module.ts`'s `import.meta.url`. */
export function moduleDirectory(moduleUrl: string): string {
  return path.dirname(fileURLToPath(moduleUrl));
}

/** Query parameters that carry secrets (one-time links) and must never reach a log. */
const secretParams = /([?&](?:token|secret|code|password)=)[^&#]*/gi;

/** A URL fit for the logs: secret query values replaced. */
export function loggableUrl(url: string): string {
  return url.replace(secretParams, '$1[hidden]');
}

/** Structured JSON logs with secrets kept out: cookies, tokens and passwords are never written. */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.secret', '*.token'],
      censor: '[hidden]',
    },
    serializers: {
      req: (req: { method: string; url: string; ip?: string; socket?: { remoteAddress?: string } }) => ({
        method: req.method,
        url: loggableUrl(req.url),
        remoteAddress: req.ip ?? req.socket?.remoteAddress,
      }),
      err: pino.stdSerializers.err,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export interface KernelOptions {
  config: Config;
  logger: Logger;
  database: Database;
  modules: readonly ModuleDefinition<unknown>[];
  /** Replaces the configured mail transport (tests). */
  transport?: MailTransport;
}

/** Builds the platform services once, in dependency order (the composition root's first half). */
export function createKernel(options: KernelOptions): Kernel {
  const { config, logger, database, modules } = options;
  const messages = new Messages(
    loadCatalogs([
      { directory: path.join(kernelDirectory, 'locales'), prefix: '' },
      ...modules.map((m) => ({ directory: path.join(m.directory, 'locales'), prefix: m.id })),
    ]),
  );
  const views = new Views({
    namespaces: new Map(modules.map((m) => [m.id, path.join(m.directory, 'views')])),
    reload: config.environment === 'development',
    timeZone: config.timeZone,
    pageFooters: modules.flatMap((m) => (m.pageFooter ? [m.pageFooter] : [])),
  });
  const access = new AccessCatalog(baseRoles);
  for (const m of modules) {
    for (const role of m.roles ?? []) access.addRole(role);
    for (const scope of m.scopes ?? []) access.addScope(scope);
  }
  const jobs = new JobQueue(database, logger, { concurrency: config.jobsConcurrency, pollMs: config.jobsPollMs });
  const transport = options.transport ?? (config.mailTransport === 'smtp' && config.smtpUrl ? smtpTransport(config.smtpUrl, config.mailFrom) : logTransport(logger));
  const notify = new Notifier(database, messages, jobs, transport);
  const files = new LocalFileStore(path.resolve(config.filesDir));

  const limits = { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours };
  jobs.register('kernel.purge-expired', async () => {
    await purgeExpiredSessions(database.db, limits);
    await purgeThrottles(database.db);
  });
  jobs.every('kernel.purge-expired', 60);
  // The audit chain's head, written to the log every hour: logs shipped elsewhere become anchors
  // that `trillium audit verify --anchor` checks, so removing recent entries is detectable too.
  jobs.register('kernel.audit-anchor', async () => {
    const head = await chainHead(database.db);
    if (head) logger.info({ auditHead: `${head.id}:${head.hash}` }, 'audit chain head');
    return head;
  });
  jobs.every('kernel.audit-anchor', 60);

  return { config, logger, database, messages, views, jobs, notify, files, access };
}
