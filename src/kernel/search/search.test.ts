import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { rows } from '../db/index.js';
import { documentVector, likePattern, matches, rank, similarity, similarTo } from './index.js';

let t: TestApp;

const documents = [
  {
    id: 1,
    title: { en: 'Ministry of Transportation', fr: 'Ministère des Transports' },
    description: { en: 'Roads and bridges across the province', fr: 'Routes et ponts de la province' },
    code: 'MTO',
  },
  {
    id: 2,
    title: { en: 'Open data portal', fr: 'Portail des données ouvertes' },
    description: {
      en: 'Datasets published by every ministry',
      fr: 'Jeux de données publiés par chaque ministère',
    },
    code: 'DATA',
  },
  {
    id: 3,
    title: { en: 'Bridge inspections', fr: 'Inspection des ponts' },
    description: { en: 'Annual report on road safety', fr: 'Rapport annuel sur la sécurité routière' },
    code: 'BRIDGE-42',
  },
  {
    id: 4,
    title: { en: '100% recycled paper', fr: 'Papier 100 % recyclé' },
    description: { en: 'Paper under_score office supplies', fr: '' },
    code: 'PAPER',
  },
];

beforeAll(async () => {
  t = await createTestApp();
  await t.database.db.execute(
    sql`create table public.search_probe (id int primary key, title jsonb not null, description jsonb not null, code text)`,
  );
  for (const d of documents) {
    await t.database.db.execute(
      sql`insert into public.search_probe values (${d.id}, ${JSON.stringify(d.title)}::jsonb, ${JSON.stringify(d.description)}::jsonb, ${d.code})`,
    );
  }
});
afterAll(async () => t?.close());

const vector = documentVector([
  { value: sql.raw('title'), bilingual: true, weight: 'A' },
  { value: sql.raw('description'), bilingual: true, weight: 'C' },
  { value: sql.raw('code'), bilingual: false, weight: 'B' },
]);

/** Ids of the documents matching `q`, most relevant first. */
async function search(q: string): Promise<number[]> {
  const found = await rows<{ id: number }>(
    t.database.db,
    sql`select id from public.search_probe where ${matches(vector, q)} order by ${rank(vector, q)} desc, id`,
  );
  return found.map((r) => r.id);
}

async function where(condition: SQL): Promise<number[]> {
  return (
    await rows<{ id: number }>(
      t.database.db,
      sql`select id from public.search_probe where ${condition} order by id`,
    )
  ).map((r) => r.id);
}

describe('bilingual full-text search', () => {
  it('finds French text from another inflection (French stemming)', async () => {
    expect(await search('ministères')).toEqual([1, 2]);
    expect(await search('données')).toEqual([2]);
    expect(await search('donnée')).toEqual([2]);
    expect(await search('transport')).toEqual([1]);
    expect(await search('recyclés')).toEqual([4]);
  });

  it('finds English text from another inflection (English stemming)', async () => {
    expect(await search('roads')).toEqual([1, 3]);
    expect(await search('inspection')).toEqual([3]);
    expect(await search('publishing')).toEqual([2]);
  });

  it('ranks a title match (weight A) above a description match (weight C)', async () => {
    expect(await search('bridges')).toEqual([3, 1]);
    expect(await search('ministry')).toEqual([1, 2]);
    const [title, description] = await rows<{ id: number; score: number }>(
      t.database.db,
      sql`select id, ${rank(vector, 'bridges')} as score from public.search_probe where id in (3, 1) order by id desc`,
    );
    expect(title!.score).toBeGreaterThan(description!.score);
  });

  it('understands search-engine syntax: quotes, or, -word', async () => {
    expect(await search('"open data"')).toEqual([2]);
    expect(await search('portal or inspections')).toHaveLength(2);
    expect(await search('bridges -inspections')).toEqual([1]);
    expect((await search('roads bridges')).sort()).toEqual([1, 3]); // every word must match
    expect(await search('roads portal')).toEqual([]);
  });

  it('indexes plain parts (codes) as they are', async () => {
    expect(await search('BRIDGE-42')).toEqual([3]);
    expect(await search('mto')).toEqual([1]);
  });

  it('finds nothing, without failing, for empty, punctuation-only or unknown queries', async () => {
    expect(await search('!!!')).toEqual([]);
    expect(await search('')).toEqual([]);
    expect(await search('zzzz')).toEqual([]);
  });
});

describe('fuzzy matching (pg_trgm)', () => {
  it('similarTo finds a misspelling, and not unrelated text', async () => {
    expect(await where(similarTo(sql.raw(`title->>'en'`), 'minstry'))).toEqual([1]);
    expect(await where(similarTo(sql.raw(`title->>'fr'`), 'ministere'))).toEqual([1]);
    expect(await where(similarTo(sql.raw(`title->>'en'`), 'brdge inspectons'))).toEqual([3]);
    expect(await where(similarTo(sql.raw(`title->>'en'`), 'xylophone'))).toEqual([]);
    const [score] = await rows<{ s: number }>(
      t.database.db,
      sql`select ${similarity(sql`'Ministry of Transportation'`, 'minstry')} as s`,
    );
    expect(Number(score!.s)).toBeGreaterThan(0.3);
    expect(Number(score!.s)).toBeLessThan(1);
  });
});

describe('likePattern', () => {
  it('escapes %, _ and backslash so user text matches literally', async () => {
    expect(likePattern('50%_off')).toBe('%50\\%\\_off%');
    expect(likePattern('a\\b')).toBe('%a\\\\b%');
    expect(likePattern('road')).toBe('%road%');
    // Unescaped, '%' and '_' would match every row.
    expect(await where(sql`title->>'en' like ${likePattern('%')}`)).toEqual([4]);
    expect(await where(sql`description->>'en' like ${likePattern('_')}`)).toEqual([4]);
    expect(await where(sql`title->>'en' ilike ${likePattern('MINISTRY')}`)).toEqual([1]);
  });
});
