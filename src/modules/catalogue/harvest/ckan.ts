import type { Bilingual } from '../../../kernel/i18n/index.js';
import { accessLevels, type AccessLevel } from '../schema.js';
import { formatFromDcat, frequencyFrom } from '../dcat/vocabulary.js';
import { fetchJson, HarvestError, type FetchLimits } from './fetch.js';
import { bilingualOf, clean, dateOf, emailOf, httpUrl, slugify, type HarvestRecord, type HarvestResource, type ReadRecord, type RecordSource } from './record.js';

/**
 * Reads a CKAN catalogue (or anything speaking CKAN's Action API, Trillium included) through
 * `package_search`, a page at a time with `rows` and `start`.
 */
export function packageSearchUrl(sourceUrl: string): string {
  const url = new URL(sourceUrl);
  if (!/\/api\/(3\/)?action\/package_search\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/3/action/package_search`;
  return url.href;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** A bilingual text from a ckanext-fluent field, or the plain field (taken as `language`). */
function fluent(pkg: Json, translated: string, plain: string, max: number, language: 'en' | 'fr'): Bilingual {
  const both = bilingualOf(pkg[translated], max);
  if (both.en || both.fr) return both;
  const text = clean(pkg[plain], max);
  return text ? { [language]: text } : {};
}

function keywordsOf(pkg: Json, language: 'en' | 'fr'): { en: string[]; fr: string[] } {
  // Commas and semicolons separate keywords in Trillium's form, so they cannot be inside one.
  const list = (v: unknown) =>
    (Array.isArray(v) ? v : [])
      .map((k) => clean(k, 100)?.replace(/[,;]/g, ' '))
      .filter((k): k is string => !!k)
      .slice(0, 50);
  if (isObject(pkg['keywords'])) return { en: list(pkg['keywords']['en']), fr: list(pkg['keywords']['fr']) };
  const tags = list((Array.isArray(pkg['tags']) ? pkg['tags'] : []).map((t) => (isObject(t) ? (t['display_name'] ?? t['name']) : t)));
  return language === 'en' ? { en: tags, fr: [] } : { en: [], fr: tags };
}

const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function organizationOf(pkg: Json, language: 'en' | 'fr'): HarvestRecord['organization'] {
  const org = isObject(pkg['organization']) ? pkg['organization'] : null;
  const slugSource = clean(org?.['name'], 100) ?? (typeof pkg['owner_org'] === 'string' && !uuidLike.test(pkg['owner_org']) ? pkg['owner_org'] : undefined);
  if (!slugSource) return undefined;
  const slug = slugify(slugSource, 60);
  if (slug.length < 2) return undefined;
  let name = bilingualOf(org?.['title_translated'], 200);
  if (!name.en && !name.fr) name = bilingualOf(pkg['org_title_at_publication'], 200);
  if (!name.en && !name.fr) {
    const title = clean(org?.['title'], 200);
    // ckanext-canada writes "English | Français" in the plain title.
    const [en, fr] = (title ?? '').split(' | ');
    name = fr ? { en: en!, fr } : title ? { [language]: title } : { [language]: slugSource };
  }
  return { slug: slug === 'new' ? 'new-org' : slug, name };
}

function resourcesOf(pkg: Json, language: 'en' | 'fr'): HarvestResource[] {
  const out: HarvestResource[] = [];
  for (const r of Array.isArray(pkg['resources']) ? pkg['resources'] : []) {
    if (!isObject(r) || (r['state'] && r['state'] !== 'active')) continue;
    const url = httpUrl(r['url']);
    if (!url) continue;
    const format = clean(r['format'], 50);
    out.push({
      url,
      name: fluent(r, 'name_translated', 'name', 300, language),
      description: fluent(r, 'description_translated', 'description', 5000, language),
      format: format ? (formatFromDcat(format) ?? undefined) : undefined,
    });
  }
  return out;
}

/** One CKAN package dict as a harvest record (or the reason it is not taken). */
export function recordFromPackage(pkg: unknown, language: 'en' | 'fr' = 'en'): ReadRecord {
  if (!isObject(pkg)) return { rejected: { identifier: '?', reason: 'notADataset' } };
  const identifier = clean(pkg['id'], 200) ?? clean(pkg['name'], 200);
  const title = fluent(pkg, 'title_translated', 'title', 500, language);
  if (!identifier) return { rejected: { identifier: '?', title, reason: 'noIdentifier' } };
  if (pkg['private'] === true) return { rejected: { identifier, title, reason: 'private' } };
  if (pkg['state'] && pkg['state'] !== 'active') return { rejected: { identifier, title, reason: 'deleted' } };
  const licenceUrl = httpUrl(pkg['license_url']);
  return {
    record: {
      identifier,
      name: clean(pkg['name'], 100),
      title,
      description: fluent(pkg, 'notes_translated', 'notes', 20000, language),
      keywords: keywordsOf(pkg, language),
      organization: organizationOf(pkg, language),
      licence: { id: clean(pkg['license_id'], 100), url: licenceUrl },
      // Trillium's own CKAN API says how open the data is, and why not; CKAN's public data is open.
      accessLevel: (accessLevels as readonly unknown[]).includes(pkg['access_level']) ? (pkg['access_level'] as AccessLevel) : 'open',
      exemptionReason: bilingualOf(pkg['exemption_reason_translated'], 2000),
      contact: {
        name: clean(pkg['maintainer'], 200) ?? clean(pkg['author'], 200),
        email: emailOf(pkg['maintainer_email']) ?? emailOf(pkg['author_email']),
      },
      updateFrequency: frequencyFrom(clean(pkg['frequency'], 200) ?? clean(pkg['accrual_periodicity'], 200) ?? clean(pkg['update_frequency'], 200)),
      temporalStart: dateOf(pkg['time_period_coverage_start'] ?? pkg['temporal_start']),
      temporalEnd: dateOf(pkg['time_period_coverage_end'] ?? pkg['temporal_end']),
      // CKAN's `spatial` is usually GeoJSON; only a place name is kept.
      spatial: (() => {
        const both = bilingualOf(pkg['spatial_translated'], 500);
        if (both.en || both.fr) return both;
        const text = clean(pkg['spatial'], 500);
        return text && !text.startsWith('{') ? { [language]: text } : {};
      })(),
      resources: resourcesOf(pkg, language),
    },
  };
}

/** Pages of `package_search`, until the source has given `count` records or an empty page. */
export async function* ckanSource(sourceUrl: string, limits: FetchLimits, options: { rows?: number; maxPages?: number; language?: 'en' | 'fr' } = {}): RecordSource {
  const endpoint = packageSearchUrl(sourceUrl);
  const rows = options.rows ?? 100;
  let start = 0;
  for (let page = 0; ; page++) {
    if (page >= (options.maxPages ?? 10_000)) throw new HarvestError('tooManyPages', endpoint);
    const url = new URL(endpoint);
    url.searchParams.set('rows', String(rows));
    url.searchParams.set('start', String(start));
    // A stable order every CKAN-compatible API offers. A dataset added at the source while the
    // harvest reads can still shift a page: a record read twice is then skipped as a duplicate.
    url.searchParams.set('sort', 'name asc');
    const body = await fetchJson(url.href, limits);
    const result = isObject(body) && body['success'] === true && isObject(body['result']) ? body['result'] : null;
    if (!result || !Array.isArray(result['results']) || typeof result['count'] !== 'number') throw new HarvestError('invalidResponse', url.href);
    const results = result['results'] as unknown[];
    yield { records: results.map((pkg) => recordFromPackage(pkg, options.language)), total: result['count'] };
    // A source may cap `rows` below what was asked: move on by what it gave.
    start += results.length;
    if (!results.length || start >= result['count']) return;
  }
}
