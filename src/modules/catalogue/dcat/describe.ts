import type { Bilingual } from '../../../kernel/i18n/index.js';
import type { Dataset, Group, Licence, Resource } from '../types.js';
import { type Graph, iri, literal, ns, typed, type Term } from './rdf.js';
import { accessRightIris, fileTypeIri, frequencyIris, languageIris, mediaTypeIri, mediaTypeOf } from './vocabulary.js';

/** Where the catalogue lives, and what it says about itself. */
export interface Site {
  /** The public address, without a trailing slash. */
  base: string;
  name: Bilingual;
  description: Bilingual;
}

/** Everything said about one dataset. Resources are those the public may see. */
export interface DatasetFacts {
  dataset: Dataset;
  resources: Resource[];
  licence: Licence | null;
  groups: Group[];
}

/** The addresses of the catalogue's things: stable (by id), and each one answers a request. */
export const addresses = {
  catalog: (site: Site) => `${site.base}/`,
  dataset: (site: Site, d: Pick<Dataset, 'id'>) => `${site.base}/dataset/${d.id}`,
  distribution: (site: Site, d: Pick<Dataset, 'id'>, r: Pick<Resource, 'id'>) => `${site.base}/dataset/${d.id}/resource/${r.id}`,
  download: (site: Site, d: Pick<Dataset, 'id'>, r: Pick<Resource, 'id'>) => `${site.base}/dataset/${d.id}/resource/${r.id}/download`,
  page: (site: Site, locale: 'en' | 'fr', d: Pick<Dataset, 'name'>) => `${site.base}/${locale}/datasets/${encodeURIComponent(d.name)}`,
  organization: (site: Site, slug: string) => `${site.base}/en/organizations/${encodeURIComponent(slug)}`,
  group: (site: Site, name: string) => `${site.base}/en/groups/${encodeURIComponent(name)}`,
};

const dateTime = (value: Date) => typed(value.toISOString(), `${ns.xsd}dateTime`);
const date = (value: string) => typed(value, `${ns.xsd}date`);

/** A licence as DCAT-AP wants it: a dct:LicenseDocument, named in both languages. */
function describeLicence(graph: Graph, licence: Licence): Term | null {
  const url = licence.url.en ?? licence.url.fr;
  if (!url) return null;
  const node = iri(url);
  graph.type(node, `${ns.dct}LicenseDocument`).text(node, `${ns.dct}title`, licence.title);
  return node;
}

function describeDistribution(graph: Graph, site: Site, facts: DatasetFacts, resource: Resource, licence: Term | null): Term {
  const { dataset } = facts;
  const node = iri(addresses.distribution(site, dataset, resource));
  graph
    .type(node, `${ns.dcat}Distribution`)
    .text(node, `${ns.dct}title`, resource.name)
    .text(node, `${ns.dct}description`, resource.description)
    .add(node, `${ns.dcat}accessURL`, iri(addresses.distribution(site, dataset, resource)))
    .add(node, `${ns.dcat}downloadURL`, iri(addresses.download(site, dataset, resource)))
    .add(node, `${ns.dct}issued`, dateTime(resource.createdAt))
    .add(node, `${ns.dct}modified`, dateTime(resource.modifiedAt))
    .add(node, `${ns.dct}license`, licence);
  if (resource.format) {
    const fileType = fileTypeIri(resource.format);
    if (fileType) {
      graph.add(node, `${ns.dct}format`, iri(fileType)).type(iri(fileType), `${ns.dct}MediaTypeOrExtent`);
    } else {
      const format = graph.blank();
      graph.add(node, `${ns.dct}format`, format).type(format, `${ns.dct}MediaTypeOrExtent`).add(format, `${ns.rdfs}label`, literal(resource.format));
    }
  }
  const media = mediaTypeIri(resource.mediaType ?? mediaTypeOf(resource.format) ?? '');
  if (media) graph.add(node, `${ns.dcat}mediaType`, iri(media)).type(iri(media), `${ns.dct}MediaType`);
  if (resource.size !== null) graph.add(node, `${ns.dcat}byteSize`, typed(String(resource.size), `${ns.xsd}nonNegativeInteger`));
  if (resource.sha256) {
    const checksum = graph.blank();
    const sha256 = iri(`${ns.spdx}checksumAlgorithm_sha256`);
    graph
      .add(node, `${ns.spdx}checksum`, checksum)
      .type(checksum, `${ns.spdx}Checksum`)
      .add(checksum, `${ns.spdx}algorithm`, sha256)
      .add(checksum, `${ns.spdx}checksumValue`, typed(resource.sha256.toLowerCase(), `${ns.xsd}hexBinary`))
      .type(sha256, `${ns.spdx}ChecksumAlgorithm`);
  }
  return node;
}

