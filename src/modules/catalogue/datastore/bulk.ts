import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Database } from '../../../kernel/db/index.js';

/** Where the loader writes rows: CSV text for `COPY … FROM` of one table, in bounded pieces. */
export interface BulkWriter {
  /** Writes CSV lines; resolves when there is room for more (back-pressure keeps memory bounded). */
  write(text: string): Promise<void>;
  /** Sends what is left and ends the copy. */
  finish(): Promise<void>;
  /** Gives up: the copy is cancelled (the staging table is dropped by the caller). */
  abort(): Promise<void>;
}

interface PoolLike {
  connect(): Promise<{ query(q: unknown): unknown; release(error?: Error | boolean): void }>;
}
interface PgliteLike {
  query(text: string, params?: unknown[], options?: { blob?: Blob }): Promise<unknown>;
}

/** The driver's own client behind Drizzle (public Drizzle API: `db.$client`). */
function clientOf<T>(database: Database): T {
  return (database.db as unknown as { $client: T }).$client;
}

/** Bytes of CSV sent to PGlite per `COPY` (one piece in memory at a time). */
export const pgliteChunkBytes = 8 * 1024 * 1024;

/**
 * Opens a bulk writer for `copySql` (`COPY datastore."t" (…) FROM STDIN WITH (FORMAT csv)`).
 * PostgreSQL: one `COPY FROM STDIN` stream on a connection of its own (pg-copy-streams).
 * PGlite has no stdin: the text is sent in pieces of about 8 MB, each as `COPY … FROM '/dev/blob'`.
 */
export async function openBulkWriter(database: Database, copySql: string): Promise<BulkWriter> {
  if (database.kind === 'postgres') {
    const { from: copyFrom } = await import('pg-copy-streams');
    const client = await clientOf<PoolLike>(database).connect();
    const stream = client.query(copyFrom(copySql)) as Writable;
    let failure: Error | undefined;
    stream.on('error', (error: Error) => {
      failure = error;
    });
    let released = false;
    const release = (error?: Error) => {
      if (released) return;
      released = true;
      client.release(error);
    };
    return {
      async write(text) {
        if (failure) throw failure;
        // `once` rejects if the stream fails while waiting, and leaves no listener behind either way.
        if (!stream.write(text)) await once(stream, 'drain');
        if (failure) throw failure;
      },
      async finish() {
        if (failure) throw failure;
        stream.end();
        try {
          await once(stream, 'finish');
        } catch (error) {
          release(error as Error);
          throw error;
        }
        release();
      },
      async abort() {
        // Destroying the stream fails the COPY; the connection is discarded rather than reused.
        stream.destroy(new Error('load cancelled'));
        release(new Error('load cancelled'));
      },
    };
  }
  const client = clientOf<PgliteLike>(database);
  const blobSql = copySql.replace(/FROM STDIN/i, "FROM '/dev/blob'");
  let pieces: string[] = [];
  let size = 0;
  const flush = async () => {
    if (!size) return;
    const blob = new Blob(pieces);
    pieces = [];
    size = 0;
    await client.query(blobSql, [], { blob });
  };
  return {
    async write(text) {
      pieces.push(text);
      size += text.length;
      if (size >= pgliteChunkBytes) await flush();
    },
    finish: flush,
    async abort() {
      pieces = [];
      size = 0;
    },
  };
}
