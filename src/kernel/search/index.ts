import { sql, type SQL } from 'drizzle-orm';

/**
 * Helpers for bilingual full-text search in PostgreSQL, shared by every module (ADR 0002).
 * A document is indexed in both languages' configurations (English and French stemming), and a
 * query is parsed in both, so "ministères" finds "ministère" and "transports" finds "transport".
 */

export type Weight = 'A' | 'B' | 'C' | 'D';

export interface SearchPart {
  /** A jsonb `{en, fr}` expression (bilingual) or a plain text expression. */
  value: SQL;
  bilingual: boolean;
  weight: Weight;
}

/**
 * The tsvector of a document: each bilingual part's English text stemmed as English and its French
 * text as French; plain parts (names, codes) in the `simple` configuration and both languages.
 */
export function documentVector(parts: SearchPart[]): SQL {
  const pieces = parts.map((p) =>
    p.bilingual
      ? sql`setweight(to_tsvector('english', coalesce(${p.value}->>'en', '')), ${p.weight}) || setweight(to_tsvector('french', coalesce(${p.value}->>'fr', '')), ${p.weight})`
      : sql`setweight(to_tsvector('simple', coalesce(${p.value}, '')), ${p.weight}) || setweight(to_tsvector('english', coalesce(${p.value}, '')), ${p.weight}) || setweight(to_tsvector('french', coalesce(${p.value}, '')), ${p.weight})`,
  );
  return sql.join(pieces, sql` || `);
}

/**
 * What people type, parsed the way search engines do (quotes, `or`, `-word`), in every language
 * (the SQL function `kernel.search_query`, migration 0008, which also drops identical branches so
 * the planner estimates matches well and uses the full-text index).
 */
export function searchQuery(q: string): SQL {
  return sql`kernel.search_query(${q})`;
}

/** True when the document vector matches the query. */
export function matches(vector: SQL, q: string): SQL {
  return sql`(${vector}) @@ ${searchQuery(q)}`;
}

/** Relevance: cover density ranking, normalised for document length. */
export function rank(vector: SQL, q: string): SQL<number> {
  return sql<number>`ts_rank_cd(${vector}, ${searchQuery(q)}, 1)`;
}

/**
 * Fuzzy fallback for misspellings ("did you mean"), using trigram word similarity from `pg_trgm`.
 * `threshold` is between 0 and 1 (0.3 is a good start for names).
 */
export function similarTo(text: SQL, q: string, threshold = 0.3): SQL {
  return sql`word_similarity(${q}, ${text}) >= ${threshold}`;
}

export function similarity(text: SQL, q: string): SQL<number> {
  return sql<number>`word_similarity(${q}, ${text})`;
}

/** Escapes `%` and `_` so user text can be used inside a LIKE pattern. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
