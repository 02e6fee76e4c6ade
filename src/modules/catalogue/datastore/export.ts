import type { Db } from '../../../kernel/db/index.js';
import { runQuery, type DataQuery } from './query.js';
import type { LiveColumn } from './store.js';

export type ExportFormat = 'csv' | 'json';

/** Rows read from the database per batch while exporting. */
export const exportBatchRows = 5000;

function csvCell(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) || value === '' || /^\s|\s$/.test(value)
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

/**
 * The result of a query as CSV or JSON text, produced batch by batch: each batch continues after
 * the last row of the one before (keyset paging on the sort keys and `_id`), so memory holds one
 * batch whatever the table's size, no transaction is held open, and a reload that swaps the table
 * in meanwhile never blocks on an export. `limit` caps the rows exported (none by default).
 */
export async function* exportText(
  db: Db,
  table: string,
  columns: LiveColumn[],
  query: DataQuery,
  format: ExportFormat,
  cap: number | null,
): AsyncGenerator<string> {
  let first = true;
  let sent = 0;
  let after: string | null = query.after;
  for (;;) {
    const batch = cap === null ? exportBatchRows : Math.min(exportBatchRows, cap - sent);
    if (batch <= 0) break;
    const page = await runQuery(db, table, columns, {
      ...query,
      limit: batch,
      after,
      offset: first ? query.offset : 0,
      includeTotal: false,
    });
    if (first) {
      yield format === 'csv'
        ? page.fields.map((f) => csvCell(f.name)).join(',') + '\r\n'
        : `{"fields":${JSON.stringify(page.fields.map((f) => ({ id: f.name, type: f.type === 'id' ? 'integer' : f.type })))},"records":[`;
    }
    if (page.records.length) {
      yield format === 'csv'
        ? page.texts.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n'
        : (sent > 0 ? ',' : '') + page.records.map((r) => JSON.stringify(r)).join(',');
    }
    first = false;
    sent += page.records.length;
    if (!page.nextCursor) break;
    after = page.nextCursor;
  }
  if (format === 'json') yield ']}';
}
