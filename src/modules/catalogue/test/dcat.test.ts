import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Quad } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { system } from '../../../kernel/auth/actor.js';
import { makeOrganization } from '../../identity/test/factories.js';
import { createGroup } from '../actions/groups.js';
import { addResource } from '../actions/resources.js';
import type { Dataset, Resource } from '../types.js';
import { jsonLdToQuads, parseTurtle, validateDcat } from './dcat-shacl.js';
import { catalogueDeps, makeDataset } from './factories.js';

/**
 * DCAT-AP 3 and Frictionless outputs: the documents satisfy the official DCAT-AP 3.0.1 SHACL
 * shapes (both syntaxes), say what the dataset says, show the public only what it may see, and
 * page through a large catalogue.
 */
const base = 'https://data.example.ca';
const ctx = { actor: system, requestId: 'test' };
const dcat = 'http://www.w3.org/ns/dcat#';
const dct = 'http://purl.org/dc/terms/';
const foaf = 'http://xmlns.com/foaf/0.1/';
const hydra = 'http://www.w3.org/ns/hydra/core#';
const rdfType = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

let t: TestApp;
let full: Dataset;
let restricted: Dataset;
let draft: Dataset;
let upload: Resource;
let link: Resource;

/** The objects of one subject and predicate, as `value@lang` or plain values. */
function objects(quads: Quad[], subject: string, predicate: string): string[] {
  return quads
    .filter((q) => q.subject.value === subject && q.predicate.value === predicate)
    .map((q) => (q.object.termType === 'Literal' && q.object.language ? `${q.object.value}@${q.object.language}` : q.object.value))
    .sort();
}

/** Triples as N-Triples lines with blank nodes renamed, to compare two serialisations. */
function canonical(quads: Quad[]): string[] {
  const term = (t: Quad['object']) =>
    t.termType === 'BlankNode' ? '_:b' : t.termType === 'Literal' ? `"${t.value}"@${t.language}^^${t.datatype.value}` : `<${t.value}>`;
  return quads.map((q) => `${term(q.subject)} <${q.predicate.value}> ${term(q.object)}`).sort();
}

beforeAll(async () => {
  t = await createTestApp({ config: { publicUrl: `${base}/` } });
  const deps = catalogueDeps(t.app);
  const org = await makeOrganization(t.app, 'ministry-of-transportation');
  await createGroup(deps, ctx, { name: 'transport', titleEn: 'Transport', titleFr: 'Transport' });
  full = await makeDataset(t.app, org.id, {
    name: 'road-collisions',
    link: false,
    keywordsEn: 'roads, safety',
    keywordsFr: 'routes, sécurité',
    contactName: 'Road Safety Office',
    contactEmail: 'roads@example.ca',
    updateFrequency: 'monthly',
    temporalStart: '2020-01-01',
    temporalEnd: '2023-12-31',
    spatialEn: 'Ontario',
    spatialFr: 'Ontario',
    groups: ['transport'],
  });
  link = await addResource(deps, ctx, full.id, { kind: 'link', nameEn: 'Collisions (CSV)', nameFr: 'Collisions (CSV)', url: 'https://files.example.ca/collisions.csv', format: 'CSV' });
  const bytes = Buffer.from('year,collisions\n2020,10\n2021,12\n');
  const stored = await t.app.kernel.files.save(Readable.from([bytes]), { field: 'file', declaredType: 'text/csv', allowedTypes: ['text/csv'], maxBytes: 1_000_000 });
  upload = await addResource(deps, ctx, full.id, { kind: 'upload', nameFr: 'Collisions par année' }, { ...stored, fileName: 'by-year.csv' });
  await t.database.db.execute(
    sql`update catalogue.resources set table_schema = ${JSON.stringify({ fields: [{ name: 'year', type: 'integer' }, { name: 'collisions', type: 'integer' }], primaryKey: 'year' })}::jsonb where id = ${upload.id}`,
  );
  restricted = await makeDataset(t.app, org.id, { name: 'inspections', accessLevel: 'restricted', exemptionReasonEn: 'Personal information', exemptionReasonFr: 'Renseignements personnels' });
  draft = await makeDataset(t.app, org.id, { name: 'draft-only', publish: false });
});
afterAll(async () => t?.close());

