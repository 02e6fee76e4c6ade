import type { SearchRequest } from '../actions/search.js';
import { accessLevels } from '../schema.js';
import type { AccessLevel } from '../types.js';
import { searchQueryError } from './errors.js';

/**
 * The parts of Solr's query syntax CKAN clients send to `package_search`, translated into the
 * filters and sorts of Trillium's own search (actions/search.ts). What cannot be translated
 * faithfully is refused with a "Search Query Error" that says why, rather than answered wrongly.
 */

/** One `field:value` clause; `values` are alternatives (`field:(a OR b)`). */
export interface Clause {
  field: string;
  values: string[];
  negative: boolean;
}

/** CKAN filter field → Trillium search filter. */
const targets = {
  organization: 'organization',
  owner_org: 'owner_org',
  groups: 'group',
  tags: 'keyword',
  keywords: 'keyword',
  res_format: 'format',
  license_id: 'licence',
  access_level: 'access',
  name: 'names',
  dataset_type: 'type',
  type: 'type',
} as const;
type Target = (typeof targets)[keyof typeof targets];

/** The fields `fq` (and `field:value` words in `q`) may filter on. */
export const filterFields: readonly string[] = Object.keys(targets);

/** Fields a dataset has several values of: two clauses would mean "both", which search cannot ask. */
const multiValued = new Set<Target>(['group', 'keyword', 'format']);

/** Parses an `fq` string: clauses joined by spaces, `AND`, `+`; `OR` between values of one field. */
export function parseFilterQuery(fq: string): Clause[] {
  const s = fq;
  let i = 0;
  const clauses: Clause[] = [];
  let pendingOr = false;
  let pendingNot = false;
  const space = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const keyword = (word: string) => s.startsWith(word, i) && (i + word.length === s.length || /[\s(]/.test(s[i + word.length]!));
  const quoted = () => {
    i++;
    let out = '';
    while (i < s.length && s[i] !== '"') {
      if (s[i] === '\\' && i + 1 < s.length) {
        out += s[i + 1];
        i += 2;
      } else out += s[i++];
    }
    if (s[i] !== '"') throw searchQueryError('a quoted value is not closed');
    i++;
    return out;
  };
  const bare = () => {
    let out = '';
    while (i < s.length && !/[\s()]/.test(s[i]!)) {
      if (s[i] === '\\' && i + 1 < s.length) {
        out += s[i + 1];
        i += 2;
        continue;
      }
      if (s[i] === '*' || s[i] === '?') throw searchQueryError(`wildcards are not supported in filters ("${s.slice(0, 80)}")`);
      out += s[i++];
    }
    if (!out) throw searchQueryError(`a value is missing in "${s.slice(0, 80)}"`);
    return out;
  };
  const value = (): string[] => {
    if (s[i] === '"') return [quoted()];
    if (s[i] === '[' || s[i] === '{') throw searchQueryError('range queries are not supported');
    if (s[i] !== '(') return [bare()];
    i++;
    const values: string[] = [];
    for (;;) {
      space();
      if (i >= s.length) throw searchQueryError('a parenthesis is not closed');
      if (s[i] === ')') {
        i++;
        break;
      }
      if (keyword('OR') || s.startsWith('||', i)) {
        i += 2;
        continue;
      }
      if (keyword('AND') || s.startsWith('&&', i)) throw searchQueryError('values in parentheses can be joined with OR only');
      values.push(s[i] === '"' ? quoted() : bare());
    }
    if (!values.length) throw searchQueryError('empty parentheses');
    return values;
  };

  for (;;) {
    space();
    if (i >= s.length) break;
    if (keyword('AND') || s.startsWith('&&', i)) {
      i += keyword('AND') ? 3 : 2;
      continue;
    }
    if (keyword('OR') || s.startsWith('||', i)) {
      i += 2;
      pendingOr = true;
      continue;
    }
    if (keyword('NOT')) {
      i += 3;
      pendingNot = true;
      continue;
    }
    let negative = pendingNot;
    pendingNot = false;
    if (s[i] === '+') i++;
    else if (s[i] === '-' || s[i] === '!') {
      negative = !negative;
      i++;
    }
    if (s.startsWith('*:*', i)) {
      i += 3;
      pendingOr = false;
      continue;
    }
    const field = /^[A-Za-z_][\w.]*/.exec(s.slice(i))?.[0];
    if (!field || s[i + field.length] !== ':') throw searchQueryError(`expected field:value at "${s.slice(i, i + 40)}"`);
    i += field.length + 1;
    const values = value();
    const previous = clauses[clauses.length - 1];
    if (pendingOr) {
      if (!previous || previous.field !== field || previous.negative || negative) {
        throw searchQueryError('OR is supported between values of one field only, as field:(a OR b)');
      }
      previous.values.push(...values);
      pendingOr = false;
    } else clauses.push({ field, values, negative });
  }
  if (pendingOr || pendingNot) throw searchQueryError(`"${s.slice(0, 80)}" ends with an operator`);
  return clauses;
}

/**
 * Splits `q` into full text and the `field:value` words it holds for fields `fq` knows
 * (`q=tags:water flood` is "flood" among datasets tagged "water"). `text:`, `title:` and `notes:`
 * are searched as text; `*:*` means everything.
 */
export function splitQuery(q: string | undefined): { text: string | undefined; clauses: Clause[] } {
  const clauses: Clause[] = [];
  if (!q) return { text: undefined, clauses };
  const rest = q.replace(/(^|\s)([+-]?)([A-Za-z_][\w.]*):("(?:[^"\\]|\\.)*"|\([^)]*\)|\S+)/g, (all, lead: string, sign: string, field: string, value: string) => {
    if (field === 'text' || field === 'title' || field === 'notes') return `${lead}${sign}${value}`;
    if (!filterFields.includes(field)) return all;
    clauses.push(...parseFilterQuery(`${sign}${field}:${value}`));
    return lead;
  });
  const text = rest.replace(/\s+/g, ' ').trim();
  return { text: text && text !== '*:*' && text !== '*' ? text : undefined, clauses };
}

