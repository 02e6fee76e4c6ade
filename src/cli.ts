import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { buildApp, rootDirectory, type App } from './app.js';
import { system } from './kernel/auth/actor.js';
import { verifyChain } from './kernel/audit/index.js';
import { ConfigError, configReference, describeConfig, loadConfig, type Config } from './kernel/config/index.js';
import { DirectoryLockedError, openDatabase } from './kernel/db/index.js';
import { migrate } from './kernel/db/migrate.js';
import { DomainError, InputError } from './kernel/errors/index.js';
import { createLogger } from './kernel/index.js';
import { enabledModules } from './modules.js';
import type { IdentityApi } from './modules/identity/index.js';
import { listen } from './server.js';

/** Loads the configuration, or prints each bad key on its own line and exits. */
function config(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const p of error.problems) console.error(`Configuration error: ${p.env} ${p.message}`);
      process.exit(1);
    }
    throw error;
  }
}

/** Runs a command; known failures become one clear line and exit code 1, never a stack trace. */
async function run(task: () => Promise<void>): Promise<void> {
  try {
    await task();
  } catch (error) {
    if (error instanceof DirectoryLockedError) console.error(error.message);
    else if (error instanceof InputError) console.error(`Invalid input: ${error.fields.map((f) => `${f.field} (${f.rule})`).join(', ')}`);
    else if (error instanceof DomainError) console.error(`Refused: ${error.code} (${error.messageKey})`);
    else if ((error as { code?: string }).code === 'EADDRINUSE') console.error(`Port already in use: ${(error as Error).message}`);
    else if ((error as { code?: string }).code === 'ECONNREFUSED') console.error(`Cannot reach the database: ${(error as Error).message}`);
    else console.error(error);
    process.exit(1);
  }
}

/** Seeds every module's demo data; returns what the modules want shown once (demo passwords). */
async function seedDemo(app: App): Promise<string[]> {
  console.log('Adding demo data where it is missing (the first start takes about half a minute)…');
  const shown: string[] = [];
  for (const module of enabledModules) {
    const lines = await module.seedDemo?.(app.apis.get(module.id), app.kernel);
    if (lines?.length) shown.push('', ...lines);
  }
  return shown;
}

const program = new Command('trillium').description('Trillium: an open-source Government as a Platform').showHelpAfterError();

program
  .command('serve')
  .description('apply migrations and serve HTTP (HOST, PORT)')
  .option('--demo', 'add demo data the first time (what exists is kept)')
  .action((options: { demo?: boolean }) =>
    run(async () => {
      const cfg = config();
      const logger = createLogger(cfg);
      const app = await buildApp({ config: cfg, logger });
      const demoLines = options.demo ? await seedDemo(app) : [];
      await listen(app, cfg, logger);
      console.log(`Trillium is ready at ${cfg.publicUrl} (database: ${app.kernel.database.kind})`);
      // Printed last, so the demo passwords are the first thing seen, not lost above the log.
      if (demoLines.length) console.log(demoLines.join('\n') + '\n');
    }),
  );

program
  .command('worker')
  .description('run background jobs without serving HTTP (for dedicated worker processes)')
  .action(() =>
    run(async () => {
      const cfg = config();
      const app = await buildApp({ config: cfg, runJobs: true });
      await app.ready();
      const stop = () => {
        setTimeout(() => process.exit(1), 15_000).unref(); // running jobs get 15 s to finish
        void app.close().then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    }),
  );

program
  .command('migrate')
  .description('apply database migrations and exit')
  .action(() =>
    run(async () => {
      const cfg = config();
      const database = await openDatabase(cfg);
      try {
        await migrate(database);
        console.log(`Migrations applied (${database.kind}).`);
      } finally {
        await database.close();
      }
    }),
  );

program
  .command('seed')
  .description('add data to the database')
  .requiredOption('--demo', 'demo organizations, accounts and module data')
  .action(() =>
    run(async () => {
      const app = await buildApp({ config: config(), runJobs: false });
      try {
        const demoLines = await seedDemo(app);
        await app.kernel.jobs.runUntilIdle();
        console.log('Demo data is in place.');
        if (demoLines.length) console.log(demoLines.join('\n') + '\n');
      } finally {
        await app.close();
      }
    }),
  );

const user = program.command('user').description('manage accounts');
user
  .command('create')
  .description('create a confirmed account (the password is generated and printed, or read from standard input)')
  .requiredOption('--email <email>', 'email address')
  .requiredOption('--name <name>', 'display name')
  .option('--superadmin', 'grant the platform superadmin role')
  .option('--locale <locale>', 'en or fr', 'en')
  .option('--password-stdin', 'read the password from standard input instead of generating one')
  .action((options: { email: string; name: string; superadmin?: boolean; locale: string; passwordStdin?: boolean }) =>
    run(async () => {
      if (options.locale !== 'en' && options.locale !== 'fr') throw new Error('--locale must be en or fr');
      const password = options.passwordStdin ? fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '') : randomBytes(12).toString('base64url');
      const app = await buildApp({ config: config(), runJobs: false });
      try {
        const identity = app.apis.get('identity') as IdentityApi;
        const account = await identity.createAccount(
          { actor: system, requestId: 'cli' },
          { email: options.email, displayName: options.name, password, locale: options.locale, superadmin: !!options.superadmin },
        );
        console.log(`Created ${account.superadmin ? 'superadmin ' : ''}account ${account.email} (${account.id}).`);
        if (!options.passwordStdin) console.log(`Password (shown once): ${password}`);
      } finally {
        await app.close();
      }
    }),
  );

const audit = program.command('audit').description('the tamper-evident audit log');
audit
  .command('verify')
  .description('check the whole hash chain; exits 1 and names the first broken entry if any')
  .option('--anchor <id:hash>', 'a chain head recorded earlier (printed by this command and logged hourly); detects removal of recent entries')
  .action((options: { anchor?: string }) =>
    run(async () => {
      let anchor: { id: number; hash: string } | undefined;
      if (options.anchor) {
        const [id, hash] = options.anchor.split(':');
        if (!id || !/^\d+$/.test(id) || !hash || !/^[0-9a-f]{64}$/.test(hash)) throw new Error('--anchor must look like 1234:<64 hex characters>');
        anchor = { id: Number(id), hash };
      }
      const database = await openDatabase(config());
      try {
        const result = await verifyChain(database.db, anchor ? { anchor } : {});
        if (result.ok) {
          console.log(`Audit log intact: ${result.entries} ${result.entries === 1 ? 'entry' : 'entries'} verified.`);
          if (result.head) console.log(`Head (record it to detect later removals): ${result.head.id}:${result.head.hash}`);
        } else {
          console.error(`Audit log BROKEN at entry ${result.brokenAt}: ${result.reason}`);
          process.exitCode = 1;
        }
      } finally {
        await database.close();
      }
    }),
  );

const configCommand = program.command('config').description('configuration');
configCommand
  .command('check')
  .description('validate the configuration and print it (secrets hidden)')
  .action(() => {
    for (const line of describeConfig(config())) console.log(line);
    console.log('Configuration is valid.');
  });
configCommand
  .command('docs')
  .description('write docs/reference/config.md from the declarations')
  .action(() => {
    const file = path.join(rootDirectory, 'docs/reference/config.md');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, configReference());
    console.log(`Wrote ${path.relative(process.cwd(), file)}`);
  });

await program.parseAsync(process.argv);
