import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { sendFile } from '../../../kernel/files/index.js';
import { contextOf, noticeFrom, pagination } from '../../../kernel/http/pages.js';
import { pickText, type Locale } from '../../../kernel/i18n/index.js';
import { datasetHistory, getDataset, type CatalogueDeps } from '../actions/datasets.js';
import { listGroups, listLicences } from '../actions/groups.js';
import { downloadResource, getResource } from '../actions/resources.js';
import { searchCatalogue } from '../actions/search.js';
import { datastorePageData } from './datastore.routes.js';
import { recordDownload, recordView } from '../data/metrics.js';
import { searchQuerySchema } from '../inputs/search.input.js';
import type { FacetValue, Group, Licence, SearchFacets } from '../types.js';

const datasetParams = Type.Object({ locale: Type.String(), name: Type.String({ maxLength: 100 }) });
const resourceParams = Type.Object({ locale: Type.String(), name: Type.String({ maxLength: 100 }), resourceId: Type.String({ format: 'uuid' }) });
type DatasetRoute = { Params: { name: string } };
type ResourceRoute = { Params: { name: string; resourceId: string } };
export type SearchQueryString = Static<typeof searchQuerySchema>;
const perPage = 20;

const facetNames = ['organization', 'group', 'keyword', 'format', 'licence', 'access'] as const;
type FacetName = (typeof facetNames)[number];

/** Facets as the page shows them: labels in the page's language, checked when selected. */
function facetView(request: FastifyRequest, query: SearchQueryString, facets: SearchFacets, groups: Group[], licences: Licence[]) {
  const locale = request.locale as Locale;
  const label = (facet: FacetName, value: FacetValue): string => {
    switch (facet) {
      case 'organization':
        return pickText(value.label, locale).text || value.value;
      case 'group':
        return pickText(groups.find((g) => g.name === value.value)?.title, locale).text || value.value;
      case 'licence':
        return pickText(licences.find((l) => l.id === value.value)?.title, locale).text || value.value;
      case 'access':
        return request.t(`catalogue.access.${value.value}`);
      default:
        return value.value;
    }
  };
  return facetNames
    .map((facet) => {
      const selected = (query[facet] as string[] | undefined) ?? [];
      const values = [...facets[facet]];
      // A selected value always shows, even when it fell out of the top values.
      for (const value of selected) if (!values.some((v) => v.value === value)) values.push({ value, count: 0 });
      return {
        name: facet,
        legend: request.t(`catalogue.search.facets.${facet}`),
        items: values.map((v) => ({ value: v.value, text: `${label(facet, v)} (${v.count})`, checked: selected.includes(v.value) })),
        chosen: selected.map((value) => ({ value, text: label(facet, values.find((v) => v.value === value) ?? { value, count: 0 }), removeUrl: withoutFilter(request, facet, value) })),
      };
    })
    .filter((f) => f.items.length);
}

/** The current search address without one filter value. */
function withoutFilter(request: FastifyRequest, facet: string, value: string): string {
  const params = new URLSearchParams(request.url.split('?')[1] ?? '');
  const kept = params.getAll(facet).filter((v) => v !== value);
  params.delete(facet);
  params.delete('page');
  for (const v of kept) params.append(facet, v);
  return `?${params}`;
}

/** Pages anyone can read: search, datasets, resources, history, downloads. */
export function pageRoutes(app: FastifyInstance, deps: CatalogueDeps) {
  app.get<{ Querystring: SearchQueryString }>('/:locale/datasets', { schema: { hide: true, querystring: searchQuerySchema } }, async (request, reply) => {
    const { notice, ...query } = request.query;
    const pageNumber = query.page ?? 1;
    const [result, groups, licences] = await Promise.all([
      searchCatalogue(deps, contextOf(request), { ...query, limit: perPage, offset: (pageNumber - 1) * perPage }, request.locale),
      listGroups(deps),
      listLicences(deps),
    ]);
    const q = query.q ?? '';
    const sortItems = ['relevance', 'newest', 'name', 'popular', 'quality'].map((s) => ({ value: s, text: request.t(`catalogue.search.sorts.${s}`), selected: (query.sort ?? (q ? 'relevance' : 'newest')) === s }));
    return reply.page('catalogue/search.njk', {
      result,
      q,
      query,
      facets: facetView(request, query, result.facets, groups, licences),
      sortItems,
      canPublish: request.actor.superadmin || request.actor.memberships.some((m) => m.role === 'editor' || m.role === 'admin'),
      suggestionUrl: result.suggestion ? `?${new URLSearchParams({ q: result.suggestion })}` : null,
      pagination: pagination(query as Record<string, unknown>, pageNumber, result.total, perPage),
      notice: notice ? noticeFrom(request, { deleted: 'catalogue.dataset.notice.deleted' }) : undefined,
    });
  });

  app.get<DatasetRoute>('/:locale/datasets/:name', { schema: { hide: true, params: datasetParams } }, async (request, reply) => {
    const detail = await getDataset(deps, contextOf(request), request.params.name);
    await recordView(deps.kernel.database.db, detail.dataset.id);
    return reply.page('catalogue/dataset.njk', {
      ...detail,
      notice: noticeFrom(request, {
        created: 'catalogue.dataset.notice.created',
        saved: 'catalogue.dataset.notice.saved',
        published: 'catalogue.dataset.notice.published',
        unpublished: 'catalogue.dataset.notice.unpublished',
        resourceAdded: 'catalogue.resource.notice.added',
        resourceDeleted: 'catalogue.resource.notice.deleted',
      }),
    });
  });

  app.get<DatasetRoute>('/:locale/datasets/:name/history', { schema: { hide: true, params: datasetParams } }, async (request, reply) => {
    const result = await datasetHistory(deps, contextOf(request), request.params.name);
    return reply.page('catalogue/history.njk', result);
  });

  app.get<ResourceRoute>('/:locale/datasets/:name/resources/:resourceId', { schema: { hide: true, params: resourceParams } }, async (request, reply) => {
    const { detail, resource } = await getResource(deps, contextOf(request), request.params.name, request.params.resourceId);
    await recordView(deps.kernel.database.db, detail.dataset.id, detail.resource.id);
    // Datastore: load status and progress, a preview of the loaded rows, the validation report, API examples.
    const datastore = await datastorePageData(deps, request, detail, resource.loadJobId);
    return reply.page('catalogue/resource.njk', {
      ...detail,
      datastore,
      notice: noticeFrom(request, { saved: 'catalogue.resource.notice.saved', schemaSaved: 'catalogue.datastore.notice.schemaSaved', loadQueued: 'catalogue.datastore.notice.loadQueued' }),
    });
  });

  app.get<ResourceRoute>('/:locale/datasets/:name/resources/:resourceId/download', { schema: { hide: true, params: resourceParams } }, async (request, reply) => {
    const download = await downloadResource(deps, contextOf(request), request.params.name, request.params.resourceId);
    await recordDownload(deps.kernel.database.db, download.datasetId, request.params.resourceId);
    if (download.kind === 'link') return reply.redirect(download.url, 302);
    return sendFile(reply, deps.kernel.files, { key: download.fileKey, size: download.size, sha256: download.sha256 ?? '', contentType: download.contentType }, download.fileName);
  });

}
