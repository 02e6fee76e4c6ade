import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../../../kernel/db/index.js';
import type { Bilingual } from '../../../kernel/i18n/index.js';
import { datasets, licences, resources, type QualityAssessment, type UpdateFrequency, type ValidationReport } from '../schema.js';

type Reason = QualityAssessment['reasons'][number];

/** What the score looks at in a dataset (its metadata) … */
export interface QualityDataset {
  title: Bilingual;
  description: Bilingual;
  keywords: { en: string[]; fr: string[] };
  contact: { name?: string; email?: string };
  updateFrequency: UpdateFrequency | null;
  temporalStart: string | null;
  temporalEnd: string | null;
  spatial: Bilingual;
  licenceId: string | null;
  accessLevel: 'open' | 'under_review' | 'restricted';
  modifiedAt: Date;
}

/** … and in each of its resources. */
export interface QualityResource {
  format: string;
  validation: ValidationReport | null;
  modifiedAt: Date;
  loadedAt: Date | null;
}

/** Points per part of the score; they add up to 100. */
export const qualityWeights = {
  metadata: { title: 5, description: 6, keywords: 5, contact: 5, frequency: 5, temporal: 4, spatial: 4, licence: 6 },
  validation: 25,
  freshness: 15,
  openness: { access: 8, licence: 6, formats: 6 },
} as const;

/** Formats that hold tables the datastore can load and check. */
export const tabularFormats = new Set(['CSV', 'TSV', 'XLSX', 'XLS']);
/** Open, machine-readable formats (3 stars and up on the 5-star open data scale). */
export const openFormats = new Set(['CSV', 'TSV', 'JSON', 'GEOJSON', 'XML', 'RDF', 'JSONLD', 'JSON-LD', 'TTL', 'NT', 'ODS', 'PARQUET']);
/** Machine-readable formats that need particular software. */
export const proprietaryFormats = new Set(['XLSX', 'XLS']);

/** Days between updates each frequency promises; the others promise no schedule. */
export const expectedDays: Partial<Record<UpdateFrequency, number>> = {
  continual: 1,
  daily: 1,
  weekly: 7,
  monthly: 30,
  quarterly: 91,
  biannual: 182,
  annual: 365,
};

/** Data counts as on time up to 1.5 times its interval (monthly: 45 days), and as late up to 3 times. */
export const freshness = { onTimeFactor: 1.5, lateFactor: 3, latePoints: 7 } as const;

/** A share of invalid rows costs up to this much of a table's validation points; any problem costs 40 %. */
const invalidTableCeiling = 0.6;

const filled = (v: string | undefined) => !!v?.trim();

function inBothLanguages(value: Bilingual, max: number, keys: { both: string; one: string; none: string }): Reason {
  const count = (filled(value.en) ? 1 : 0) + (filled(value.fr) ? 1 : 0);
  if (count === 2) return { key: keys.both, points: max, max };
  if (count === 1) return { key: keys.one, points: Math.floor(max / 2), max };
  return { key: keys.none, points: 0, max };
}

function metadataReasons(d: QualityDataset): Reason[] {
  const w = qualityWeights.metadata;
  const keywordCount = (d.keywords.en.length ? 1 : 0) + (d.keywords.fr.length ? 1 : 0);
  return [
    inBothLanguages(d.title, w.title, { both: 'catalogue.quality.reasons.title.both', one: 'catalogue.quality.reasons.title.one', none: 'catalogue.quality.reasons.title.none' }),
    inBothLanguages(d.description, w.description, {
      both: 'catalogue.quality.reasons.description.both',
      one: 'catalogue.quality.reasons.description.one',
      none: 'catalogue.quality.reasons.description.none',
    }),
    keywordCount === 2
      ? { key: 'catalogue.quality.reasons.keywords.both', points: w.keywords, max: w.keywords }
      : keywordCount === 1
        ? { key: 'catalogue.quality.reasons.keywords.one', points: Math.floor(w.keywords / 2), max: w.keywords }
        : { key: 'catalogue.quality.reasons.keywords.none', points: 0, max: w.keywords },
    filled(d.contact.email)
      ? { key: 'catalogue.quality.reasons.contact.email', points: w.contact, max: w.contact }
      : filled(d.contact.name)
        ? { key: 'catalogue.quality.reasons.contact.nameOnly', points: Math.floor(w.contact / 2), max: w.contact }
        : { key: 'catalogue.quality.reasons.contact.none', points: 0, max: w.contact },
    d.updateFrequency
      ? { key: 'catalogue.quality.reasons.frequency.stated', points: w.frequency, max: w.frequency }
      : { key: 'catalogue.quality.reasons.frequency.missing', points: 0, max: w.frequency },
    d.temporalStart || d.temporalEnd
      ? { key: 'catalogue.quality.reasons.temporal.stated', points: w.temporal, max: w.temporal }
      : { key: 'catalogue.quality.reasons.temporal.missing', points: 0, max: w.temporal },
    inBothLanguages(d.spatial, w.spatial, { both: 'catalogue.quality.reasons.spatial.both', one: 'catalogue.quality.reasons.spatial.one', none: 'catalogue.quality.reasons.spatial.none' }),
    d.licenceId
      ? { key: 'catalogue.quality.reasons.licence.chosen', points: w.licence, max: w.licence }
      : { key: 'catalogue.quality.reasons.licence.missing', points: 0, max: w.licence },
  ];
}

