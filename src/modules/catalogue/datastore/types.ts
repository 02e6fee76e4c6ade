import type { TableSchema } from '../schema.js';

/** The Table Schema field types the datastore loads into typed columns; any other type is text. */
export const fieldTypes = ['string', 'integer', 'number', 'boolean', 'date', 'datetime'] as const;
export type FieldType = (typeof fieldTypes)[number];
export type SchemaField = TableSchema['fields'][number];

/** Cells that mean "no value" unless the schema says otherwise (Frictionless `missingValues`). */
export const defaultMissingValues = ['', 'NA', 'N/A', 'n/a', 'NULL', 'null'];

/** Column names the datastore adds itself (CKAN's `_id`, and the full-text column for `q`). */
export const reservedColumns = ['_id', '_full_text'] as const;

/** The PostgreSQL type of each field type; unknown types (time, year, geopoint…) stay text. */
export function columnType(type: string): string {
  switch (type) {
    case 'integer':
      return 'bigint';
    case 'number':
      return 'numeric';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'timestamp';
    default:
      return 'text';
  }
}

/** CKAN's names for the column types (`datastore_search` returns them in `fields`). */
export function ckanType(type: string): string {
  return (
    { integer: 'int', number: 'numeric', boolean: 'bool', date: 'date', datetime: 'timestamp' }[type] ??
    'text'
  );
}

const integerPattern = /^[+-]?\d{1,18}$/;
const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?$/;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const datetimePattern =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const trueValues = new Set(['true', 'yes', 'y', 't', '1']);
const falseValues = new Set(['false', 'no', 'n', 'f', '0']);

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [
    31,
    y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ][m - 1]!;
  return d <= days;
}

/**
 * A cell as the text PostgreSQL reads for the column (`COPY` CSV), or `undefined` when the cell
 * does not fit the type. Missing values are decided by the caller, before this.
 */
export function castCell(type: string, raw: string): string | undefined {
  const value = raw.trim();
  switch (type) {
    case 'integer':
      return integerPattern.test(value) ? value.replace(/^\+/, '') : undefined;
    case 'number':
      return numberPattern.test(value) ? value.replace(/^\+/, '') : undefined;
    case 'boolean': {
      const v = value.toLowerCase();
      return trueValues.has(v) ? 't' : falseValues.has(v) ? 'f' : undefined;
    }
    case 'date': {
      const m = datePattern.exec(value);
      return m && validDate(+m[1]!, +m[2]!, +m[3]!) ? value : undefined;
    }
    case 'datetime': {
      const m = datetimePattern.exec(value);
      if (!m || !validDate(+m[1]!, +m[2]!, +m[3]!) || +m[4]! > 23 || +m[5]! > 59 || +(m[6] ?? 0) > 59)
        return undefined;
      const local = `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6] ?? '00'}${m[7] ?? ''}`;
      if (!m[8]) return local;
      // Times with an offset are stored in UTC (the column has no time zone).
      const offset = m[8] === 'Z' ? 'Z' : `${m[8].slice(0, 3)}:${m[8].slice(-2)}`;
      const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${m[7] ?? ''}${offset}`);
      return Number.isNaN(at.getTime()) ? undefined : at.toISOString().replace('T', ' ').replace('Z', '');
    }
    default:
      return raw;
  }
}

/**
 * Whether a value can be inferred as the type. Stricter than casting: integers with leading zeros
 * (postal codes, identifiers) stay text, and only true/false/yes/no make a boolean column.
 */
export function fitsInferred(type: FieldType, raw: string): boolean {
  const value = raw.trim();
  switch (type) {
    case 'integer':
      return integerPattern.test(value) && !/^[+-]?0\d/.test(value);
    case 'number':
      return numberPattern.test(value) && !/^[+-]?0\d/.test(value);
    case 'boolean':
      return /^(true|false|yes|no)$/i.test(value);
    default:
      return castCell(type, value) !== undefined;
  }
}

/** A cell read back from the database (selected as text) as JSON clients expect it. */
export function jsonValue(type: string, text: string | null): unknown {
  if (text === null) return null;
  switch (type) {
    case 'integer': {
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : text;
    }
    case 'number': {
      // CKAN clients expect numbers; a value beyond double precision keeps its exact text.
      const n = Number(text);
      return Number.isFinite(n) && Math.abs(n) < 2 ** 53 ? n : text;
    }
    case 'boolean':
      return text === 'true' || text === 't';
    case 'datetime':
      return text.replace(' ', 'T');
    default:
      return text;
  }
}
