import { and, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../kernel/db/index.js';
import { documentVector, type SearchPart } from '../../../kernel/search/index.js';
import { datasets, datasetVersions, resources, vocabulary } from '../schema.js';
import type { Dataset } from '../types.js';

export type DatasetRow = typeof datasets.$inferSelect;

export function toDataset(row: DatasetRow): Dataset {
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    description: row.description,
    keywords: row.keywords,
    organizationId: row.organizationId,
    organization: row.organization,
    groups: row.groups,
    licenceId: row.licenceId,
    accessLevel: row.accessLevel,
    exemptionReason: row.exemptionReason,
    state: row.state,
    contact: row.contact,
    updateFrequency: row.updateFrequency,
    temporalStart: row.temporalStart,
    temporalEnd: row.temporalEnd,
    spatial: row.spatial,
    formats: row.formats,
    quality: row.quality,
    views: row.views,
    downloads: row.downloads,
    version: row.version,
    harvestSourceId: row.harvestSourceId,
    sourceIdentifier: row.sourceIdentifier,
    createdAt: row.createdAt,
    modifiedAt: row.modifiedAt,
    publishedAt: row.publishedAt,
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A dataset by id or name (CKAN clients use both), whatever its state. */
export async function findDataset(db: Db, idOrName: string): Promise<DatasetRow | null> {
  // Some catalogues (open.canada.ca) name datasets by a uuid: a uuid is tried as an id, then as a name.
  const [row] = uuidPattern.test(idOrName)
    ? await db
        .select()
        .from(datasets)
        .where(or(eq(datasets.id, idOrName), eq(datasets.name, idOrName)))
        .orderBy(sql`${datasets.id} = ${idOrName}::uuid desc`)
        .limit(1)
    : await db.select().from(datasets).where(eq(datasets.name, idOrName)).limit(1);
  return row ?? null;
}

export async function findBySource(db: Db, harvestSourceId: string, sourceIdentifier: string): Promise<DatasetRow | null> {
  const [row] = await db
    .select()
    .from(datasets)
    .where(and(eq(datasets.harvestSourceId, harvestSourceId), eq(datasets.sourceIdentifier, sourceIdentifier)))
    .limit(1);
  return row ?? null;
}

export type DatasetValues = Omit<typeof datasets.$inferInsert, 'id' | 'search' | 'searchText' | 'formats' | 'version' | 'createdAt' | 'modifiedAt'>;

export async function insertDataset(db: Db, values: DatasetValues): Promise<DatasetRow> {
  const [row] = await db.insert(datasets).values(values).returning();
  return row!;
}

/** Changes a dataset and moves its version on; the caller keeps the previous version's snapshot. */
export async function updateDataset(db: Db, id: string, patch: Partial<DatasetValues>): Promise<DatasetRow> {
  const [row] = await db
    .update(datasets)
    .set({ ...patch, version: sql`${datasets.version} + 1`, modifiedAt: new Date() })
    .where(eq(datasets.id, id))
    .returning();
  return row!;
}

/** The metadata fields a person edits: what versions keep and the history compares. */
export function metadataOf(row: DatasetRow): Record<string, unknown> {
  return {
    name: row.name,
    title: row.title,
    description: row.description,
    keywords: row.keywords,
    organizationId: row.organizationId,
    groups: row.groups,
    licenceId: row.licenceId,
    accessLevel: row.accessLevel,
    exemptionReason: row.exemptionReason,
    state: row.state,
    contact: row.contact,
    updateFrequency: row.updateFrequency,
    temporalStart: row.temporalStart,
    temporalEnd: row.temporalEnd,
    spatial: row.spatial,
  };
}

export async function saveVersion(db: Db, row: DatasetRow, actorId: string | null): Promise<void> {
  await db.insert(datasetVersions).values({ datasetId: row.id, version: row.version, actorId, metadata: metadataOf(row) }).onConflictDoNothing();
}

export async function listVersions(db: Db, datasetId: string): Promise<Array<typeof datasetVersions.$inferSelect>> {
  return db.select().from(datasetVersions).where(eq(datasetVersions.datasetId, datasetId)).orderBy(desc(datasetVersions.version));
}

const keywordsText = (lang: 'en' | 'fr') => sql`array_to_string(array(select jsonb_array_elements_text(d.keywords->${lang})), ' ')`;
const resourceNames = (lang: 'en' | 'fr') =>
  sql`coalesce((select string_agg(coalesce(r.name->>${lang}, ''), ' ') from ${resources} r where r.dataset_id = d.id), '')`;

/**
 * Recomputes what search needs after any change to a dataset or its resources: the bilingual
 * document (name and title weigh most, then keywords and organization, then description, then
 * resource names), the plain text for fuzzy matching, and the list of formats.
 */
export async function refreshSearch(db: Db, id: string): Promise<void> {
  await refreshSearchWhere(db, sql`d.id = ${id}`);
}

/** The same for every dataset matching a condition on `d` (bulk imports, a change of weights). */
export async function refreshSearchWhere(db: Db, where: SQL): Promise<void> {
  const head: SearchPart[] = [
    { value: sql`d.name`, bilingual: false, weight: 'A' },
    { value: sql`d.title`, bilingual: true, weight: 'A' },
    { value: sql`jsonb_build_object('en', ${keywordsText('en')}, 'fr', ${keywordsText('fr')})`, bilingual: true, weight: 'B' },
  ];
  const vector = documentVector([
    ...head,
    { value: sql`d.organization->'name'`, bilingual: true, weight: 'B' },
    { value: sql`d.description`, bilingual: true, weight: 'C' },
    { value: sql`jsonb_build_object('en', ${resourceNames('en')}, 'fr', ${resourceNames('fr')})`, bilingual: true, weight: 'D' },
  ]);
  await db.execute(sql`
    update ${datasets} d set
      search = ${vector},
      search_head = ${documentVector(head)},
      search_text = lower(concat_ws(' ', d.title->>'en', d.title->>'fr', ${keywordsText('en')}, ${keywordsText('fr')})),
      formats = coalesce((select array_agg(distinct upper(r.format) order by upper(r.format)) from ${resources} r where r.dataset_id = d.id and r.format <> ''), '{}')
    where ${where}`);
}

/** Adds the words of titles and keywords to the vocabulary that "did you mean" draws from. */
export async function learnWords(db: Db, texts: string[]): Promise<void> {
  const words = [...new Set(texts.join(' ').toLowerCase().match(/[\p{L}][\p{L}'’-]{2,}/gu) ?? [])].slice(0, 200);
  if (!words.length) return;
  await db
    .insert(vocabulary)
    .values(words.map((word) => ({ word })))
    .onConflictDoUpdate({ target: vocabulary.word, set: { uses: sql`${vocabulary.uses} + 1` } });
}

export async function nameTaken(db: Db, name: string): Promise<boolean> {
  return (await findDataset(db, name)) !== null;
}
