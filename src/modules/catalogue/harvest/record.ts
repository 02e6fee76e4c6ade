import type { Bilingual } from '../../../kernel/i18n/index.js';
import type { AccessLevel, Keywords, UpdateFrequency } from '../types.js';

/**
 * One dataset as a source describes it, once read from CKAN or DCAT: the shape the harvester
 * turns into Trillium's dataset form. Texts are `{ en, fr }`; anything the source does not say is
 * left out.
 */
export interface HarvestRecord {
  /** The dataset's identifier at the source (CKAN id, DCAT dct:identifier or IRI). */
  identifier: string;
  /** The short name the source uses, if it has one worth keeping. */
  name?: string | undefined;
  title: Bilingual;
  description: Bilingual;
  keywords: Keywords;
  /** The publishing organization; the source's default organization when absent. */
  organization?: { slug: string; name: Bilingual } | undefined;
  licence?: { id?: string | undefined; url?: string | undefined } | undefined;
  accessLevel: AccessLevel;
  /** Why the data is not open, when the source says (otherwise the harvest says the source limits it). */
  exemptionReason?: Bilingual | undefined;
  contact: { name?: string | undefined; email?: string | undefined };
  updateFrequency?: UpdateFrequency | null | undefined;
  temporalStart?: string | undefined;
  temporalEnd?: string | undefined;
  spatial: Bilingual;
  resources: HarvestResource[];
}

export interface HarvestResource {
  url: string;
  name: Bilingual;
  description: Bilingual;
  format?: string | undefined;
}

/** Why a record was not taken at all (the report says so; nothing is written). */
export interface RecordRejection {
  identifier: string;
  title?: Bilingual;
  reason: 'private' | 'deleted' | 'noIdentifier' | 'notADataset';
}

export type ReadRecord = { record: HarvestRecord } | { rejected: RecordRejection };

/** A page of records from a source, and what the source says about the total. */
export interface RecordPage {
  records: ReadRecord[];
  /** How many records the source holds, when it says. */
  total: number | null;
}

/** Reads a source page by page. */
export type RecordSource = AsyncIterable<RecordPage>;

// Helpers shared by the CKAN and DCAT readers.

export function clean(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.replace(/\u0000/g, '').trim();
  return text ? text.slice(0, max) : undefined;
}

export function bilingualOf(value: unknown, max: number): Bilingual {
  if (!value || typeof value !== 'object') return {};
  const v = value as Record<string, unknown>;
  const en = clean(v['en'], max);
  const fr = clean(v['fr'], max);
  return { ...(en ? { en } : {}), ...(fr ? { fr } : {}) };
}

const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Lower-case letters, digits and dashes, as Trillium names and organization slugs are. */
export function slugify(text: string, max = 60): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
}

/**
 * The name to give a new harvested dataset: the source's own name when it is a readable one, or
 * words of the title with a piece of the identifier (identifiers alone, such as CKAN ids, are
 * refused by Trillium's dataset addresses, which read them as ids).
 */
export function nameFor(record: HarvestRecord): string {
  const own = record.name?.toLowerCase();
  if (own && /^[a-z0-9][a-z0-9_-]{1,99}$/.test(own) && !uuidLike.test(own)) return own;
  const words = slugify(record.title.en ?? record.title.fr ?? '', 60);
  const suffix = slugify(record.identifier.replace(/^.*[/#:]/, ''), 40).replace(/-/g, '').slice(0, 8) || 'dataset';
  return words ? `${words}-${suffix}` : `dataset-${suffix}`;
}

/** A date (YYYY-MM-DD) from text that starts with one, or nothing. */
export function dateOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = value.trim().match(/^(\d{4}-\d{2}-\d{2})/);
  if (!match) return undefined;
  const date = new Date(`${match[1]}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== match[1] ? undefined : match[1];
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailOf(value: unknown): string | undefined {
  const text = clean(typeof value === 'string' ? value.replace(/^mailto:/i, '') : value, 254);
  return text && emailPattern.test(text) ? text : undefined;
}

export function httpUrl(value: unknown): string | undefined {
  const text = clean(value, 2000);
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
