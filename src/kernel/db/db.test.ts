import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { loadConfig } from '../config/index.js';
import { jobsTable } from '../jobs/index.js';
import { countAll, DirectoryLockedError, isDatabaseUnavailable, openDatabase, rows } from './index.js';
import { lockDirectory } from './lock.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The same choice createTestApp makes: PostgreSQL when DATABASE_URL is set. */
const onPostgres = Boolean(loadConfig(undefined, { secret: 'x'.repeat(32) }).databaseUrl);

let t: TestApp;
let tmp: string;
beforeAll(async () => {
  t = await createTestApp();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trillium-db-'));
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A pid no process has (checked, not assumed). */
function deadPid(): number {
  for (let pid = 999_999; pid > 900_000; pid--) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
  throw new Error('no free pid found');
}

describe('lockDirectory', () => {
  it('refuses a second lock on the same directory, naming the owner’s pid; release frees it', () => {
    const dir = path.join(tmp, 'same-process');
    const release = lockDirectory(dir);
    const lockFile = `${dir}.lock`;
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
    let error: unknown;
    try {
      lockDirectory(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DirectoryLockedError);
    expect((error as DirectoryLockedError).pid).toBe(process.pid);
    expect((error as DirectoryLockedError).message).toContain(
      `in use by another Trillium process (pid ${process.pid})`,
    );
    release();
    expect(fs.existsSync(lockFile)).toBe(false);
    release(); // twice is harmless
    lockDirectory(dir)();
  });

  it('takes over a stale lock left by a process that no longer runs', () => {
    const dir = path.join(tmp, 'stale');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${dir}.lock`, String(deadPid()));
    const release = lockDirectory(dir);
    expect(fs.readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
    release();
  });

  it('refuses a lock held by another live process', async () => {
    const dir = path.join(tmp, 'other-process');
    fs.mkdirSync(dir, { recursive: true });
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(`${dir}.lock`, String(child.pid));
      expect(() => lockDirectory(dir)).toThrow(new RegExp(`pid ${child.pid}\\)`));
      // Not removed: the owner is alive.
      expect(fs.readFileSync(`${dir}.lock`, 'utf8')).toBe(String(child.pid));
    } finally {
      child.kill();
    }
  });

  it('a second Trillium process refuses to open a directory this process holds', () => {
    const dir = path.join(tmp, 'cli');
    const release = lockDirectory(dir);
    try {
      // `env -u` keeps the rest of the environment but makes the CLI use PGlite, not a server.
      const result = spawnSync(
        'env',
        [
          '-u',
          'DATABASE_URL',
          `TRILLIUM_PGLITE_DIR=${dir}`,
          `TRILLIUM_DATA_DIR=${tmp}`,
          'TRILLIUM_LOG_LEVEL=silent',
          process.execPath,
          'bin/trillium.mjs',
          'migrate',
        ],
        { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 },
      );
      expect(result.status, result.stderr).toBe(1);
      expect(result.stderr).toContain('in use by another Trillium process');
      expect(result.stderr).toContain(`pid ${process.pid}`);
      expect(result.stderr).not.toMatch(/\n\s+at /); // one clear line, no stack trace
      // The lock is still ours.
      expect(fs.readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
    } finally {
      release();
    }
  }, 90_000);

  it('openDatabase on PGlite holds the lock until closed; a closed database counts as unavailable', async () => {
    const dir = path.join(tmp, 'pglite');
    const database = await openDatabase({ databaseUrl: undefined, databasePoolSize: 1, pgliteDir: dir });
    try {
      expect(database.kind).toBe('pglite');
      expect(fs.readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
      await expect(
        openDatabase({ databaseUrl: undefined, databasePoolSize: 1, pgliteDir: dir }),
      ).rejects.toBeInstanceOf(DirectoryLockedError);
    } finally {
      await database.close();
    }
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
    const error = await database.db.execute(sql`select 1`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});

describe('driver differences made alike', () => {
  it('countAll() is a JavaScript number on both drivers', async () => {
    const [row] = await t.database.db.select({ n: countAll() }).from(jobsTable);
    expect(typeof row!.n).toBe('number');
    expect(row!.n).toBeGreaterThanOrEqual(0);
  });

  it('rows() returns the rows of raw SQL', async () => {
    const result = await rows<{ word: string; total: string }>(
      t.database.db,
      sql`select 'x' as word, sum(g)::numeric as total from generate_series(1, 4) g`,
    );
    expect(result).toEqual([{ word: 'x', total: '10' }]);
  });

  // Drizzle's node-postgres session passes its own per-query parsers, so the int8 parser has to be
  // node-postgres's global one (a pool-level `types` option would be ignored).
  it('rows() returns count(*) as a number on both drivers', async () => {
    const [row] = await rows<{ n: unknown }>(
      t.database.db,
      sql`select count(*) as n from generate_series(1, 5)`,
    );
    expect(row!.n).toBe(5);
  });

  it('ping() answers', async () => {
    await expect(t.database.ping(2000)).resolves.toBeUndefined();
  });

  it('withLock runs the function and returns its value', async () => {
    expect(await t.database.withLock('probe.lock', async () => 42)).toBe(42);
  });
});

describe('isDatabaseUnavailable', () => {
  it('recognises connection failures, however deeply wrapped', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '08006'])
      expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code }))).toBe(true);
    expect(
      isDatabaseUnavailable(
        new Error('Failed query', { cause: new Error('Connection terminated unexpectedly') }),
      ),
    ).toBe(true);
    expect(
      isDatabaseUnavailable(
        new Error('a', {
          cause: new Error('b', { cause: Object.assign(new Error('c'), { code: 'ECONNREFUSED' }) }),
        }),
      ),
    ).toBe(true);
    expect(isDatabaseUnavailable(new Error('PGlite is closed'))).toBe(true);
  });

  it('does not mistake query errors for an unavailable database', () => {
    expect(
      isDatabaseUnavailable(Object.assign(new Error('syntax error at or near "selec"'), { code: '42601' })),
    ).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    const selfCaused = new Error('loop') as Error & { cause?: unknown };
    selfCaused.cause = selfCaused;
    expect(isDatabaseUnavailable(selfCaused)).toBe(false);
  });

  it('recognises a real refused connection to a PostgreSQL server', async () => {
    // A port nobody listens on: bind one, note it, close it.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const database = await openDatabase({
      databaseUrl: `postgres://nobody@127.0.0.1:${port}/none`,
      databasePoolSize: 1,
      pgliteDir: 'memory://',
    });
    try {
      const error = await database.db.execute(sql`select 1`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(error)).toBe(true);
      await expect(database.ping(500)).rejects.toBeDefined();
    } finally {
      await database.close();
    }
  });

  // A client checked out of the pool (ping(), withLock(), every transaction) needs its own 'error'
  // listener, or a dropped connection would kill the process with an uncaught exception.
  (onPostgres ? it : it.skip)(
    'a connection cut while a client is checked out does not crash the process',
    () => {
      const result = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'test/support/kernel-db-outage.ts', t.config.databaseUrl!],
        {
          cwd: repoRoot,
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      expect(result.stderr).not.toContain('Connection terminated unexpectedly');
      expect(result.stdout).toMatch(/ping failed: /);
      expect(result.stdout).toMatch(/transaction failed: /);
      expect(result.stdout).toContain('survived');
      expect(result.status).toBe(0);
    },
    90_000,
  );
});