describe('a dataset as DCAT-AP 3', () => {
  it('is valid Turtle that satisfies the DCAT-AP 3.0.1 shapes', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/dataset/${full.name}.ttl` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/turtle/);
    const result = await validateDcat(parseTurtle(response.body));
    expect(result.problems).toEqual([]);
    expect(result.conforms).toBe(true);
  });

  it('would fail the shapes if it lost what they require (the check is real)', async () => {
    const quads = parseTurtle((await t.app.inject({ method: 'GET', url: `/dataset/${full.name}.ttl` })).body);
    const broken = quads.filter((q) => q.predicate.value !== `${dct}description` && !(q.predicate.value === rdfType && q.object.value === `${foaf}Agent`));
    const result = await validateDcat(broken);
    expect(result.conforms).toBe(false);
    expect(result.problems.some((p) => p.includes(`${dct}description`))).toBe(true);
    expect(result.problems.some((p) => p.includes(`${dct}publisher`))).toBe(true);
  });

  it('is JSON-LD that says exactly the same, and satisfies the shapes too', async () => {
    const ttl = parseTurtle((await t.app.inject({ method: 'GET', url: `/dataset/${full.name}.ttl` })).body);
    const response = await t.app.inject({ method: 'GET', url: `/dataset/${full.name}.jsonld` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/ld\+json/);
    const quads = await jsonLdToQuads(response.json());
    expect(canonical(quads)).toEqual(canonical(ttl));
    const result = await validateDcat(quads);
    expect(result.problems).toEqual([]);
  });

  it('carries the bilingual metadata, publisher, coverage, contact and access rights', async () => {
    const quads = parseTurtle((await t.app.inject({ method: 'GET', url: `/dataset/${full.name}.ttl` })).body);
    const ds = `${base}/dataset/${full.id}`;
    expect(objects(quads, ds, rdfType)).toEqual([`${dcat}Dataset`]);
    expect(objects(quads, ds, `${dct}identifier`)).toEqual([full.id]);
    expect(objects(quads, ds, `${dct}title`)).toEqual([`Collisions routières road-collisions@fr`, `Road collisions road-collisions@en`]);
    expect(objects(quads, ds, `${dcat}keyword`)).toEqual(['roads@en', 'routes@fr', 'safety@en', 'sécurité@fr']);
    expect(objects(quads, ds, `${dct}accrualPeriodicity`)).toEqual(['http://publications.europa.eu/resource/authority/frequency/MONTHLY']);
    expect(objects(quads, ds, `${dct}accessRights`)).toEqual(['http://publications.europa.eu/resource/authority/access-right/PUBLIC']);
    expect(objects(quads, ds, `${dct}license`)).toEqual(['https://www.ontario.ca/page/open-government-licence-ontario']);
    const issued = quads.find((q) => q.subject.value === ds && q.predicate.value === `${dct}issued`)!.object;
    expect(issued.termType === 'Literal' && issued.datatype.value).toBe('http://www.w3.org/2001/XMLSchema#dateTime');

    const [publisher] = objects(quads, ds, `${dct}publisher`);
    expect(publisher).toBe(`${base}/en/organizations/ministry-of-transportation`);
    expect(objects(quads, publisher!, rdfType)).toEqual([`${foaf}Agent`]);
    expect(objects(quads, publisher!, `${foaf}name`)).toHaveLength(2);

    const [period] = objects(quads, ds, `${dct}temporal`);
    expect(objects(quads, period!, `${dcat}startDate`)).toEqual(['2020-01-01']);
    expect(objects(quads, period!, `${dcat}endDate`)).toEqual(['2023-12-31']);
    const [place] = objects(quads, ds, `${dct}spatial`);
    expect(objects(quads, place!, 'http://www.w3.org/2004/02/skos/core#prefLabel')).toEqual(['Ontario@en', 'Ontario@fr']);
    const [contact] = objects(quads, ds, `${dcat}contactPoint`);
    expect(objects(quads, contact!, rdfType)).toEqual(['http://www.w3.org/2006/vcard/ns#Kind']);
    expect(objects(quads, contact!, 'http://www.w3.org/2006/vcard/ns#hasEmail')).toEqual(['mailto:roads@example.ca']);
    expect(objects(quads, ds, `${dcat}theme`)).toEqual([`${base}/en/groups/transport`]);
  });

  it('lists one distribution per public resource, with absolute addresses, format, size and checksum', async () => {
    const quads = parseTurtle((await t.app.inject({ method: 'GET', url: `/dataset/${full.name}.ttl` })).body);
    const ds = `${base}/dataset/${full.id}`;
    expect(objects(quads, ds, `${dcat}distribution`)).toEqual([`${base}/dataset/${full.id}/resource/${link.id}`, `${base}/dataset/${full.id}/resource/${upload.id}`].sort());
    const file = `${base}/dataset/${full.id}/resource/${upload.id}`;
    expect(objects(quads, file, `${dcat}accessURL`)).toEqual([file]);
    expect(objects(quads, file, `${dcat}downloadURL`)).toEqual([`${file}/download`]);
    expect(objects(quads, file, `${dct}format`)).toEqual(['http://publications.europa.eu/resource/authority/file-type/CSV']);
    expect(objects(quads, file, `${dcat}mediaType`)).toEqual(['https://www.iana.org/assignments/media-types/text/csv']);
    expect(objects(quads, file, `${dcat}byteSize`)).toEqual([String(upload.size)]);
    expect(objects(quads, file, `${dct}title`)).toEqual(['Collisions par année@fr']);
    const [checksum] = objects(quads, file, 'http://spdx.org/rdf/terms#checksum');
    expect(objects(quads, checksum!, 'http://spdx.org/rdf/terms#checksumValue')).toEqual([upload.sha256]);
  });

  it('describes restricted datasets without their files, as not public', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/dataset/${restricted.name}.ttl` });
    const quads = parseTurtle(response.body);
    const ds = `${base}/dataset/${restricted.id}`;
    expect(objects(quads, ds, `${dct}accessRights`)).toEqual(['http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC']);
    expect(objects(quads, ds, `${dcat}distribution`)).toEqual([]);
    expect((await validateDcat(quads)).problems).toEqual([]);
  });

  it('does not exist for drafts or unknown names, and answers by id as well as by name', async () => {
    for (const url of [`/dataset/${draft.name}.ttl`, `/dataset/${draft.name}.jsonld`, `/dataset/${draft.name}/datapackage.json`, '/dataset/nothing-here.jsonld']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
    expect((await t.app.inject({ method: 'GET', url: `/dataset/${full.id}.jsonld` })).statusCode).toBe(200);
  });
});

