import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  bigserial,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Bilingual } from '../../kernel/i18n/index.js';

/**
 * The catalogue's PostgreSQL schema. Tabular resources loaded into the datastore live in a second
 * schema it owns, `datastore` (one table per resource, created at load time; see datastore/).
 */
export const catalogue = pgSchema('catalogue');

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const accessLevels = ['open', 'under_review', 'restricted'] as const;
export type AccessLevel = (typeof accessLevels)[number];
export const datasetStates = ['draft', 'published', 'deleted'] as const;
export type DatasetState = (typeof datasetStates)[number];
/** How often a dataset is expected to change (DCAT frequency vocabulary, simplified). */
export const updateFrequencies = ['continual', 'daily', 'weekly', 'monthly', 'quarterly', 'biannual', 'annual', 'irregular', 'as_needed', 'never'] as const;
export type UpdateFrequency = (typeof updateFrequencies)[number];

export type Keywords = { en: string[]; fr: string[] };
export type ContactPoint = { name?: string; email?: string };

/** Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/). */
export interface TableSchema {
  fields: Array<{ name: string; type: string; format?: string; title?: string; description?: string; constraints?: Record<string, unknown> }>;
  primaryKey?: string | string[];
  missingValues?: string[];
}

export interface QualityAssessment {
  score: number;
  /** Message keys with parameters, each worth points gained or lost. */
  reasons: Array<{ key: string; points: number; max: number; params?: Record<string, string | number> }>;
}

export const licences = catalogue.table('licences', {
  id: text('id').primaryKey(),
  title: jsonb('title').$type<Bilingual>().notNull(),
  url: jsonb('url').$type<Bilingual>().notNull(),
  /** Meets the Open Definition (counts towards openness in the quality score). */
  open: boolean('open').notNull().default(true),
  position: integer('position').notNull().default(0),
});

export const groups = catalogue.table('groups', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  title: jsonb('title').$type<Bilingual>().notNull(),
  description: jsonb('description').$type<Bilingual>().notNull().default({}),
  createdAt: at('created_at').notNull().defaultNow(),
});

export const harvestSources = catalogue.table('harvest_sources', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  title: jsonb('title').$type<Bilingual>().notNull(),
  kind: text('kind', { enum: ['ckan', 'dcat'] }).notNull(),
  url: text('url').notNull(),
  /** Owner of harvested datasets when the source does not say (CKAN sources name their own). */
  organizationId: uuid('organization_id').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
  createdBy: uuid('created_by'),
  lastJobId: uuid('last_job_id'),
  lastReport: jsonb('last_report').$type<Record<string, unknown>>(),
  lastRunAt: at('last_run_at'),
});

export const datasets = catalogue.table(
  'datasets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Unique name used in addresses and by CKAN clients (lower-case letters, digits, - and _). */
    name: text('name').notNull().unique(),
    title: jsonb('title').$type<Bilingual>().notNull().default({}),
    description: jsonb('description').$type<Bilingual>().notNull().default({}),
    keywords: jsonb('keywords').$type<Keywords>().notNull().default({ en: [], fr: [] }),
    organizationId: uuid('organization_id').notNull(),
    /** The owning organization's slug and names when last saved (search, facets, feeds). */
    organization: jsonb('organization').$type<{ slug: string; name: Bilingual }>().notNull(),
    groups: text('groups').array().notNull().default(sql`'{}'::text[]`),
    licenceId: text('licence_id').references(() => licences.id),
    accessLevel: text('access_level', { enum: accessLevels }).notNull().default('open'),
    /** Why the data is not open (required unless open). */
    exemptionReason: jsonb('exemption_reason').$type<Bilingual>().notNull().default({}),
    state: text('state', { enum: datasetStates }).notNull().default('draft'),
    contact: jsonb('contact').$type<ContactPoint>().notNull().default({}),
    updateFrequency: text('update_frequency', { enum: updateFrequencies }),
    temporalStart: date('temporal_start', { mode: 'string' }),
    temporalEnd: date('temporal_end', { mode: 'string' }),
    spatial: jsonb('spatial').$type<Bilingual>().notNull().default({}),
    /** Formats of its resources (search facet), kept by the data layer. */
    formats: text('formats').array().notNull().default(sql`'{}'::text[]`),
    harvestSourceId: uuid('harvest_source_id').references(() => harvestSources.id, { onDelete: 'set null' }),
    /** The dataset's identifier at its harvest source: re-harvesting updates instead of duplicating. */
    sourceIdentifier: text('source_identifier'),
    quality: jsonb('quality').$type<QualityAssessment>(),
    qualityScore: integer('quality_score').notNull().default(0),
    /** Bilingual full-text document (English and French stemming), kept by the data layer. */
    search: tsvector('search'),
    /**
     * Name, titles and keywords only: what relevance is ranked on. Ranking reads the vector of
     * every match, and this one is a tenth the size of the whole document.
     */
    searchHead: tsvector('search_head'),
    /** Titles and keywords as plain text, for fuzzy matching ("did you mean"). */
    searchText: text('search_text').notNull().default(''),
    views: integer('views').notNull().default(0),
    downloads: integer('downloads').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: at('created_at').notNull().defaultNow(),
    modifiedAt: at('modified_at').notNull().defaultNow(),
    publishedAt: at('published_at'),
    createdBy: uuid('created_by'),
    modifiedBy: uuid('modified_by'),
  },
  (t) => [
    index('datasets_search_idx').using('gin', t.search),
    index('datasets_search_text_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
    index('datasets_org_idx').on(t.organizationId),
    index('datasets_state_modified_idx').on(t.state, t.modifiedAt),
    index('datasets_groups_idx').using('gin', t.groups),
    index('datasets_formats_idx').using('gin', t.formats),
    uniqueIndex('datasets_source_idx').on(t.harvestSourceId, t.sourceIdentifier),
  ],
);

