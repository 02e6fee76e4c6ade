import type { Bilingual } from '../../../kernel/i18n/index.js';
import type { Resource } from '../types.js';

/**
 * CKAN package and resource dicts (ckanext-fluent style, as Canada's and Ontario's catalogues send
 * them) turned into the inputs Trillium's actions take, and Trillium's field names turned back
 * into CKAN's for error messages. The actions still validate everything; this only renames.
 */

type Dict = Record<string, unknown>;

/** Trillium input field → the CKAN field a client sent it in. */
const ckanFields: Record<string, string> = {
  name: 'name',
  organizationId: 'owner_org',
  titleEn: 'title_translated',
  titleFr: 'title_translated',
  descriptionEn: 'notes_translated',
  descriptionFr: 'notes_translated',
  keywordsEn: 'keywords',
  keywordsFr: 'keywords',
  groups: 'groups',
  licenceId: 'license_id',
  accessLevel: 'access_level',
  exemptionReasonEn: 'exemption_reason_translated',
  exemptionReasonFr: 'exemption_reason_translated',
  contactName: 'maintainer',
  contactEmail: 'maintainer_email',
  updateFrequency: 'update_frequency',
  temporalStart: 'temporal_start',
  temporalEnd: 'temporal_end',
  spatialEn: 'spatial_translated',
  spatialFr: 'spatial_translated',
  version: 'revision',
  // Resources
  nameEn: 'name_translated',
  nameFr: 'name_translated',
  kind: 'url_type',
  url: 'url',
  format: 'format',
  file: 'upload',
  standardId: 'standard_id',
};

/** The CKAN name of a Trillium input field (unknown names are kept). */
export function ckanFieldOf(field: string): string {
  return ckanFields[field] ?? field;
}

