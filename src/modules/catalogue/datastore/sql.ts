import { sql, type SQL } from 'drizzle-orm';

/** The schema loaded tables live in (migration 0005), and the role `datastore_search_sql` runs as. */
export const datastoreSchema = 'datastore';
export const readerRole = 'trillium_datastore_reader';

/** A quoted SQL identifier (column and table names come from files people upload). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `datastore."<name>"` as raw SQL. */
export function tableRef(table: string): SQL {
  return sql.raw(`${datastoreSchema}.${ident(table)}`);
}

/** A column as raw SQL (already quoted). */
export function col(name: string): SQL {
  return sql.raw(ident(name));
}

/**
 * The live table of a resource is named after the resource id, as in CKAN, so that
 * `datastore_search_sql` clients can write `SELECT * FROM "<resource id>"`.
 */
export function liveTableName(resourceId: string): string {
  return resourceId;
}

/** A load writes into its own table first; only a complete load is renamed to the live name. */
export function stagingTableName(resourceId: string, tag: string): string {
  return `${resourceId}_${tag}`;
}
