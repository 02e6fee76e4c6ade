import jsonld from 'jsonld';
import type { Bilingual } from '../../../kernel/i18n/index.js';
import { localContext } from '../dcat/contexts.js';
import { ns } from '../dcat/rdf.js';
import { accessLevelFrom, formatFromDcat, frequencyFrom } from '../dcat/vocabulary.js';
import { fetchJson, fetchText, HarvestError, type FetchLimits } from './fetch.js';
import { clean, dateOf, emailOf, httpUrl, slugify, type HarvestRecord, type HarvestResource, type ReadRecord, type RecordSource } from './record.js';

/**
 * Reads a DCAT catalogue published as JSON-LD (DCAT-AP, or Trillium's own `/catalog.jsonld`).
 * Documents are expanded with the contexts kept on disk; other remote contexts are fetched with
 * the same limits as the catalogue itself, at most a few per harvest. Hydra `next` links are
 * followed from page to page.
 */

type Value = { '@id'?: string; '@value'?: unknown; '@language'?: string; '@type'?: string };
type Node = { '@id'?: string; '@type'?: string[] } & Record<string, Value[] | string | string[] | undefined>;

const schema = 'http://schema.org/';
const locn = 'http://www.w3.org/ns/locn#';

/** A document loader that never waits for long: local contexts first, then a few fetched ones. */
function documentLoader(limits: FetchLimits, maxRemote = 5) {
  const fetched = new Map<string, unknown>();
  return async (url: string) => {
    const local = localContext(url);
    if (local) return { contextUrl: undefined, documentUrl: url, document: local };
    if (!fetched.has(url)) {
      if (fetched.size >= maxRemote || !/^https?:\/\//.test(url)) throw new HarvestError('invalidResponse', url, 'context not allowed');
      fetched.set(url, await fetchJson(url, limits, 'application/ld+json, application/json'));
    }
    return { contextUrl: undefined, documentUrl: url, document: fetched.get(url) };
  };
}

function values(node: Node | undefined, property: string): Value[] {
  const v = node?.[property];
  return Array.isArray(v) ? (v as Value[]).filter((x) => typeof x === 'object') : [];
}

const literals = (node: Node | undefined, property: string) => values(node, property).filter((v) => v['@value'] !== undefined);
const refs = (node: Node | undefined, property: string) => values(node, property).flatMap((v) => (v['@id'] ? [v['@id']] : []));

/** Language-tagged literals as `{ en, fr }`; untagged text counts as the source's language. */
function texts(node: Node | undefined, property: string, max: number, language: 'en' | 'fr'): Bilingual {
  const out: Bilingual = {};
  for (const v of literals(node, property)) {
    const lang = (v['@language'] ?? language).toLowerCase().split('-')[0];
    if ((lang === 'en' || lang === 'fr') && !out[lang]) {
      const text = clean(String(v['@value']), max);
      if (text) out[lang] = text;
    }
  }
  return out;
}

const first = (node: Node | undefined, property: string): string | undefined => {
  const v = values(node, property)[0];
  return v ? String(v['@id'] ?? v['@value']) : undefined;
};

const lastSegment = (iri: string) => iri.replace(/[/#]+$/, '').split(/[/#:]/).pop() ?? '';

function organizationOf(graph: Map<string, Node>, id: string | undefined, language: 'en' | 'fr'): HarvestRecord['organization'] {
  if (!id) return undefined;
  const node = graph.get(id);
  let name = texts(node, 'http://xmlns.com/foaf/0.1/name', 200, language);
  if (!name.en && !name.fr) name = texts(node, `${ns.skos}prefLabel`, 200, language);
  const fromIri = id.startsWith('_:') ? '' : lastSegment(id);
  const slug = slugify(fromIri || name.en || name.fr || '', 60);
  if (slug.length < 2) return undefined;
  if (!name.en && !name.fr) name = { [language]: fromIri };
  return { slug: slug === 'new' ? 'new-org' : slug, name };
}

function distributionOf(graph: Map<string, Node>, id: string, language: 'en' | 'fr'): HarvestResource | null {
  const node = graph.get(id);
  const url = httpUrl(refs(node, `${ns.dcat}downloadURL`)[0]) ?? httpUrl(refs(node, `${ns.dcat}accessURL`)[0]);
  if (!url) return null;
  const format = first(node, `${ns.dct}format`) ?? first(node, `${ns.dcat}mediaType`);
  return {
    url,
    name: texts(node, `${ns.dct}title`, 300, language),
    description: texts(node, `${ns.dct}description`, 5000, language),
    format: format ? (formatFromDcat(format) ?? undefined) : undefined,
  };
}

/** One dcat:Dataset node as a harvest record. */
export function recordFromNode(graph: Map<string, Node>, node: Node, language: 'en' | 'fr' = 'en'): ReadRecord {
  const title = texts(node, `${ns.dct}title`, 500, language);
  const id = node['@id'];
  const identifier = clean(first(node, `${ns.dct}identifier`), 200) ?? (id && !id.startsWith('_:') ? id : undefined);
  if (!identifier) return { rejected: { identifier: '?', title, reason: 'noIdentifier' } };
  const distributions = refs(node, `${ns.dcat}distribution`);
  const licenceIri = refs(node, `${ns.dct}license`)[0] ?? distributions.map((d) => refs(graph.get(d), `${ns.dct}license`)[0]).find(Boolean);
  const contact = graph.get(refs(node, `${ns.dcat}contactPoint`)[0] ?? '');
  const period = graph.get(refs(node, `${ns.dct}temporal`)[0] ?? '');
  const place = graph.get(refs(node, `${ns.dct}spatial`)[0] ?? '');
  const keywords = { en: [] as string[], fr: [] as string[] };
  for (const v of literals(node, `${ns.dcat}keyword`)) {
    const lang = (v['@language'] ?? language).toLowerCase().split('-')[0];
    const word = clean(String(v['@value']), 100)?.replace(/[,;]/g, ' ');
    if (word && (lang === 'en' || lang === 'fr') && keywords[lang].length < 50) keywords[lang].push(word);
  }
  let spatial = texts(place, `${ns.skos}prefLabel`, 500, language);
  if (!spatial.en && !spatial.fr) spatial = texts(place, `${ns.rdfs}label`, 500, language);
  if (!spatial.en && !spatial.fr) spatial = texts(place, `${locn}geographicName`, 500, language);
  // Catalogues' landing pages usually end with the dataset's short name (CKAN, Trillium).
  const landingPage = refs(node, `${ns.dcat}landingPage`)[0];
  const name = landingPage && /^https?:/.test(landingPage) ? decodeURIComponent(new URL(landingPage).pathname.split('/').filter(Boolean).pop() ?? '') : undefined;
  return {
    record: {
      identifier,
      name,
      title,
      description: texts(node, `${ns.dct}description`, 20000, language),
      keywords,
      organization: organizationOf(graph, refs(node, `${ns.dct}publisher`)[0], language),
      licence: licenceIri ? { url: licenceIri } : undefined,
      accessLevel: accessLevelFrom(refs(node, `${ns.dct}accessRights`)[0]),
      contact: {
        name: clean(first(contact, `${ns.vcard}fn`), 200),
        email: emailOf(first(contact, `${ns.vcard}hasEmail`)),
      },
      updateFrequency: frequencyFrom(refs(node, `${ns.dct}accrualPeriodicity`)[0]),
      temporalStart: dateOf(first(period, `${ns.dcat}startDate`) ?? first(period, `${schema}startDate`)),
      temporalEnd: dateOf(first(period, `${ns.dcat}endDate`) ?? first(period, `${schema}endDate`)),
      spatial,
      resources: distributions.map((d) => distributionOf(graph, d, language)).filter((r): r is HarvestResource => !!r),
    },
  };
}

/** The expanded, flattened nodes of a JSON-LD document, by id. */
export async function nodesOf(document: unknown, url: string, limits: FetchLimits): Promise<Map<string, Node>> {
  let flattened: unknown;
  try {
    flattened = await jsonld.flatten(document as object, null as never, { base: url, documentLoader: documentLoader(limits) as never });
  } catch (error) {
    if (error instanceof HarvestError) throw error;
    const cause = (error as { details?: { cause?: unknown } }).details?.cause;
    if (cause instanceof HarvestError) throw cause;
    throw new HarvestError('invalidResponse', url, error instanceof Error ? error.message.slice(0, 200) : '');
  }
  const list = (Array.isArray(flattened) ? flattened : ((flattened as { '@graph'?: unknown[] })['@graph'] ?? [])) as Node[];
  return new Map(list.filter((n) => n['@id']).map((n) => [n['@id']!, n]));
}

/** Pages of a DCAT JSON-LD catalogue, following Hydra `next` links. */
export async function* dcatSource(sourceUrl: string, limits: FetchLimits, options: { maxPages?: number; language?: 'en' | 'fr' } = {}): RecordSource {
  const seen = new Set<string>();
  let url: string | undefined = sourceUrl;
  while (url) {
    if (seen.has(url)) return;
    if (seen.size >= (options.maxPages ?? 1000)) throw new HarvestError('tooManyPages', url);
    seen.add(url);
    const text = await fetchText(url, limits, 'application/ld+json, application/json;q=0.9');
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      throw new HarvestError('notJson', url);
    }
    const graph = await nodesOf(document, url, limits);
    const datasets = [...graph.values()].filter((n) => n['@type']?.includes(`${ns.dcat}Dataset`));
    let total: number | null = null;
    let next: string | undefined;
    for (const n of graph.values()) {
      const count = Number(first(n, `${ns.hydra}totalItems`));
      if (Number.isFinite(count) && count >= 0) total = count;
      next ??= refs(n, `${ns.hydra}next`)[0] ?? refs(n, `${ns.hydra}nextPage`)[0];
    }
    yield { records: datasets.map((n) => recordFromNode(graph, n, options.language)), total };
    url = next ? new URL(next, url).href : undefined;
  }
}