describe('content negotiation', () => {
  it('sends RDF clients to the documents and browsers to the page in their language', async () => {
    const go = async (accept: string, language = 'en') =>
      (await t.app.inject({ method: 'GET', url: `/dataset/${full.name}`, headers: { accept, 'accept-language': language } })).headers.location;
    expect(await go('text/turtle')).toBe(`/dataset/${full.name}.ttl`);
    expect(await go('application/ld+json, text/turtle;q=0.5')).toBe(`/dataset/${full.name}.jsonld`);
    expect(await go('text/html;q=0.2, text/turtle;q=0.9')).toBe(`/dataset/${full.name}.ttl`);
    expect(await go('text/html,application/xhtml+xml,*/*;q=0.8', 'fr-CA,fr;q=0.9')).toBe(`/fr/datasets/${full.name}`);
    expect(await go('*/*')).toBe(`/en/datasets/${full.name}`);
  });

  it('makes distribution addresses work: the resource page and the download', async () => {
    const page = await t.app.inject({ method: 'GET', url: `/dataset/${full.id}/resource/${link.id}`, headers: { 'accept-language': 'fr' } });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe(`/fr/datasets/${full.id}/resources/${link.id}`);
    const linked = await t.app.inject({ method: 'GET', url: `/dataset/${full.id}/resource/${link.id}/download` });
    expect(linked.statusCode).toBe(302);
    expect(linked.headers.location).toBe('https://files.example.ca/collisions.csv');
    const file = await t.app.inject({ method: 'GET', url: `/dataset/${full.id}/resource/${upload.id}/download` });
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('year,collisions\n2020,10\n2021,12\n');
    const hidden = await t.app.inject({ method: 'GET', url: `/dataset/${restricted.id}/resource/${link.id}/download` });
    expect(hidden.statusCode).toBe(404);
  });
});

