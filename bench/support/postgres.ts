/**
 * A throw-away PostgreSQL database per run: created on the server named by an admin URL
 * (`--postgres=URL`, default `postgres://postgres@127.0.0.1:5432/postgres`), dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The server's version string, or the reason it cannot be reached. */
export async function postgresVersion(
  adminUrl: string,
): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
  try {
    const version = await withAdmin(
      adminUrl,
      async (c) => (await c.query<{ version: string }>('select version()')).rows[0]!.version,
    );
    return { ok: true, version };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

export async function createScratchDatabase(
  adminUrl: string,
  prefix = 'trillium_bench',
): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withAdmin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(
        () => undefined,
      ),
  };
}
