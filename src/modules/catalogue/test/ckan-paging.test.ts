import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { makeOrganization } from '../../identity/test/factories.js';

/** `package_search` paging over more datasets than one page may hold: `rows` is capped at 1000. */

let t: TestApp;
const total = 1005;

beforeAll(async () => {
  t = await createTestApp();
  const org = await makeOrganization(t.app, 'bulk');
  // Many published datasets at once, straight into the table (the actions would take minutes).
  await t.database.db.execute(sql`
    insert into catalogue.datasets (name, title, description, organization_id, organization, state, published_at, modified_at)
    select 'bulk-' || lpad(g::text, 4, '0'), jsonb_build_object('en', 'Bulk ' || g, 'fr', 'Lot ' || g), '{"en": "Generated", "fr": "Généré"}',
           ${org.id}::uuid, ${JSON.stringify({ slug: 'bulk', name: { en: 'Bulk', fr: 'Lot' } })}::jsonb, 'published', now(), now() - g * interval '1 minute'
    from generate_series(1, ${total}) g`);
});
afterAll(async () => t?.close());

async function search(query: Record<string, string>) {
  const response = await t.app.inject({ method: 'GET', url: `/api/3/action/package_search?${new URLSearchParams(query)}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().result as { count: number; results: Array<{ name: string }> };
}

describe('package_search paging', () => {
  it('gives 10 rows by default and at most 1000, however many are asked for', async () => {
    const first = await search({ sort: 'metadata_modified desc' });
    expect(first.count).toBe(total);
    expect(first.results.map((r) => r.name)).toEqual(Array.from({ length: 10 }, (_, i) => `bulk-${String(i + 1).padStart(4, '0')}`));
    const capped = await search({ rows: '5000', sort: 'metadata_modified desc' });
    expect(capped.count).toBe(total);
    expect(capped.results).toHaveLength(1000);
  });

  it('pages with start, without gaps or repeats (fl keeps each result to the fields asked)', async () => {
    const seen: string[] = [];
    for (let start = 0; start < total; start += 400) {
      const page = await search({ rows: '400', start: String(start), sort: 'metadata_modified desc', fl: 'name' });
      expect(Object.keys(page.results[0]!)).toEqual(['name']);
      seen.push(...page.results.map((r) => r.name));
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect((await search({ start: String(total) })).results).toEqual([]);
  });

  it('package_list gives every name, past the 1000 of one search page', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/3/action/package_list' });
    const names = response.json().result as string[];
    expect(names).toHaveLength(total);
    expect(new Set(names).size).toBe(total);
  });
});