describe('the catalogue as DCAT-AP 3', () => {
  it('lists published datasets only, and satisfies the shapes in both syntaxes', async () => {
    const ttl = await t.app.inject({ method: 'GET', url: '/catalog.ttl' });
    expect(ttl.statusCode).toBe(200);
    const quads = parseTurtle(ttl.body);
    const catalog = `${base}/`;
    expect(objects(quads, catalog, rdfType)).toEqual([`${dcat}Catalog`]);
    const listed = objects(quads, catalog, `${dcat}dataset`);
    expect(listed).toContain(`${base}/dataset/${full.id}`);
    expect(listed).toContain(`${base}/dataset/${restricted.id}`);
    expect(listed).not.toContain(`${base}/dataset/${draft.id}`);
    expect(objects(quads, catalog, `${dct}title`)).toEqual(['Trillium@en', 'Trillium@fr']);
    expect((await validateDcat(quads)).problems).toEqual([]);

    const json = await t.app.inject({ method: 'GET', url: '/catalog.jsonld' });
    const fromJson = await jsonLdToQuads(json.json());
    expect((await validateDcat(fromJson)).problems).toEqual([]);
    expect(objects(fromJson, catalog, `${dcat}dataset`)).toEqual(listed);
  });

  it('pages a large catalogue with Hydra links, 100 datasets a page', async () => {
    const org = await makeOrganization(t.app, 'bulk-publisher');
    // 150 published datasets, written straight to the table: only paging is under test here.
    await t.database.db.execute(sql`
      insert into catalogue.datasets (name, title, description, organization_id, organization, licence_id, state, published_at, created_at)
      select 'bulk-' || n, jsonb_build_object('en', 'Bulk ' || n, 'fr', 'Lot ' || n), jsonb_build_object('en', 'Generated.', 'fr', 'Généré.'),
             ${org.id}::uuid, jsonb_build_object('slug', 'bulk-publisher', 'name', jsonb_build_object('en', 'Bulk', 'fr', 'Lot')), 'cc-by-4.0', 'published', now(),
             now() + make_interval(secs => n)
      from generate_series(1, 150) n`);
    const total = 150 + 2; // and the two published in beforeAll
    const first = parseTurtle((await t.app.inject({ method: 'GET', url: '/catalog.ttl' })).body);
    const view = `${base}/catalog.ttl?page=1`;
    expect(objects(first, `${base}/`, `${hydra}view`)).toEqual([view]);
    expect(objects(first, view, `${hydra}totalItems`)).toEqual([String(total)]);
    expect(objects(first, view, `${hydra}next`)).toEqual([`${base}/catalog.ttl?page=2`]);
    expect(objects(first, view, `${hydra}last`)).toEqual([`${base}/catalog.ttl?page=2`]);
    expect(objects(first, `${base}/`, `${dcat}dataset`)).toHaveLength(100);

    const second = await jsonLdToQuads((await t.app.inject({ method: 'GET', url: '/catalog.jsonld?page=2' })).json());
    const view2 = `${base}/catalog.jsonld?page=2`;
    expect(objects(second, view2, `${hydra}next`)).toEqual([]);
    expect(objects(second, view2, `${hydra}previous`)).toEqual([`${base}/catalog.jsonld?page=1`]);
    const onSecond = objects(second, `${base}/`, `${dcat}dataset`);
    expect(onSecond).toHaveLength(total - 100);
    expect(new Set([...objects(first, `${base}/`, `${dcat}dataset`), ...onSecond]).size).toBe(total);
    expect((await validateDcat(second)).problems).toEqual([]);

    expect((await t.app.inject({ method: 'GET', url: '/catalog.ttl?page=3' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/catalog.ttl?page=0' })).statusCode).toBe(422);
  });
});

describe('Frictionless datapackage.json', () => {
  it('describes the dataset and its public resources with absolute paths, hashes and table schemas', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/dataset/${full.name}/datapackage.json` });
    expect(response.statusCode).toBe(200);
    const pkg = response.json();
    expect(pkg).toMatchObject({
      profile: 'data-package',
      name: 'road-collisions',
      title: 'Road collisions road-collisions',
      description: 'Collisions on provincial highways, by month.',
      homepage: `${base}/en/datasets/road-collisions`,
      keywords: ['roads', 'safety'],
      licenses: [{ name: 'ogl-ontario-1.0', path: 'https://www.ontario.ca/page/open-government-licence-ontario', title: 'Open Government Licence – Ontario' }],
    });
    expect(pkg.resources).toEqual([
      {
        name: 'collisions-csv',
        title: 'Collisions (CSV)',
        path: `${base}/dataset/${full.id}/resource/${link.id}/download`,
        format: 'csv',
        mediatype: 'text/csv',
        profile: 'data-resource',
      },
      {
        // Only a French name: the descriptor falls back to it.
        name: 'collisions-par-annee',
        title: 'Collisions par année',
        path: `${base}/dataset/${full.id}/resource/${upload.id}/download`,
        format: 'csv',
        mediatype: 'text/csv',
        bytes: upload.size,
        hash: `sha256:${upload.sha256}`,
        profile: 'tabular-data-resource',
        schema: { fields: [{ name: 'year', type: 'integer' }, { name: 'collisions', type: 'integer' }], primaryKey: 'year' },
      },
    ]);
  });

  it('leaves out the files of restricted datasets', async () => {
    const pkg = (await t.app.inject({ method: 'GET', url: `/dataset/${restricted.name}/datapackage.json` })).json();
    expect(pkg.name).toBe('inspections');
    expect(pkg.resources).toEqual([]);
  });
});
