import { describe, expect, it } from 'vitest';
import { CkanError } from '../ckan/errors.js';
import { parseFilterQuery, resolveFilters, sortOf, splitQuery } from '../ckan/solr.js';

/** The Solr syntax CKAN clients send, as the adapter understands it (no database needed). */

const orgs = async () => [
  { id: '11111111-1111-4111-8111-111111111111', slug: 'transport' },
  { id: '22222222-2222-4222-8222-222222222222', slug: 'health' },
  { id: '33333333-3333-4333-8333-333333333333', slug: 'finance' },
];

function refused(run: () => unknown): CkanError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CkanError);
    expect((error as CkanError).type).toBe('Search Query Error');
    return error as CkanError;
  }
  throw new Error('not refused');
}

describe('fq parsing', () => {
  it('reads clauses joined by spaces, AND, && and +, with quoted and escaped values', () => {
    expect(parseFilterQuery('organization:transport +tags:"road safety" AND res_format:CSV && license_id:cc\\-by')).toEqual([
      { field: 'organization', values: ['transport'], negative: false },
      { field: 'tags', values: ['road safety'], negative: false },
      { field: 'res_format', values: ['CSV'], negative: false },
      { field: 'license_id', values: ['cc-by'], negative: false },
    ]);
    expect(parseFilterQuery('tags:"say \\"hi\\""')).toEqual([{ field: 'tags', values: ['say "hi"'], negative: false }]);
    expect(parseFilterQuery('')).toEqual([]);
    expect(parseFilterQuery('*:*')).toEqual([]);
  });

  it('reads alternatives: field:(a OR "b c") and field:a OR field:b', () => {
    expect(parseFilterQuery('groups:(roads OR "public safety")')).toEqual([{ field: 'groups', values: ['roads', 'public safety'], negative: false }]);
    expect(parseFilterQuery('groups:(roads safety)')).toEqual([{ field: 'groups', values: ['roads', 'safety'], negative: false }]);
    expect(parseFilterQuery('tags:a OR tags:b || tags:c')).toEqual([{ field: 'tags', values: ['a', 'b', 'c'], negative: false }]);
  });

  it('reads negation: -field, !field and NOT field', () => {
    for (const fq of ['-organization:health', '!organization:health', 'NOT organization:health']) {
      expect(parseFilterQuery(fq)).toEqual([{ field: 'organization', values: ['health'], negative: true }]);
    }
  });

  it('refuses what it cannot run: wildcards, ranges, OR across fields, AND inside parentheses, broken syntax', () => {
    for (const fq of ['tags:road*', 'tags:ro?d', 'metadata_modified:[NOW-1DAY TO NOW]', 'tags:a OR groups:b', 'groups:(a AND b)', 'tags:"open', 'groups:(a', 'just words', 'tags:', 'tags:a OR', 'groups:()']) {
      expect(refused(() => parseFilterQuery(fq)).message).toMatch(/^Search Query is invalid: /);
    }
  });
});

describe('q', () => {
  it('takes field:value words for known fields out of the text, and keeps the rest as full text', () => {
    expect(splitQuery('tags:water flood levels')).toEqual({ text: 'flood levels', clauses: [{ field: 'tags', values: ['water'], negative: false }] });
    expect(splitQuery('title:roads "winter maintenance"')).toEqual({ text: 'roads "winter maintenance"', clauses: [] });
    expect(splitQuery('ratio 3:1')).toEqual({ text: 'ratio 3:1', clauses: [] });
    expect(splitQuery('*:*')).toEqual({ text: undefined, clauses: [] });
    expect(splitQuery(undefined)).toEqual({ text: undefined, clauses: [] });
  });
});

describe('filters', () => {
  it('maps CKAN fields to search filters; owner_org ids become organization names', async () => {
    const f = await resolveFilters(parseFilterQuery('owner_org:22222222-2222-4222-8222-222222222222 tags:Water res_format:csv license_id:x access_level:open groups:(a OR b) name:n'), orgs);
    expect(f).toEqual({ nothing: false, organization: ['health'], keyword: ['Water'], format: ['csv'], licence: ['x'], access: ['open'], group: ['a', 'b'], names: ['n'] });
  });

  it('narrows single-valued fields clause by clause, and finds nothing when they contradict', async () => {
    expect(await resolveFilters(parseFilterQuery('organization:(transport OR health) organization:health'), orgs)).toEqual({ nothing: false, organization: ['health'] });
    expect((await resolveFilters(parseFilterQuery('organization:transport organization:health'), orgs)).nothing).toBe(true);
    expect((await resolveFilters(parseFilterQuery('access_level:secret'), orgs)).nothing).toBe(true);
    expect((await resolveFilters(parseFilterQuery('dataset_type:dataset'), orgs)).nothing).toBe(false);
    expect((await resolveFilters(parseFilterQuery('-dataset_type:dataset'), orgs)).nothing).toBe(true);
  });

  it('turns negation on closed sets into the other values, and refuses it elsewhere', async () => {
    expect(await resolveFilters(parseFilterQuery('-organization:health'), orgs)).toEqual({ nothing: false, organization: ['transport', 'finance'] });
    expect(await resolveFilters(parseFilterQuery('-access_level:(open OR under_review)'), orgs)).toEqual({ nothing: false, access: ['restricted'] });
    await expect(resolveFilters(parseFilterQuery('-tags:water'), orgs)).rejects.toThrow(/negative filters/);
  });

  it('refuses unknown fields and a second clause on a field with several values per dataset', async () => {
    await expect(resolveFilters(parseFilterQuery('colour:blue'), orgs)).rejects.toThrow(/cannot filter on "colour"/);
    await expect(resolveFilters(parseFilterQuery('tags:a tags:b'), orgs)).rejects.toThrow(/tags:\(a OR b\)/);
  });
});

describe('sort', () => {
  it('maps CKAN sorts to Trillium’s, by their first key', () => {
    expect(sortOf('score desc, metadata_modified desc')).toBe('relevance');
    expect(sortOf('rank')).toBe('relevance');
    expect(sortOf('metadata_modified desc')).toBe('newest');
    expect(sortOf('title_string asc')).toBe('name');
    expect(sortOf('Name  ASC')).toBe('name');
    expect(sortOf('views_recent desc')).toBe('popular');
    expect(sortOf('views_total desc')).toBe('popular');
  });

  it('refuses sorts it cannot give', () => {
    for (const sort of ['title_string desc', 'metadata_created desc', 'metadata_modified asc', 'random']) expect(refused(() => sortOf(sort)).message).toContain('is not supported');
  });
});