/** How much of its validation points one table earns: all when valid, less the more rows have problems. */
export function tableValidationShare(report: ValidationReport | null): number {
  if (!report) return 0;
  if (report.valid) return 1;
  const problems = report.problems.reduce((sum, p) => sum + p.count, 0);
  return invalidTableCeiling * (1 - Math.min(1, problems / Math.max(1, report.rows)));
}

function validationReason(rs: QualityResource[]): Reason {
  const max = qualityWeights.validation;
  const tables = rs.filter((r) => tabularFormats.has(r.format.toUpperCase()));
  if (!tables.length) return { key: 'catalogue.quality.reasons.validation.noTables', points: 0, max };
  const valid = tables.filter((r) => r.validation?.valid).length;
  const invalid = tables.filter((r) => r.validation && !r.validation.valid).length;
  const unchecked = tables.length - valid - invalid;
  const problems = tables.reduce((sum, r) => sum + (r.validation && !r.validation.valid ? r.validation.problems.reduce((s, p) => s + p.count, 0) : 0), 0);
  const points = Math.round((max * tables.reduce((sum, r) => sum + tableValidationShare(r.validation), 0)) / tables.length);
  const params = { total: tables.length, valid, invalid, unchecked, problems };
  if (invalid) return { key: 'catalogue.quality.reasons.validation.problems', points, max, params };
  if (unchecked) return { key: 'catalogue.quality.reasons.validation.unchecked', points, max, params };
  return { key: 'catalogue.quality.reasons.validation.allValid', points, max, params };
}

const dayMs = 86_400_000;

/** When the data or its description last changed: the newest of the dataset's and its resources' times. */
export function lastUpdated(d: QualityDataset, rs: QualityResource[]): Date {
  let latest = d.modifiedAt.getTime();
  for (const r of rs) latest = Math.max(latest, r.modifiedAt.getTime(), r.loadedAt?.getTime() ?? 0);
  return new Date(latest);
}

function freshnessReason(d: QualityDataset, rs: QualityResource[], now: Date): Reason {
  const max = qualityWeights.freshness;
  if (!d.updateFrequency) return { key: 'catalogue.quality.reasons.freshness.unknown', points: 0, max };
  const expected = expectedDays[d.updateFrequency];
  if (!expected) return { key: 'catalogue.quality.reasons.freshness.noSchedule', points: max, max };
  const days = Math.max(0, Math.floor((now.getTime() - lastUpdated(d, rs).getTime()) / dayMs));
  const params = { count: days, expected };
  if (days <= expected * freshness.onTimeFactor) return { key: 'catalogue.quality.reasons.freshness.onTime', points: max, max, params };
  if (days <= expected * freshness.lateFactor) return { key: 'catalogue.quality.reasons.freshness.late', points: freshness.latePoints, max, params };
  return { key: 'catalogue.quality.reasons.freshness.stale', points: 0, max, params };
}

function opennessReasons(d: QualityDataset, licenceOpen: boolean | null, rs: QualityResource[]): Reason[] {
  const w = qualityWeights.openness;
  const formats = [...new Set(rs.map((r) => r.format.toUpperCase()).filter(Boolean))].sort();
  const open = formats.filter((f) => openFormats.has(f));
  const proprietary = formats.filter((f) => proprietaryFormats.has(f));
  return [
    d.accessLevel === 'open'
      ? { key: 'catalogue.quality.reasons.access.open', points: w.access, max: w.access }
      : { key: 'catalogue.quality.reasons.access.notOpen', points: 0, max: w.access },
    licenceOpen === null
      ? { key: 'catalogue.quality.reasons.openLicence.missing', points: 0, max: w.licence }
      : licenceOpen
        ? { key: 'catalogue.quality.reasons.openLicence.open', points: w.licence, max: w.licence }
        : { key: 'catalogue.quality.reasons.openLicence.closed', points: 0, max: w.licence },
    !rs.length
      ? { key: 'catalogue.quality.reasons.formats.noData', points: 0, max: w.formats }
      : open.length
        ? { key: 'catalogue.quality.reasons.formats.open', points: w.formats, max: w.formats, params: { formats: open.join(', ') } }
        : proprietary.length
          ? { key: 'catalogue.quality.reasons.formats.proprietary', points: Math.floor(w.formats / 2), max: w.formats, params: { formats: proprietary.join(', ') } }
          : { key: 'catalogue.quality.reasons.formats.none', points: 0, max: w.formats, params: { formats: formats.join(', ') || '–' } },
  ];
}

