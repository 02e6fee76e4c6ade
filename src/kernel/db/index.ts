import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { lockDirectory } from './lock.js';

export { DirectoryLockedError } from './lock.js';

/** A Drizzle database or transaction: actions and data functions accept either. */
export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;

/** The open database, whichever driver is behind it. */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** Runs `fn` in one transaction: everything it writes (including audit entries) commits or nothing does. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>;
  /** Runs `fn` while holding a cluster-wide lock named `name` (one process at a time). */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Where the committed SQL migrations live. */
export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../drizzle');

/**
 * Opens PostgreSQL through node-postgres when `DATABASE_URL` is set, otherwise the embedded PGlite
 * database (locked to this process). Drivers differ in small ways; this is where they are made alike.
 */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'databasePoolSize' | 'pgliteDir'>, logger?: Logger): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl, config.databasePoolSize, logger) : openPglite(config.pgliteDir);
}

async function openPglite(directory: string): Promise<Database> {
  const [{ PGlite }, { pg_trgm }, { drizzle }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('drizzle-orm/pglite'),
  ]);
  const inMemory = directory.startsWith('memory://');
  const release = inMemory ? () => {} : lockDirectory(path.resolve(directory));
  let client;
  try {
    client = new PGlite(inMemory ? directory : path.resolve(directory), { extensions: { pg_trgm } });
    await client.waitReady;
  } catch (error) {
    release();
    throw error;
  }
  const db = drizzle(client) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    transaction: (fn) => db.transaction(fn),
    async ping() {
      await client.query('select 1');
    },
    // PGlite is one process behind a directory lock: nothing else can contend.
    withLock: (_name, fn) => fn(),
    async close() {
      await client.close();
      release();
    },
  };
}

async function openPostgres(connectionString: string, max: number, logger?: Logger): Promise<Database> {
  const [{ default: pg }, { drizzle }] = await Promise.all([import('pg'), import('drizzle-orm/node-postgres')]);
  // PGlite returns int8 (e.g. count(*)) as a number; node-postgres as a string. Make them alike.
  // This must be node-postgres's global parser: Drizzle passes its own per-query parsers, which
  // fall back to the global ones (a pool-level setting would be ignored).
  pg.types.setTypeParser(pg.types.builtins.INT8, toSafeNumber);
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5000 });
  // A connection lost while idle or while in use (database restart, network cut) must not crash
  // the process: the query in flight fails (503 to its request) and the pool opens new connections.
  const lost = (error: Error) => logger?.warn({ err: error }, 'database connection lost; it will be re-opened');
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  const db = drizzle(pool) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    transaction: (fn) => db.transaction(fn),
    async ping(timeoutMs = 2000) {
      const client = await pool.connect();
      try {
        await client.query(`set statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
        await client.query('select 1');
        await client.query('reset statement_timeout');
      } finally {
        client.release();
      }
    },
    async withLock(name, fn) {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock(hashtext($1))', [name]);
        try {
          return await fn();
        } finally {
          await client.query('select pg_advisory_unlock(hashtext($1))', [name]);
        }
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

function toSafeNumber(value: string): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}

/**
 * Runs raw SQL and returns its rows. Numbers (int8 included) come back alike on both drivers;
 * timestamps may not (a Date on PGlite, a string on PostgreSQL): select them through Drizzle's
 * query builder when their type matters.
 */
export async function rows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** `count(*)` as a JavaScript number on both drivers. */
export const countAll = () => sql<number>`count(*)`.mapWith(Number);

/** True when an error means the database could not be reached (as opposed to a bad query). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string; cause?: unknown } | undefined;
  if (!e) return false;
  if (e.cause && e.cause !== e && isDatabaseUnavailable(e.cause)) return true;
  const code = e.code ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006'].includes(code) ||
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|PGlite is closed|Cannot use a pool after calling end/i.test(e.message ?? '')
  );
}
