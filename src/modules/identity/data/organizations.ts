import { asc, count, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db/index.js';
import type { Bilingual } from '../../../kernel/i18n/index.js';
import { documentVector, likePattern, matches, rank } from '../../../kernel/search/index.js';
import { organizations, type OrganizationKind } from '../schema.js';
import type { Organization, Page } from '../types.js';

const vector = documentVector([
  { value: sql`${organizations.name}`, bilingual: true, weight: 'A' },
  { value: sql`${organizations.acronym}`, bilingual: true, weight: 'A' },
  { value: sql`${organizations.slug}`, bilingual: false, weight: 'B' },
]);

export async function findOrganization(db: Db, idOrSlug: string): Promise<Organization | null> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug);
  const [row] = await db
    .select()
    .from(organizations)
    .where(isUuid ? eq(organizations.id, idOrSlug) : eq(organizations.slug, idOrSlug))
    .limit(1);
  return row ?? null;
}

/** Organizations matching `q` in either language (stemmed, or by name fragment), by relevance then name. */
export async function listOrganizations(db: Db, query: { q?: string; limit: number; offset: number; locale: 'en' | 'fr' }): Promise<Page<Organization>> {
  const q = query.q?.trim();
  const filter = q
    ? or(matches(vector, q), sql`(${organizations.name}->>'en') ilike ${likePattern(q)}`, sql`(${organizations.name}->>'fr') ilike ${likePattern(q)}`)
    : undefined;
  const byName = sql`lower(${organizations.name}->>${query.locale})`;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(organizations)
      .where(filter)
      .orderBy(...(q ? [sql`${rank(vector, q)} desc`, asc(byName)] : [asc(byName)]))
      .limit(query.limit)
      .offset(query.offset),
    db.select({ n: count() }).from(organizations).where(filter),
  ]);
  return { items: rows, total: total?.n ?? 0, limit: query.limit, offset: query.offset };
}

export async function allOrganizations(db: Db): Promise<Organization[]> {
  return db.select().from(organizations).orderBy(asc(sql`lower(${organizations.name}->>'en')`));
}

export async function childrenOf(db: Db, id: string): Promise<Organization[]> {
  return db.select().from(organizations).where(eq(organizations.parentId, id)).orderBy(asc(sql`lower(${organizations.name}->>'en')`));
}

export async function organizationsByIds(db: Db, ids: string[]): Promise<Organization[]> {
  if (!ids.length) return [];
  return db.select().from(organizations).where(inArray(organizations.id, ids));
}

export async function insertOrganization(
  db: Db,
  values: { slug: string; name: Bilingual; acronym: Bilingual; kind: OrganizationKind; parentId: string | null },
): Promise<Organization> {
  const [row] = await db.insert(organizations).values(values).returning();
  return row!;
}

export async function updateOrganization(
  db: Db,
  id: string,
  patch: Partial<{ name: Bilingual; acronym: Bilingual; kind: OrganizationKind; parentId: string | null }>,
): Promise<Organization> {
  const [row] = await db.update(organizations).set({ ...patch, updatedAt: new Date() }).where(eq(organizations.id, id)).returning();
  return row!;
}

/** The chain of ancestors of an organization (to refuse a parent that would make a loop). */
export async function ancestorIds(db: Db, id: string): Promise<string[]> {
  const rows = (await db.execute(sql`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from ${organizations} where id = ${id}
      union all
      select o.id, o.parent_id, up.depth + 1 from ${organizations} o join up on o.id = up.parent_id where up.depth < 50
    ) select id from up`)) as unknown as { rows: Array<{ id: string }> };
  return rows.rows.map((r) => r.id);
}
