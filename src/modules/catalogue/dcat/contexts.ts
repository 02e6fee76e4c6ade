import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const directory = path.join(path.dirname(fileURLToPath(import.meta.url)), 'contexts');

/**
 * JSON-LD contexts kept on disk (see contexts/README.md), by every address they are published at.
 * DCAT-AP 3.0.0 and 3.0.1 define the same terms for what the harvester reads, so both use the
 * 3.0.1 file.
 */
const files: Record<string, string> = {
  'https://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld': 'dcat-ap-3.0.1.context.jsonld',
  'https://semiceu.github.io/DCAT-AP/releases/3.0.0/context/dcat-ap.jsonld': 'dcat-ap-3.0.1.context.jsonld',
  'https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld': 'dcat-ap-3.0.1.context.jsonld',
  'https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/context/dcat-ap.jsonld': 'dcat-ap-3.0.1.context.jsonld',
  'https://raw.githubusercontent.com/SEMICeu/DCAT-AP/master/releases/3.0.1/context/dcat-ap.jsonld': 'dcat-ap-3.0.1.context.jsonld',
  'https://semiceu.github.io/DCAT-AP/releases/3.0.1/html/examples/context.jsonld': 'dcat-ap-3-examples.context.jsonld',
  'https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld': 'dcat-ap-3-examples.context.jsonld',
  'https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.1/html/examples/context.jsonld': 'dcat-ap-3-examples.context.jsonld',
};

const cache = new Map<string, unknown>();

/** A context kept on disk for this address (http or https), or undefined. */
export function localContext(url: string): unknown {
  const file = files[url.replace(/^http:/, 'https:')];
  if (!file) return undefined;
  if (!cache.has(file)) cache.set(file, JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8')) as unknown);
  return cache.get(file);
}