/** Filters for `searchCatalogue`, plus what only the adapter can do. */
export interface Filters {
  organization?: string[];
  group?: string[];
  keyword?: string[];
  format?: string[];
  licence?: string[];
  access?: AccessLevel[];
  /** Datasets with these names only. */
  names?: string[];
  /** The clauses contradict each other (or ask for another dataset type): nothing matches. */
  nothing: boolean;
}

/** Organizations, for `owner_org` (ids) and negative `organization` clauses. */
export type OrganizationList = () => Promise<Array<{ id: string; slug: string }>>;

/**
 * Turns clauses into search filters. Clauses on one single-valued field narrow each other
 * (AND); on a multi-valued field (groups, tags, formats) only one clause is possible, with
 * alternatives in parentheses. Negative clauses work on fields with a closed set of values
 * (organization, owner_org, access_level).
 */
export async function resolveFilters(clauses: Clause[], organizations: OrganizationList): Promise<Filters> {
  const filters: Filters = { nothing: false };
  let orgs: Array<{ id: string; slug: string }> | undefined;
  const allOrgs = async () => (orgs ??= await organizations());
  for (const clause of clauses) {
    const target = (targets as Record<string, Target>)[clause.field];
    if (!target) throw searchQueryError(`cannot filter on "${clause.field}"; filters: ${filterFields.join(', ')}`);
    if (target === 'type') {
      if (clause.values.includes('dataset') === clause.negative) filters.nothing = true;
      continue;
    }
    let key: Exclude<Target, 'type' | 'owner_org'> = target === 'owner_org' ? 'organization' : target;
    let values = clause.values;
    if (target === 'owner_org') {
      const list = await allOrgs();
      values = values.map((v) => list.find((o) => o.id === v || o.slug === v)?.slug ?? v);
      key = 'organization';
    }
    if (clause.negative) {
      if (key === 'organization') values = (await allOrgs()).map((o) => o.slug).filter((slug) => !values.includes(slug));
      else if (key === 'access') values = accessLevels.filter((level) => !values.includes(level));
      else throw searchQueryError(`negative filters work on organization, owner_org and access_level only, not "${clause.field}"`);
    }
    if (key === 'access') values = values.filter((v) => (accessLevels as readonly string[]).includes(v));
    const current = filters[key] as string[] | undefined;
    if (current === undefined) {
      (filters as unknown as Record<string, string[]>)[key] = values;
    } else if (multiValued.has(key)) {
      throw searchQueryError(`one clause per field for ${clause.field}: give alternatives as ${clause.field}:(a OR b)`);
    } else {
      (filters as unknown as Record<string, string[]>)[key] = current.filter((v) => values.includes(v));
    }
    if (!(filters[key] as string[]).length) filters.nothing = true;
  }
  return filters;
}

type Sort = NonNullable<SearchRequest['sort']>;

const sorts: Array<[RegExp, Sort]> = [
  [/^(score|rank)( desc)?$/, 'relevance'],
  [/^metadata_modified desc$/, 'newest'],
  [/^(title_string|title|name) asc$/, 'name'],
  [/^views_(recent|total) desc$/, 'popular'],
  [/^quality(_score)? desc$/, 'quality'],
];

/** CKAN sort strings supported, for error messages and the documentation. */
export const supportedSorts = ['score desc, metadata_modified desc', 'metadata_modified desc', 'title_string asc', 'name asc', 'views_recent desc', 'views_total desc'];

/**
 * Trillium's sort for a CKAN `sort` ("score desc, metadata_modified desc"). Only the first key
 * decides: Trillium breaks ties itself (newest first, then id).
 */
export function sortOf(sort: string): Sort {
  const key = sort.split(',')[0]!.trim().toLowerCase().replace(/\s+/g, ' ');
  const found = sorts.find(([pattern]) => pattern.test(key));
  if (!found) throw searchQueryError(`sort "${sort}" is not supported; use one of: ${supportedSorts.join(' | ')}`);
  return found[1];
}
