import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, integer, jsonb, numeric, pgSchema, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { Bilingual } from '../../kernel/i18n/index.js';

/** The services module's PostgreSQL schema. */
export const services = pgSchema('services');

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const count = (name: string) => bigint(name, { mode: 'number' });

/** Channels a service is offered through (the GC Service Inventory's list, plus kiosks). */
export const channels = ['online', 'in_person', 'phone', 'mail', 'email', 'fax', 'kiosk', 'other'] as const;
export type Channel = (typeof channels)[number];

/** Points where a service can be done online (GC Service Inventory `os_*` fields). */
export const onlinePoints = ['accountRegistration', 'authentication', 'application', 'decision', 'issuance', 'feedback'] as const;
export type OnlinePoint = (typeof onlinePoints)[number];
export const onlineAnswers = ['yes', 'no', 'not_applicable'] as const;
export type OnlineAnswer = (typeof onlineAnswers)[number];
export type OnlineEnablement = Partial<Record<OnlinePoint, OnlineAnswer>>;

export const serviceStatuses = ['active', 'in_development', 'retired'] as const;
export type ServiceStatus = (typeof serviceStatuses)[number];

/** GC Service Inventory service types and client groups, kept as their codes (labels in the locale files). */
export const serviceTypes = ['APIR', 'CER', 'GNC', 'INFO', 'LRP', 'PPI', 'REG_VOL', 'RES'] as const;
export const clientTypes = ['ECONOM', 'FOR', 'INTERN_GOV', 'NGO', 'PERSON', 'PTC'] as const;

export const eventTypes = ['started', 'step', 'completed', 'abandoned'] as const;
export type EventType = (typeof eventTypes)[number];
/** A completed transaction's outcome; ineligible people still completed the transaction. */
export const outcomes = ['approved', 'denied', 'ineligible', 'other'] as const;
export type Outcome = (typeof outcomes)[number];

/** Why a reported count is absent: the GC inventory's ND (no data) and NA (not applicable), never zero. */
export const missingReasons = ['no_data', 'not_applicable'] as const;
export type MissingReason = (typeof missingReasons)[number];

export const standardTypes = ['timeliness', 'access', 'accuracy', 'other'] as const;
export type StandardType = (typeof standardTypes)[number];

export const achievedAnswers = ['yes', 'partly', 'no'] as const;
export type Achieved = (typeof achievedAnswers)[number];

export const assessmentRatings = ['met', 'partly', 'not_met', 'not_assessed'] as const;
export type AssessmentRating = (typeof assessmentRatings)[number];

/** The service inventory. `code` is the service's public identifier (the GC inventory's service ID for imports). */
export const serviceRecords = services.table(
  'services',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    organizationId: uuid('organization_id').notNull(),
    name: jsonb('name').$type<Bilingual>().notNull(),
    description: jsonb('description').$type<Bilingual>().notNull(),
    programCode: text('program_code'),
    programName: jsonb('program_name').$type<Bilingual>(),
    serviceTypes: text('service_types').array().notNull().default(sql`'{}'`),
    clientTypes: text('client_types').array().notNull().default(sql`'{}'`),
    channels: text('channels').array().notNull().default(sql`'{}'`),
    onlineEnablement: jsonb('online_enablement').$type<OnlineEnablement>().notNull().default({}),
    chargesFee: boolean('charges_fee'),
    feeDescription: jsonb('fee_description').$type<Bilingual>(),
    url: jsonb('url').$type<Bilingual>(),
    status: text('status').$type<ServiceStatus>().notNull().default('active'),
    /** Where the record came from, e.g. `gc-service-inventory:2023-2024`, or null when entered here. */
    source: text('source'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('services_code_idx').on(t.code), index('services_org_idx').on(t.organizationId)],
);

/**
 * Transaction events from any channel. The event id is the sender's idempotency key (unique per
 * service); events are counted by their own time, however late they arrive.
 */
export const events = services.table(
  'events',
  {
    serviceId: uuid('service_id').notNull(),
    eventId: text('event_id').notNull(),
    reference: text('reference').notNull(),
    type: text('type').$type<EventType>().notNull(),
    step: text('step'),
    outcome: text('outcome').$type<Outcome>(),
    channel: text('channel').$type<Channel>().notNull(),
    occurredAt: at('occurred_at').notNull(),
    receivedAt: at('received_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.eventId] }), index('events_reference_idx').on(t.serviceId, t.reference), index('events_time_idx').on(t.serviceId, t.occurredAt)],
);

/** Event counts per service, local day and channel, kept in the same transaction as the events. */
export const dailyVolumes = services.table(
  'daily_volumes',
  {
    serviceId: uuid('service_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    channel: text('channel').$type<Channel>().notNull(),
    started: count('started').notNull().default(0),
    completed: count('completed').notNull().default(0),
    approved: count('approved').notNull().default(0),
    denied: count('denied').notNull().default(0),
    ineligible: count('ineligible').notNull().default(0),
    otherOutcome: count('other_outcome').notNull().default(0),
    abandoned: count('abandoned').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.day, t.channel] }), index('daily_volumes_day_idx').on(t.day)],
);

/**
 * Periodic counts for services that cannot send events: one row per service, period and channel.
 * A null count with a `missing` reason is "no data" or "not applicable", never zero.
 */