/** Every saved version of a dataset's metadata: who changed it, when, and what it was. */
export const datasetVersions = catalogue.table(
  'dataset_versions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    actorId: uuid('actor_id'),
    at: at('at').notNull().defaultNow(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [uniqueIndex('dataset_versions_idx').on(t.datasetId, t.version)],
);

export const dataStandards = catalogue.table(
  'data_standards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    version: text('version').notNull(),
    title: jsonb('title').$type<Bilingual>().notNull(),
    description: jsonb('description').$type<Bilingual>().notNull().default({}),
    schema: jsonb('schema').$type<TableSchema>().notNull(),
    organizationId: uuid('organization_id').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    createdBy: uuid('created_by'),
  },
  (t) => [uniqueIndex('data_standards_name_version_idx').on(t.name, t.version)],
);

export const loadStatuses = ['none', 'queued', 'loading', 'loaded', 'failed'] as const;
export type LoadStatus = (typeof loadStatuses)[number];

/** The result of validating a tabular resource: problems by kind, with counts and first examples. */
export interface ValidationReport {
  valid: boolean;
  rows: number;
  checkedAt: string;
  problems: Array<{ kind: string; count: number; examples: Array<{ row?: number; field?: string; value?: string; message?: string }> }>;
}

export const resources = catalogue.table(
  'resources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    position: integer('position').notNull().default(0),
    name: jsonb('name').$type<Bilingual>().notNull().default({}),
    description: jsonb('description').$type<Bilingual>().notNull().default({}),
    kind: text('kind', { enum: ['upload', 'link'] }).notNull(),
    /** The external address (links), or empty for uploads (served by Trillium). */
    url: text('url'),
    /** The stored file (uploads): key in the kernel's file store and what was uploaded. */
    fileKey: text('file_key'),
    fileName: text('file_name'),
    format: text('format').notNull().default(''),
    mediaType: text('media_type'),
    size: bigint('size', { mode: 'number' }),
    sha256: text('sha256'),
    tableSchema: jsonb('table_schema').$type<TableSchema>(),
    standardId: uuid('standard_id').references(() => dataStandards.id),
    /** The datastore table currently live for this resource (previous good load stays until a new one succeeds). */
    datastoreTable: text('datastore_table'),
    datastoreRows: bigint('datastore_rows', { mode: 'number' }),
    loadStatus: text('load_status', { enum: loadStatuses }).notNull().default('none'),
    loadJobId: uuid('load_job_id'),
    loadedAt: at('loaded_at'),
    validation: jsonb('validation').$type<ValidationReport>(),
    sourceIdentifier: text('source_identifier'),
    views: integer('views').notNull().default(0),
    downloads: integer('downloads').notNull().default(0),
    createdAt: at('created_at').notNull().defaultNow(),
    modifiedAt: at('modified_at').notNull().defaultNow(),
  },
  (t) => [index('resources_dataset_idx').on(t.datasetId, t.position)],
);

export const requestStatuses = ['received', 'planned', 'published', 'declined'] as const;
export type RequestStatus = (typeof requestStatuses)[number];

/** "Publish with purpose": someone asks for data that is not published; others vote. */
export const datasetRequests = catalogue.table(
  'dataset_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    /** The language it was written in (shown with `lang`). */
    locale: text('locale', { enum: ['en', 'fr'] }).notNull(),
    requesterId: uuid('requester_id'),
    organizationId: uuid('organization_id'),
    status: text('status', { enum: requestStatuses }).notNull().default('received'),
    statusNote: jsonb('status_note').$type<Bilingual>().notNull().default({}),
    datasetId: uuid('dataset_id').references(() => datasets.id, { onDelete: 'set null' }),
    votes: integer('votes').notNull().default(0),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [index('dataset_requests_votes_idx').on(t.votes, t.createdAt)],
);

export const requestVotes = catalogue.table(
  'request_votes',
  {
    requestId: uuid('request_id')
      .notNull()
      .references(() => datasetRequests.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.accountId] })],
);

/** Page views and downloads per day, for each dataset and (when set) resource. */
export const dailyMetrics = catalogue.table(
  'daily_metrics',
  {
    day: date('day', { mode: 'string' }).notNull(),
    datasetId: uuid('dataset_id').notNull(),
    /** The all-zero uuid stands for "the dataset page itself". */
    resourceId: uuid('resource_id').notNull(),
    views: integer('views').notNull().default(0),
    downloads: integer('downloads').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.datasetId, t.resourceId] })],
);

/** Words of titles and keywords, for "did you mean" suggestions (trigram similarity). */
export const vocabulary = catalogue.table(
  'vocabulary',
  {
    word: text('word').primaryKey(),
    uses: integer('uses').notNull().default(1),
  },
  (t) => [index('vocabulary_trgm_idx').using('gin', sql`${t.word} gin_trgm_ops`)],
);

/** People who asked to be emailed when a dataset request's status changes (requesters and voters). */
export const requestFollowers = catalogue.table(
  'request_followers',
  {
    requestId: uuid('request_id')
      .notNull()
      .references(() => datasetRequests.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.accountId] })],
);

/** Small catalogue settings chosen by superadmins on its pages (e.g. who publishes the usage metrics). */
export const catalogueSettings = catalogue.table('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').$type<unknown>().notNull(),
  updatedAt: at('updated_at').notNull().defaultNow(),
  updatedBy: uuid('updated_by'),
});
