import type { Database } from './index.js';
import { migrationsFolder } from './index.js';

/**
 * Applies the committed SQL migrations in `drizzle/`. Replicas starting together against one
 * PostgreSQL server take turns, so each migration runs exactly once.
 */
export async function migrate(database: Database): Promise<void> {
  const { migrate: run } =
    database.kind === 'pglite' ? await import('drizzle-orm/pglite/migrator') : await import('drizzle-orm/node-postgres/migrator');
  await database.withLock('trillium.migrate', () => run(database.db as never, { migrationsFolder }));
}
