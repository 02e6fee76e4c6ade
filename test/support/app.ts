import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { desc, eq } from 'drizzle-orm';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/kernel/config/index.js';
import { openDatabase, type Database } from '../../src/kernel/db/index.js';
import { outbox } from '../../src/kernel/notify/index.js';
import type { MailTransport } from '../../src/kernel/notify/index.js';

/**
 * A real app on a real database for one test file: an in-memory PGlite by default, or a fresh
 * PostgreSQL database (created, then dropped) when DATABASE_URL is set. Security stays on
 * (CSRF, rate limits); the test client fetches valid tokens like a browser would.
 */
export interface TestApp {
  app: App;
  config: Config;
  database: Database;
  close(): Promise<void>;
}

export async function createTestApp(options: { config?: Partial<Record<keyof Config, unknown>>; transport?: MailTransport } = {}): Promise<TestApp> {
  const adminUrl = loadConfig().databaseUrl;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trillium-test-'));
  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  if (adminUrl) {
    const name = `trillium_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    };
  }
  const config = loadConfig(
    {},
    {
      environment: 'test',
      logLevel: 'silent',
      secret: 'test-secret-test-secret-test-secret-0123',
      publicUrl: 'http://localhost:3000',
      dataDir,
      filesDir: path.join(dataDir, 'files'),
      pgliteDir: 'memory://',
      databaseUrl,
      jobsEnabled: false,
      ...options.config,
    },
  );
  const database = await openDatabase(config);
  const app = await buildApp({ config, database, runJobs: false, ...(options.transport ? { transport: options.transport } : {}) });
  await app.ready();
  return {
    app,
    config,
    database,
    async close() {
      await app.close();
      await database.close();
      await dropDatabase();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The newest message queued for an address (the outbox is the real notification path). */
export async function lastEmail(database: Database, to: string): Promise<{ subject: string; body: string; kind: string; locale: string } | undefined> {
  const [row] = await database.db.select().from(outbox).where(eq(outbox.recipient, to)).orderBy(desc(outbox.createdAt)).limit(1);
  return row;
}

/** The first link in a message body. */
export function linkIn(body: string): string {
  const match = body.match(/https?:\/\/\S+/);
  if (!match) throw new Error(`No link in: ${body}`);
  return match[0];
}

/** Path and query of an absolute URL (for `inject`). */
export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}
