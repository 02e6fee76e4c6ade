import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import datasetFactory from '@rdfjs/dataset';
import jsonld from 'jsonld';
import { Parser, type Quad } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';

/**
 * Checks RDF against the DCAT-AP 3.0.1 SHACL shapes from test/data (real, unmodified files).
 * Turtle is parsed with n3; JSON-LD is turned into RDF by jsonld with a document loader that never
 * goes to the network.
 */
export const sharedCatalogueData = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../test/data/catalogue');
const shapesFile = path.join(sharedCatalogueData, 'dcat-ap-3.0.1/dcat-ap-SHACL.ttl');

let validator: SHACLValidator | undefined;

function shapes(): SHACLValidator {
  validator ??= new SHACLValidator(datasetFactory.dataset(new Parser().parse(fs.readFileSync(shapesFile, 'utf8'))));
  return validator;
}

export function parseTurtle(text: string, baseIRI?: string): Quad[] {
  return new Parser({ format: 'text/turtle', ...(baseIRI ? { baseIRI } : {}) }).parse(text);
}

/** JSON-LD to quads, offline: remote contexts are refused (our documents carry theirs inline). */
export async function jsonLdToQuads(document: object): Promise<Quad[]> {
  const nquads = (await jsonld.toRDF(document, {
    format: 'application/n-quads',
    documentLoader: async (url: string) => {
      throw new Error(`No network in tests: refused to load ${url}`);
    },
  })) as unknown as string;
  return new Parser({ format: 'application/n-quads' }).parse(nquads);
}

export interface Conformance {
  conforms: boolean;
  /** One line per problem: focus node, path and message. */
  problems: string[];
}

export async function validateDcat(quads: Quad[]): Promise<Conformance> {
  const report = await shapes().validate(datasetFactory.dataset(quads));
  return {
    conforms: report.conforms,
    problems: report.results.map((r) => `${r.focusNode?.value} ${r.path?.value ?? ''}: ${r.message.map((m) => m.value).join('; ')} [${r.sourceConstraintComponent?.value}]`),
  };
}
