import type { Bilingual } from '../../../kernel/i18n/index.js';
import { addresses, type DatasetFacts, type Site } from './describe.js';
import { mediaTypeOf } from './vocabulary.js';

/**
 * A dataset as a Frictionless Data Package (https://specs.frictionlessdata.io/data-package/).
 * The descriptor has one text per field, so it is in English, falling back to French where the
 * English text is missing; `path` is the absolute download address of each public resource.
 */
export interface DataPackage {
  profile: 'data-package' | 'tabular-data-package';
  id: string;
  name: string;
  title: string;
  description: string;
  homepage: string;
  created: string;
  keywords: string[];
  licenses: Array<{ name: string; path: string; title: string }>;
  contributors: Array<{ title: string; role: 'publisher'; path: string }>;
  resources: Array<Record<string, unknown>>;
}

const english = (value: Bilingual | null | undefined): string => value?.en?.trim() || value?.fr?.trim() || '';

/** Resource names must be unique, lower-case letters, digits, `-`, `_` and `.`. */
function resourceName(text: string, position: number, taken: Set<string>): string {
  const base =
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-._]+|[-._]+$/g, '')
      .slice(0, 80) || `resource-${position + 1}`;
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

export function dataPackage(site: Site, facts: DatasetFacts): DataPackage {
  const { dataset, licence } = facts;
  const taken = new Set<string>();
  const resources = facts.resources.map((r, i) => {
    const format = r.format.toLowerCase();
    const mediatype = r.mediaType ?? mediaTypeOf(r.format);
    return {
      name: resourceName(english(r.name), i, taken),
      ...(english(r.name) ? { title: english(r.name) } : {}),
      ...(english(r.description) ? { description: english(r.description) } : {}),
      path: addresses.download(site, dataset, r),
      ...(format ? { format } : {}),
      ...(mediatype ? { mediatype } : {}),
      ...(r.size !== null ? { bytes: r.size } : {}),
      // Frictionless hashes are MD5 unless prefixed with the algorithm.
      ...(r.sha256 ? { hash: `sha256:${r.sha256.toLowerCase()}` } : {}),
      ...(r.tableSchema ? { profile: 'tabular-data-resource', schema: r.tableSchema } : { profile: 'data-resource' }),
    };
  });
  const keywords = dataset.keywords.en.length ? dataset.keywords.en : dataset.keywords.fr;
  return {
    profile: resources.length && resources.every((r) => r.profile === 'tabular-data-resource') ? 'tabular-data-package' : 'data-package',
    id: addresses.dataset(site, dataset),
    name: dataset.name,
    title: english(dataset.title),
    description: english(dataset.description),
    homepage: addresses.page(site, 'en', dataset),
    created: (dataset.publishedAt ?? dataset.createdAt).toISOString(),
    keywords,
    licenses: licence ? [{ name: licence.id, path: licence.url.en ?? licence.url.fr ?? '', title: english(licence.title) }] : [],
    contributors: [{ title: english(dataset.organization.name) || dataset.organization.slug, role: 'publisher', path: addresses.organization(site, dataset.organization.slug) }],
    resources,
  };
}