/** A string value, or undefined for null, empty and non-scalar values. */
export function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** An object, also when sent as a JSON string (form posts and multipart uploads). */
export function objectOf(value: unknown): Dict | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Dict;
  if (typeof value === 'string' && value.trim().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Dict;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A list, also when sent as a JSON string. */
export function arrayOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string' && value.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * A fluent field: `<name>_translated: {en, fr}` wins; otherwise the plain field is the English
 * text (CKAN's plain fields are English on bilingual sites).
 */
function fluent(dict: Dict, translated: string, plain: string): { en?: string; fr?: string } {
  const both = objectOf(dict[translated]);
  if (both) return { en: scalar(both['en']), fr: scalar(both['fr']) };
  return { en: scalar(dict[plain]) };
}

/** `keywords: {en: [], fr: []}` wins; otherwise `tags: [{name}]` (or `tag_string`) are English. */
function keywordsOf(dict: Dict): { en: string[]; fr: string[] } {
  const words = (value: unknown) => (arrayOf(value) ?? []).map((v) => scalar(objectOf(v)?.['name'] ?? v)).filter((v): v is string => !!v);
  const keywords = objectOf(dict['keywords']);
  if (keywords) return { en: words(keywords['en']), fr: words(keywords['fr']) };
  const tags = arrayOf(dict['tags']);
  if (tags) return { en: words(tags), fr: [] };
  return { en: (scalar(dict['tag_string']) ?? '').split(',').map((t) => t.trim()).filter(Boolean), fr: [] };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const tagNames = (value: unknown) => (arrayOf(value) ?? []).map((t) => scalar(objectOf(t)?.['name'] ?? t));

/**
 * A dict a client edited from what package_show (or resource_show) gave it, with each plain field
 * it changed (`title`, `notes`, `tags`; a resource's `name`, `description`) carried into the
 * English text of its fluent twin, unless the client changed the twin as well. Without this, the
 * fluent twin (sent back unchanged) would silently win over the plain field the client edited.
 */
export function withPlainChanges(dict: Dict, current: Dict, pairs: ReadonlyArray<readonly [plain: string, twin: string]>): Dict {
  const out = { ...dict };
  for (const [plain, twin] of pairs) {
    if (!(plain in dict)) continue;
    const twinChanged = twin in dict && !same(dict[twin], current[twin]);
    if (twinChanged) continue;
    if (plain === 'tags') {
      const names = tagNames(dict['tags']);
      if (!same(names, tagNames(current['tags']))) out['keywords'] = { ...objectOf(current['keywords']), en: names.filter(Boolean) };
    } else if (!same(dict[plain], current[plain])) {
      out[twin] = { ...objectOf(current[twin]), en: dict[plain] };
    }
  }
  return out;
}

/** CKAN's `extras: [{key, value}]` moved to the top level, where fields are given there first. */
export function withExtras(dict: Dict): Dict {
  const extras = arrayOf(dict['extras']) ?? [];
  const flat: Dict = {};
  for (const extra of extras) {
    const e = objectOf(extra);
    const key = scalar(e?.['key']);
    if (key && !(key in dict)) flat[key] = e!['value'];
  }
  return { ...flat, ...dict };
}

/** Group names from `groups: [{name}|{id}|"name"]`; ids are turned into names with `byId`. */
export function groupNamesOf(dict: Dict, byId: Map<string, string>): string[] | undefined {
  const groups = arrayOf(dict['groups']);
  if (!groups) return undefined;
  return groups
    .map((g) => {
      const o = objectOf(g);
      const id = scalar(o?.['id']);
      return scalar(o ? o['name'] : g) ?? (id ? (byId.get(id) ?? id) : undefined);
    })
    .filter((g): g is string => !!g);
}

function defined(values: Dict): Dict {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** The dataset input (`inputs/dataset.input.ts`) for a CKAN package dict. */
export function datasetForm(pkg: Dict, organizationId: string | undefined, groups: string[] | undefined): Dict {
  const title = fluent(pkg, 'title_translated', 'title');
  const notes = fluent(pkg, 'notes_translated', 'notes');
  const reason = fluent(pkg, 'exemption_reason_translated', 'exemption_reason');
  const spatial = fluent(pkg, 'spatial_translated', 'spatial');
  const keywords = keywordsOf(pkg);
  return defined({
    name: scalar(pkg['name']),
    organizationId,
    titleEn: title.en,
    titleFr: title.fr,
    descriptionEn: notes.en,
    descriptionFr: notes.fr,
    keywordsEn: keywords.en.join(', ') || undefined,
    keywordsFr: keywords.fr.join(', ') || undefined,
    groups,
    licenceId: scalar(pkg['license_id']),
    accessLevel: scalar(pkg['access_level']) ?? 'open',
    exemptionReasonEn: reason.en,
    exemptionReasonFr: reason.fr,
    contactName: scalar(pkg['maintainer']),
    contactEmail: scalar(pkg['maintainer_email']),
    updateFrequency: scalar(pkg['update_frequency']),
    temporalStart: scalar(pkg['temporal_start']),
    temporalEnd: scalar(pkg['temporal_end']),
    spatialEn: spatial.en,
    spatialFr: spatial.fr,
    // Trillium's revision, as package_show gave it: an update made meanwhile by someone else is refused.
    version: scalar(pkg['revision']),
  });
}

/** The bilingual values publishing checks, from a dataset input. */
export function publicationValues(form: Dict) {
  const pair = (en: unknown, fr: unknown): Bilingual => ({ ...(typeof en === 'string' ? { en } : {}), ...(typeof fr === 'string' ? { fr } : {}) });
  const accessLevel = (form['accessLevel'] as 'open' | 'under_review' | 'restricted' | undefined) ?? 'open';
  return {
    title: pair(form['titleEn'], form['titleFr']),
    description: pair(form['descriptionEn'], form['descriptionFr']),
    licenceId: (form['licenceId'] as string | undefined) ?? null,
    accessLevel,
    exemptionReason: pair(form['exemptionReasonEn'], form['exemptionReasonFr']),
  };
}

/**
 * The resource input (`inputs/resource.input.ts`) for a CKAN resource dict. With a file it is an
 * upload; an upload already stored keeps its file unless the client gives a different link;
 * anything else with a URL is a link (files uploaded to another CKAN stay where they are).
 */
export function resourceForm(res: Dict, options: { existing?: Resource; downloadUrl?: string; file?: boolean } = {}): Dict {
  const name = fluent(res, 'name_translated', 'name');
  const description = fluent(res, 'description_translated', 'description');
  const url = scalar(res['url']);
  const keepsUpload = options.existing?.kind === 'upload' && (!url || url === options.downloadUrl);
  const kind = options.file || keepsUpload ? 'upload' : 'link';
  return defined({
    nameEn: name.en,
    nameFr: name.fr,
    descriptionEn: description.en,
    descriptionFr: description.fr,
    kind,
    url: kind === 'link' ? url : undefined,
    format: scalar(res['format']),
    standardId: scalar(res['standard_id']),
  });
}