/**
 * A dataset's quality score (0–100) and the reasons for it, each worth points out of a maximum:
 * metadata complete in both languages (40), validation of its tables (25), freshness against its
 * update frequency (15) and openness: access, licence and formats (20). `licenceOpen` is null when
 * no licence is chosen.
 */
export function assessQuality(d: QualityDataset, licenceOpen: boolean | null, rs: QualityResource[], now: Date): QualityAssessment {
  const reasons = [...metadataReasons(d), validationReason(rs), freshnessReason(d, rs, now), ...opennessReasons(d, licenceOpen, rs)];
  return { score: reasons.reduce((sum, r) => sum + r.points, 0), reasons };
}

async function licenceOpenness(db: Db): Promise<Map<string, boolean>> {
  return new Map((await db.select({ id: licences.id, open: licences.open }).from(licences)).map((l) => [l.id, l.open]));
}

const resourceColumns = { datasetId: resources.datasetId, format: resources.format, validation: resources.validation, modifiedAt: resources.modifiedAt, loadedAt: resources.loadedAt };

/** Recomputes and stores one dataset's quality (called after any change to it or its resources). */
export async function refreshQuality(db: Db, datasetId: string, now = new Date()): Promise<QualityAssessment | null> {
  const [dataset] = await db.select().from(datasets).where(eq(datasets.id, datasetId)).limit(1);
  if (!dataset) return null;
  const [rs, open] = [await db.select(resourceColumns).from(resources).where(eq(resources.datasetId, datasetId)), await licenceOpenness(db)];
  const quality = assessQuality(dataset, dataset.licenceId ? (open.get(dataset.licenceId) ?? false) : null, rs, now);
  await db.update(datasets).set({ quality, qualityScore: quality.score }).where(eq(datasets.id, datasetId));
  return quality;
}

/** Whether two assessments say the same (jsonb gives keys back in its own order, so compare fields). */
function sameAssessment(a: QualityAssessment, b: QualityAssessment | null): boolean {
  if (!b || a.score !== b.score || a.reasons.length !== b.reasons.length) return false;
  const params = (p: Reason['params']) => JSON.stringify(Object.entries(p ?? {}).sort(([x], [y]) => x.localeCompare(y)));
  return a.reasons.every((r, i) => {
    const o = b.reasons[i]!;
    return r.key === o.key && r.points === o.points && r.max === o.max && params(r.params) === params(o.params);
  });
}

/**
 * Recomputes the quality of every published dataset (freshness changes with time alone), a batch
 * at a time; writes only the scores that changed. Returns how many were checked and changed.
 */
export async function refreshAllQuality(db: Db, now = new Date(), onBatch?: (checked: number) => Promise<void>): Promise<{ checked: number; changed: number }> {
  const open = await licenceOpenness(db);
  let after = '00000000-0000-0000-0000-000000000000';
  let checked = 0;
  let changed = 0;
  for (;;) {
    const batch = await db
      .select()
      .from(datasets)
      .where(and(eq(datasets.state, 'published'), gt(datasets.id, after)))
      .orderBy(asc(datasets.id))
      .limit(500);
    if (!batch.length) break;
    const rs = await db.select(resourceColumns).from(resources).where(inArray(resources.datasetId, batch.map((d) => d.id)));
    for (const dataset of batch) {
      const quality = assessQuality(dataset, dataset.licenceId ? (open.get(dataset.licenceId) ?? false) : null, rs.filter((r) => r.datasetId === dataset.id), now);
      if (!sameAssessment(quality, dataset.quality)) {
        await db.update(datasets).set({ quality, qualityScore: quality.score }).where(eq(datasets.id, dataset.id));
        changed++;
      }
    }
    checked += batch.length;
    after = batch[batch.length - 1]!.id;
    await onBatch?.(checked);
  }
  return { checked, changed };
}