/** Adds one dataset, its publisher, contact, coverage and distributions; returns its node. */
export function describeDataset(graph: Graph, site: Site, facts: DatasetFacts): Term {
  const { dataset } = facts;
  const node = iri(addresses.dataset(site, dataset));
  graph
    .type(node, `${ns.dcat}Dataset`)
    .add(node, `${ns.dct}identifier`, literal(dataset.id))
    .text(node, `${ns.dct}title`, dataset.title)
    .text(node, `${ns.dct}description`, dataset.description)
    .add(node, `${ns.dct}issued`, dateTime(dataset.publishedAt ?? dataset.createdAt))
    .add(node, `${ns.dct}modified`, dateTime(dataset.modifiedAt))
    .add(node, `${ns.dct}accessRights`, iri(accessRightIris[dataset.accessLevel]))
    .type(iri(accessRightIris[dataset.accessLevel]), `${ns.dct}RightsStatement`);
  for (const lang of ['en', 'fr'] as const) {
    for (const keyword of dataset.keywords[lang] ?? []) graph.add(node, `${ns.dcat}keyword`, literal(keyword, lang));
    const page = iri(addresses.page(site, lang, dataset));
    graph.add(node, `${ns.dcat}landingPage`, page).type(page, `${ns.foaf}Document`);
  }

  const publisher = iri(addresses.organization(site, dataset.organization.slug));
  graph.add(node, `${ns.dct}publisher`, publisher).type(publisher, `${ns.foaf}Agent`).text(publisher, `${ns.foaf}name`, dataset.organization.name);
  if (!dataset.organization.name.en && !dataset.organization.name.fr) graph.add(publisher, `${ns.foaf}name`, literal(dataset.organization.slug));

  const licence = facts.licence ? describeLicence(graph, facts.licence) : null;
  graph.add(node, `${ns.dct}license`, licence);

  if (dataset.updateFrequency) {
    const frequency = iri(frequencyIris[dataset.updateFrequency]);
    graph.add(node, `${ns.dct}accrualPeriodicity`, frequency).type(frequency, `${ns.dct}Frequency`);
  }
  if (dataset.temporalStart || dataset.temporalEnd) {
    const period = graph.blank();
    graph.add(node, `${ns.dct}temporal`, period).type(period, `${ns.dct}PeriodOfTime`);
    if (dataset.temporalStart) graph.add(period, `${ns.dcat}startDate`, date(dataset.temporalStart));
    if (dataset.temporalEnd) graph.add(period, `${ns.dcat}endDate`, date(dataset.temporalEnd));
  }
  if (dataset.spatial.en?.trim() || dataset.spatial.fr?.trim()) {
    const place = graph.blank();
    graph.add(node, `${ns.dct}spatial`, place).type(place, `${ns.dct}Location`).text(place, `${ns.skos}prefLabel`, dataset.spatial);
  }
  if (dataset.contact.name || dataset.contact.email) {
    const contact = graph.blank();
    graph.add(node, `${ns.dcat}contactPoint`, contact).type(contact, `${ns.vcard}Kind`);
    graph.add(contact, `${ns.vcard}fn`, literal(dataset.contact.name || dataset.organization.name.en || dataset.organization.slug));
    if (dataset.contact.email) graph.add(contact, `${ns.vcard}hasEmail`, iri(`mailto:${dataset.contact.email}`));
  }
  for (const group of facts.groups) {
    const theme = iri(addresses.group(site, group.name));
    graph.add(node, `${ns.dcat}theme`, theme).type(theme, `${ns.skos}Concept`).text(theme, `${ns.skos}prefLabel`, group.title);
    if (!group.title.en && !group.title.fr) graph.add(theme, `${ns.skos}prefLabel`, literal(group.name));
  }
  if (dataset.sourceIdentifier) {
    // Where a harvested dataset came from: its identifier at the source.
    const identifier = graph.blank();
    graph.add(node, `${ns.adms}identifier`, identifier).type(identifier, `${ns.adms}Identifier`).add(identifier, `${ns.skos}notation`, literal(dataset.sourceIdentifier));
  }
  for (const resource of facts.resources) graph.add(node, `${ns.dcat}distribution`, describeDistribution(graph, site, facts, resource, licence));
  return node;
}

