import type { TableSchema } from '../schema.js';
import {
  castCell,
  defaultMissingValues,
  fieldTypes,
  fitsInferred,
  type FieldType,
  type SchemaField,
} from './types.js';

/** How many rows type inference reads before the load starts. */
export const sampleRows = 10_000;

/** What the sample says about one column: used to choose types and which columns get an index. */
export interface ColumnStats {
  values: number;
  distinct: number;
  maxLength: number;
}

// Tried in this order: the first type every non-missing sample value fits wins.
const candidates: FieldType[] = ['integer', 'number', 'boolean', 'date', 'datetime'];

/**
 * Infers a Table Schema from a sample of rows: each column's type is the narrowest of integer,
 * number, boolean, date and datetime that every non-missing value fits, else string. A column
 * with no values at all is a string. `previous` keeps an earlier type (an editor's correction)
 * for a column of the same name when the sample still fits it.
 */
export function inferSchema(
  names: string[],
  sample: string[][],
  previous?: TableSchema | null,
): { schema: TableSchema; stats: ColumnStats[] } {
  const missing = new Set(previous?.missingValues ?? defaultMissingValues);
  const fields: SchemaField[] = [];
  const stats: ColumnStats[] = [];
  names.forEach((name, i) => {
    const possible = new Set<FieldType>(candidates);
    const seen = new Set<string>();
    let values = 0;
    let maxLength = 0;
    for (const row of sample) {
      const cell = row[i] ?? '';
      if (missing.has(cell) || missing.has(cell.trim())) continue;
      values++;
      if (seen.size <= 1000) seen.add(cell);
      maxLength = Math.max(maxLength, cell.length);
      for (const type of possible) if (!fitsInferred(type, cell)) possible.delete(type);
    }
    const earlier = previous?.fields.find((f) => f.name === name);
    let type: string = values ? (candidates.find((c) => possible.has(c)) ?? 'string') : 'string';
    if (
      earlier &&
      (fieldTypes as readonly string[]).includes(earlier.type) &&
      sample.every((row) => castsOrMissing(earlier.type, row[i] ?? '', missing))
    )
      type = earlier.type;
    fields.push({ ...(earlier ? { ...earlier } : {}), name, type });
    stats.push({ values, distinct: seen.size, maxLength });
  });
  const keyFields =
    typeof previous?.primaryKey === 'string' ? [previous.primaryKey] : (previous?.primaryKey ?? []);
  const primaryKey = keyFields.filter((k) => names.includes(k));
  return {
    schema: { fields, missingValues: [...missing], ...(primaryKey.length ? { primaryKey } : {}) },
    stats,
  };
}

function castsOrMissing(type: string, cell: string, missing: Set<string>): boolean {
  return missing.has(cell) || missing.has(cell.trim()) || castCell(type, cell) !== undefined;
}
