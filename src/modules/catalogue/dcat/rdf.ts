/**
 * A very small RDF graph and its two serialisations (Turtle and JSON-LD). The catalogue describes
 * its datasets once, as triples, and writes the same triples in both syntaxes, so the two outputs
 * can never say different things.
 */

export type Term =
  | { kind: 'iri'; value: string }
  | { kind: 'blank'; value: string }
  | { kind: 'literal'; value: string; language?: string; datatype?: string };

export interface Triple {
  subject: Term;
  predicate: string;
  object: Term;
}

export const ns = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  adms: 'http://www.w3.org/ns/adms#',
  spdx: 'http://spdx.org/rdf/terms#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
} as const;

export const rdfType = `${ns.rdf}type`;

/**
 * IRIs come partly from people (resource links), so characters that Turtle forbids inside `<…>`
 * are percent-encoded; JSON-LD gets the same string, so both outputs name the same resource.
 */
export function safeIri(value: string): string {
  return value.replace(/[\u0000-\u0020<>"{}|^`\\\u007f]/g, (c) => encodeURIComponent(c));
}

export const iri = (value: string): Term => ({ kind: 'iri', value: safeIri(value) });
export const literal = (value: string, language?: string): Term => ({ kind: 'literal', value, ...(language ? { language } : {}) });
export const typed = (value: string, datatype: string): Term => ({ kind: 'literal', value, datatype });

/** Triples added in order, each once. */
export class Graph {
  readonly triples: Triple[] = [];
  private readonly seen = new Set<string>();
  private blanks = 0;

  /** A fresh blank node. */
  blank(): Term {
    return { kind: 'blank', value: `b${this.blanks++}` };
  }

  add(subject: Term, predicate: string, object: Term | null | undefined): this {
    if (!object) return this;
    const key = `${termKey(subject)} ${predicate} ${termKey(object)}`;
    if (this.seen.has(key)) return this;
    this.seen.add(key);
    this.triples.push({ subject, predicate, object });
    return this;
  }

  type(subject: Term, ...classes: string[]): this {
    for (const c of classes) this.add(subject, rdfType, iri(c));
    return this;
  }

  /** One literal per language that has text (`"…"@en`, `"…"@fr`). */
  text(subject: Term, predicate: string, value: { en?: string | undefined; fr?: string | undefined } | null | undefined): this {
    for (const lang of ['en', 'fr'] as const) {
      const text = value?.[lang]?.trim();
      if (text) this.add(subject, predicate, literal(text, lang));
    }
    return this;
  }
}

function termKey(t: Term): string {
  if (t.kind === 'literal') return `"${t.value}"@${t.language ?? ''}^^${t.datatype ?? ''}`;
  return t.kind === 'iri' ? `<${t.value}>` : `_:${t.value}`;
}

type Prefixes = Record<string, string>;

function compact(value: string, prefixes: Prefixes): string | null {
  for (const [prefix, base] of Object.entries(prefixes)) {
    if (value.startsWith(base)) {
      const local = value.slice(base.length);
      // Only plain local names: anything else is written in full.
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(local)) return `${prefix}:${local}`;
    }
  }
  return null;
}

function turtleString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${escaped}"`;
}

function turtleTerm(t: Term, prefixes: Prefixes): string {
  if (t.kind === 'blank') return `_:${t.value}`;
  if (t.kind === 'iri') return compact(t.value, prefixes) ?? `<${t.value}>`;
  if (t.language) return `${turtleString(t.value)}@${t.language}`;
  if (t.datatype) return `${turtleString(t.value)}^^${compact(t.datatype, prefixes) ?? `<${t.datatype}>`}`;
  return turtleString(t.value);
}

/** Groups triples by subject, keeping the order subjects first appeared in. */
function bySubject(graph: Graph): Map<string, { subject: Term; triples: Triple[] }> {
  const out = new Map<string, { subject: Term; triples: Triple[] }>();
  for (const t of graph.triples) {
    const key = termKey(t.subject);
    const entry = out.get(key) ?? { subject: t.subject, triples: [] };
    entry.triples.push(t);
    out.set(key, entry);
  }
  return out;
}

/** The graph as Turtle, with the prefixes declared once at the top. */
export function toTurtle(graph: Graph, prefixes: Prefixes = ns): string {
  const lines = Object.entries(prefixes).map(([p, base]) => `@prefix ${p}: <${base}> .`);
  lines.push('');
  for (const { subject, triples } of bySubject(graph).values()) {
    const predicates = new Map<string, Term[]>();
    for (const t of triples) predicates.set(t.predicate, [...(predicates.get(t.predicate) ?? []), t.object]);
    const parts = [...predicates].map(([p, objects]) => {
      const name = p === rdfType ? 'a' : (compact(p, prefixes) ?? `<${p}>`);
      return `    ${name} ${objects.map((o) => turtleTerm(o, prefixes)).join(',\n        ')}`;
    });
    lines.push(`${turtleTerm(subject, prefixes)}\n${parts.join(' ;\n')} .`, '');
  }
  return lines.join('\n');
}

type JsonLdValue = { '@id': string } | { '@value': string; '@language'?: string; '@type'?: string };

function jsonLdId(t: Term): string {
  return t.kind === 'blank' ? `_:${t.value}` : t.value;
}

/**
 * The graph as JSON-LD: an inline context (prefixes only, so no remote document is needed to read
 * it) and a flat `@graph` of nodes, one per subject, every value written explicitly.
 */
export function toJsonLd(graph: Graph, prefixes: Prefixes = ns): Record<string, unknown> {
  const nodes: Array<Record<string, unknown>> = [];
  for (const { subject, triples } of bySubject(graph).values()) {
    const node: Record<string, unknown> = { '@id': jsonLdId(subject) };
    for (const t of triples) {
      if (t.predicate === rdfType && t.object.kind === 'iri') {
        node['@type'] = [...((node['@type'] as string[] | undefined) ?? []), compact(t.object.value, prefixes) ?? t.object.value];
        continue;
      }
      const key = compact(t.predicate, prefixes) ?? t.predicate;
      const o = t.object;
      const value: JsonLdValue =
        o.kind === 'literal'
          ? { '@value': o.value, ...(o.language ? { '@language': o.language } : {}), ...(o.datatype ? { '@type': compact(o.datatype, prefixes) ?? o.datatype } : {}) }
          : { '@id': jsonLdId(o) };
      node[key] = [...((node[key] as JsonLdValue[] | undefined) ?? []), value];
    }
    nodes.push(node);
  }
  return { '@context': { ...prefixes }, '@graph': nodes };
}
