import { anonymous } from '../../../kernel/auth/actor.js';
import { can } from '../../../kernel/auth/policy.js';
import { NotFound } from '../../../kernel/errors/index.js';
import type { CatalogueDeps } from '../actions/datasets.js';
import { findDataset, toDataset, type DatasetRow } from '../data/datasets.js';
import { allGroups, allLicences } from '../data/reference.js';
import { resourcesOf, toResource, type ResourceRow } from '../data/resources.js';
import { cataloguePermissions } from '../policies/index.js';
import type { Group, Licence } from '../types.js';
import { publishedPage, publishedSummary, resourcesOfMany } from './data.js';
import { dataPackage, type DataPackage } from './datapackage.js';
import { describeCatalog, describeDataset, type DatasetFacts, type Site } from './describe.js';
import { Graph } from './rdf.js';

/** Datasets per page of `/catalog.jsonld` and `/catalog.ttl`. */
export const catalogPageSize = 100;

/**
 * The open outputs (DCAT, Frictionless) describe what the public sees, whoever asks: published
 * datasets only, and resources only where anyone may have them. The same request therefore gives
 * the same document to everyone, and a harvester never sees a draft.
 */
export function siteOf(deps: CatalogueDeps): Site {
  const { config, messages } = deps.kernel;
  const name = { en: config.siteNameEn, fr: config.siteNameFr };
  return {
    base: config.publicUrl.replace(/\/+$/, ''),
    name,
    description: {
      en: messages.forLocale('en')('catalogue.dcat.catalogDescription', { site: name.en }),
      fr: messages.forLocale('fr')('catalogue.dcat.catalogDescription', { site: name.fr }),
    },
  };
}

function factsOf(row: DatasetRow, resources: ResourceRow[], licences: Licence[], groups: Group[]): DatasetFacts {
  const publicResources = can(anonymous, cataloguePermissions.viewResources, row) ? resources.map(toResource) : [];
  return {
    dataset: toDataset(row),
    resources: publicResources,
    licence: licences.find((l) => l.id === row.licenceId) ?? null,
    groups: groups.filter((g) => row.groups.includes(g.name)),
  };
}

/** A published dataset with what the public may see of it, or NotFound. */
async function publicDataset(deps: CatalogueDeps, idOrName: string): Promise<DatasetFacts> {
  const db = deps.kernel.database.db;
  const row = await findDataset(db, idOrName);
  if (!row || row.state !== 'published') throw new NotFound();
  const [resources, licences, groups] = await Promise.all([resourcesOf(db, row.id), allLicences(db), allGroups(db)]);
  return factsOf(row, resources, licences, groups);
}

/** One page of the catalogue as an RDF graph. Pages after the last one do not exist. */
export async function catalogGraph(deps: CatalogueDeps, page: number, documentUrl: string): Promise<Graph> {
  const db = deps.kernel.database.db;
  const summary = await publishedSummary(db);
  const lastPage = Math.max(1, Math.ceil(summary.total / catalogPageSize));
  if (page > lastPage) throw new NotFound();
  const [rows, licences, groups] = await Promise.all([publishedPage(db, catalogPageSize, (page - 1) * catalogPageSize), allLicences(db), allGroups(db)]);
  const resources = await resourcesOfMany(db, rows.map((r) => r.id));
  const graph = new Graph();
  describeCatalog(
    graph,
    siteOf(deps),
    rows.map((row) => factsOf(row, resources.get(row.id) ?? [], licences, groups)),
    { page, perPage: catalogPageSize, total: summary.total, documentUrl, modified: summary.modified },
  );
  return graph;
}

/** One published dataset as an RDF graph. */
export async function datasetGraph(deps: CatalogueDeps, idOrName: string): Promise<Graph> {
  const facts = await publicDataset(deps, idOrName);
  const graph = new Graph();
  describeDataset(graph, siteOf(deps), facts);
  return graph;
}

/** One published dataset as a Frictionless Data Package descriptor. */
export async function datasetPackage(deps: CatalogueDeps, idOrName: string): Promise<DataPackage> {
  return dataPackage(siteOf(deps), await publicDataset(deps, idOrName));
}

/** The name of a published dataset (content negotiation redirects to its documents), or NotFound. */
export async function publishedName(deps: CatalogueDeps, idOrName: string): Promise<string> {
  return (await publicDataset(deps, idOrName)).dataset.name;
}