export const countReports = services.table(
  'count_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    serviceId: uuid('service_id').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    channel: text('channel').$type<Channel>().notNull(),
    started: count('started'),
    completed: count('completed'),
    missing: text('missing').$type<MissingReason>(),
    source: text('source'),
    reportedBy: uuid('reported_by'),
    reportedAt: at('reported_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('count_reports_period_idx').on(t.serviceId, t.periodStart, t.periodEnd, t.channel), index('count_reports_start_idx').on(t.periodStart)],
);

/** What a service cost, per channel and period, entered by staff (Canadian dollars). */
export const costs = services.table(
  'costs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    serviceId: uuid('service_id').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    channel: text('channel').$type<Channel>().notNull(),
    amount: numeric('amount', { precision: 16, scale: 2 }).notNull(),
    enteredBy: uuid('entered_by'),
    enteredAt: at('entered_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('costs_period_idx').on(t.serviceId, t.periodStart, t.periodEnd, t.channel)],
);

/** Service standards with their targets (e.g. 90% of applications decided within 10 business days). */
export const standards = services.table(
  'standards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    serviceId: uuid('service_id').notNull(),
    code: text('code'),
    name: jsonb('name').$type<Bilingual>().notNull(),
    type: text('type').$type<StandardType>().notNull(),
    channel: text('channel').$type<Channel>(),
    /** Share of volume that should meet the standard, 0–1. */
    target: numeric('target', { precision: 5, scale: 4 }),
    url: jsonb('url').$type<Bilingual>(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [index('standards_service_idx').on(t.serviceId), uniqueIndex('standards_code_idx').on(t.serviceId, t.code)],
);

/** How much volume met a standard in a period. */
export const standardResults = services.table(
  'standard_results',
  {
    standardId: uuid('standard_id').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    volumeMeetingTarget: count('volume_meeting_target'),
    totalVolume: count('total_volume'),
    reportedAt: at('reported_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.standardId, t.periodStart, t.periodEnd] })],
);

/**
 * Feedback right after a transaction: the 5-point satisfaction question (1 very dissatisfied … 5
 * very satisfied), whether people did what they came to do, and a comment scrubbed of personal
 * information before it is stored. One response per transaction reference.
 */
export const feedback = services.table(
  'feedback',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    serviceId: uuid('service_id').notNull(),
    reference: text('reference'),
    satisfaction: smallint('satisfaction'),
    achieved: text('achieved').$type<Achieved>(),
    comment: text('comment'),
    locale: text('locale').notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'`),
    actioned: boolean('actioned').notNull().default(false),
    actionedAt: at('actioned_at'),
    actionedBy: uuid('actioned_by'),
    submittedAt: at('submitted_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('feedback_reference_idx').on(t.serviceId, t.reference),
    index('feedback_service_time_idx').on(t.serviceId, t.submittedAt),
    index('feedback_tags_idx').using('gin', t.tags),
  ],
);

/** Satisfaction answers per service, local day and rating, kept with the feedback for the KPIs. */
export const dailyRatings = services.table(
  'daily_ratings',
  {
    serviceId: uuid('service_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    rating: smallint('rating').notNull(),
    responses: count('responses').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.day, t.rating] }), index('daily_ratings_day_idx').on(t.day)],
);

/** "Did you find what you were looking for?" on any page. */
export const pageFeedback = services.table(
  'page_feedback',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    path: text('path').notNull(),
    found: boolean('found').notNull(),
    comment: text('comment'),
    locale: text('locale').notNull(),
    submittedAt: at('submitted_at').notNull().defaultNow(),
  },
  (t) => [index('page_feedback_time_idx').on(t.submittedAt)],
);

/** "You said, we did": what a service team changed because of feedback, published per service. */
export const improvements = services.table(
  'improvements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    serviceId: uuid('service_id').notNull(),
    youSaid: jsonb('you_said').$type<Bilingual>().notNull(),
    weDid: jsonb('we_did').$type<Bilingual>().notNull(),
    publishedOn: date('published_on', { mode: 'string' }).notNull(),
    createdBy: uuid('created_by'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [index('improvements_service_idx').on(t.serviceId, t.publishedOn)],
);

/** The points of a digital service standard (data: seeded with Ontario's, editable by superadmins). */
export const standardPoints = services.table('standard_points', {
  id: text('id').primaryKey(),
  position: integer('position').notNull(),
  title: jsonb('title').$type<Bilingual>().notNull(),
  description: jsonb('description').$type<Bilingual>().notNull(),
  active: boolean('active').notNull().default(true),
});

/** Digital Service Standard assessments: every rating is kept; the newest per point is current. */
export const assessments = services.table(
  'assessments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    serviceId: uuid('service_id').notNull(),
    pointId: text('point_id').notNull(),
    rating: text('rating').$type<AssessmentRating>().notNull(),
    evidence: text('evidence'),
    assessorId: uuid('assessor_id'),
    /** The assessor's name as they signed the assessment (shown with it, publicly). */
    assessorName: text('assessor_name'),
    assessedOn: date('assessed_on', { mode: 'string' }).notNull(),
    recordedAt: at('recorded_at').notNull().defaultNow(),
  },
  (t) => [index('assessments_service_idx').on(t.serviceId, t.pointId, t.recordedAt)],
);

/** Module settings (e.g. the day the weekly digest last ran). */
export const settings = services.table('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: at('updated_at').notNull().defaultNow(),
});
