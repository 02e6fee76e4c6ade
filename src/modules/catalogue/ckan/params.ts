import { validationError } from './errors.js';
import { arrayOf, scalar } from './forms.js';

/**
 * Readers for CKAN action parameters. GET and form posts send every value as a string (and a
 * repeated key as a list); JSON bodies send real types. Each reader accepts both and answers a
 * CKAN "Validation Error" naming the parameter when a value cannot be understood.
 */

type Params = Record<string, unknown>;

function first(params: Params, key: string): unknown {
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

/** A text parameter, or undefined when absent or empty. */
export function text(params: Params, key: string): string | undefined {
  return scalar(first(params, key));
}

/** A text parameter that must be there (CKAN: "Missing value"). */
export function required(params: Params, key: string): string {
  const value = text(params, key);
  if (value === undefined) throw validationError({ [key]: ['Missing value'] });
  return value;
}

/** The first of several parameters that is present (`id` or `name_or_id`, …), or "Missing value" for the first. */
export function requiredOneOf(params: Params, keys: string[]): string {
  for (const key of keys) {
    const value = text(params, key);
    if (value !== undefined) return value;
  }
  throw validationError({ [keys[0]!]: ['Missing value'] });
}

/** A whole number ≥ 0 (or any integer with `negative`), or the fallback when absent. */
export function integer(params: Params, key: string, fallback: number, options: { negative?: boolean } = {}): number {
  const value = first(params, key);
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw validationError({ [key]: ['Invalid integer'] });
  if (n < 0 && !options.negative) throw validationError({ [key]: ['Must be a natural number'] });
  return n;
}

/** A boolean as CKAN reads them: true/false, "true"/"True"/"1"/"yes"/"on" and their opposites. */
export function flag(params: Params, key: string, fallback = false): boolean {
  const value = first(params, key);
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  const s = String(value).trim().toLowerCase();
  if (['true', '1', 'yes', 'on', 't', 'y'].includes(s)) return true;
  if (['false', '0', 'no', 'off', 'f', 'n'].includes(s)) return false;
  throw validationError({ [key]: ['Value must be one of: true; false'] });
}

/** A list of strings: a JSON list (CKAN's `facet.field=["tags"]`), a real list, or one value. */
export function stringList(params: Params, key: string): string[] | undefined {
  const value = params[key];
  if (value === undefined || value === null || value === '') return undefined;
  const list = arrayOf(value) ?? (typeof value === 'string' && !value.trim().startsWith('[') ? [value] : undefined);
  if (!list) throw validationError({ [key]: ['Could not parse as valid JSON'] });
  const strings = list.map(scalar);
  if (strings.some((s) => s === undefined)) throw validationError({ [key]: ['Not a list of strings'] });
  return strings as string[];
}