/** Paging links in the Hydra vocabulary, both the current terms and those ckanext-dcat reads. */
export interface CatalogPage {
  page: number;
  perPage: number;
  total: number;
  /** The address of this document without its `page` parameter (…/catalog.ttl). */
  documentUrl: string;
  modified: Date | null;
}

/** The catalogue itself, with the datasets of one page. */
export function describeCatalog(graph: Graph, site: Site, datasets: DatasetFacts[], paging: CatalogPage): Term {
  const node = iri(addresses.catalog(site));
  const publisher = graph.blank();
  const homepage = iri(`${site.base}/en/datasets`);
  graph
    .type(node, `${ns.dcat}Catalog`)
    .text(node, `${ns.dct}title`, site.name)
    .text(node, `${ns.dct}description`, site.description)
    .add(node, `${ns.dct}publisher`, publisher)
    .type(publisher, `${ns.foaf}Agent`)
    .text(publisher, `${ns.foaf}name`, site.name)
    .add(node, `${ns.foaf}homepage`, homepage)
    .type(homepage, `${ns.foaf}Document`);
  for (const language of Object.values(languageIris)) graph.add(node, `${ns.dct}language`, iri(language)).type(iri(language), `${ns.dct}LinguisticSystem`);
  if (paging.modified) graph.add(node, `${ns.dct}modified`, dateTime(paging.modified));
  for (const facts of datasets) graph.add(node, `${ns.dcat}dataset`, describeDataset(graph, site, facts));

  const lastPage = Math.max(1, Math.ceil(paging.total / paging.perPage));
  const pageUrl = (n: number) => iri(`${paging.documentUrl}?page=${n}`);
  const view = pageUrl(paging.page);
  const integer = (n: number) => typed(String(n), `${ns.xsd}integer`);
  graph
    .type(view, `${ns.hydra}PartialCollectionView`, `${ns.hydra}PagedCollection`)
    .add(view, `${ns.hydra}totalItems`, integer(paging.total))
    .add(view, `${ns.hydra}itemsPerPage`, integer(paging.perPage))
    .add(view, `${ns.hydra}first`, pageUrl(1))
    .add(view, `${ns.hydra}firstPage`, pageUrl(1))
    .add(view, `${ns.hydra}last`, pageUrl(lastPage))
    .add(view, `${ns.hydra}lastPage`, pageUrl(lastPage));
  if (paging.page < lastPage) graph.add(view, `${ns.hydra}next`, pageUrl(paging.page + 1)).add(view, `${ns.hydra}nextPage`, pageUrl(paging.page + 1));
  if (paging.page > 1) graph.add(view, `${ns.hydra}previous`, pageUrl(paging.page - 1)).add(view, `${ns.hydra}previousPage`, pageUrl(paging.page - 1));
  graph.add(node, `${ns.hydra}view`, view);
  return node;
}
