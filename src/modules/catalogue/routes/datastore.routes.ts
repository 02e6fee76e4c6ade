import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contextOf, handleForm, seeOther } from '../../../kernel/http/pages.js';
import type { JobView } from '../../../kernel/jobs/index.js';
import type { CatalogueDeps } from '../actions/datasets.js';
import { loadAgain, loadJob, saveSchema, schemaForEdit } from '../actions/datastore.js';
import { exportResourceData, liveData, queryResourceData } from '../actions/datastore-query.js';
import { getResource, type ResourceDetail } from '../actions/resources.js';
import type { DataPage } from '../datastore/query.js';
import type { ExportFormat } from '../datastore/export.js';
import { fieldTypes } from '../datastore/types.js';

const resourceParams = Type.Object({
  locale: Type.String(),
  name: Type.String({ maxLength: 100 }),
  resourceId: Type.String({ format: 'uuid' }),
});
const resourcePath = Type.Object({
  name: Type.String({ maxLength: 100 }),
  resourceId: Type.String({ format: 'uuid' }),
});
type ResourceRoute = { Params: { name: string; resourceId: string } };
type DataRoute = ResourceRoute & { Querystring: Record<string, string | string[] | undefined> };
const tags = ['catalogue'];
const text = Type.Optional(Type.String());
/** The query parameters of the data API; any other parameter named after a column is an equality filter. */
const dataQuery = Type.Object(
  {
    filters: Type.Optional(Type.String({ description: 'JSON object: field → value or list of values' })),
    q: Type.Optional(
      Type.String({ description: 'Full-text search over the row (or a JSON object: field → text)' }),
    ),
    fields: Type.Optional(Type.String({ description: 'Comma-separated fields to return' })),
    sort: Type.Optional(Type.String({ description: '"field desc, other" (ties are broken by _id)' })),
    limit: text,
    offset: text,
    after: Type.Optional(
      Type.String({ description: 'Cursor from a previous page (`nextCursor`): keyset paging' }),
    ),
    include_total: text,
    format: Type.Optional(
      Type.String({ description: '`csv` or `json`: download the whole query instead of one page' }),
    ),
  },
  { additionalProperties: true },
);

/** The query string as the parser wants it (a repeated parameter is a list of values). */
function params(query: Record<string, string | string[] | undefined>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
}

/** The address of the next page (keyset), keeping the other parameters. */
function nextUrl(request: FastifyRequest, page: DataPage): string | null {
  if (!page.nextCursor) return null;
  const search = new URLSearchParams(request.url.split('?')[1] ?? '');
  search.delete('offset');
  search.set('after', page.nextCursor);
  return `${request.url.split('?')[0]}?${search}`;
}

async function sendExport(
  request: FastifyRequest<DataRoute>,
  reply: FastifyReply,
  deps: CatalogueDeps,
  format: ExportFormat,
) {
  const result = await exportResourceData(
    deps,
    contextOf(request),
    request.params.name,
    request.params.resourceId,
    params(request.query),
    format,
  );
  return reply
    .type(result.contentType)
    .header('content-disposition', `attachment; filename="${result.fileName}"`)
    .header('x-content-type-options', 'nosniff')
    .send(Readable.from(result.chunks));
}

/** What the resource page shows about the datastore: status, progress, preview, report, API examples. */
export async function datastorePageData(
  deps: CatalogueDeps,
  request: FastifyRequest,
  detail: ResourceDetail,
  loadJobId: string | null,
) {
  const resource = detail.resource;
  const perPage = 20;
  const pageNumber = Math.max(
    1,
    Math.min(
      10_000,
      Number.parseInt(String((request.query as Record<string, unknown>)['page'] ?? '1'), 10) || 1,
    ),
  );
  let preview:
    (DataPage & { pages: number; pageNumber: number; previous: string | null; next: string | null }) | null =
    null;
  if (resource.datastoreTable) {
    try {
      const page = await queryResourceData(deps, contextOf(request), detail.dataset.id, resource.id, {
        limit: perPage,
        offset: (pageNumber - 1) * perPage,
      });
      const pages = Math.max(1, Math.ceil((page.total ?? 0) / perPage));
      const link = (n: number) => `?page=${n}#preview`;
      preview = {
        ...page,
        pages,
        pageNumber,
        previous: pageNumber > 1 ? link(pageNumber - 1) : null,
        next: pageNumber < pages ? link(pageNumber + 1) : null,
      };
    } catch {
      // The table went away (deleted resource, reload in flight): the page shows no preview.
      preview = null;
    }
  }
  let job: JobView | null = null;
  if (detail.permissions.edit && loadJobId) {
    const found = await loadJob(deps, loadJobId);
    // The progress message is stored as a code (`rows:123`, `phase:indexing`) and shown translated.
    if (found) {
      const [kind, value] = (found.progressMessage ?? '').split(':');
      const message =
        kind === 'rows'
          ? request.t('catalogue.datastore.progress.rows', { count: Number(value) })
          : kind === 'phase'
            ? request.t('catalogue.datastore.progress.indexing')
            : null;
      job = { ...found, progressMessage: message };
    }
  }
  const base = `${deps.kernel.config.publicUrl}/api/v1/datasets/${detail.dataset.name}/resources/${resource.id}`;
  const ckan = `${deps.kernel.config.publicUrl}/api/3/action`;
  const examples = resource.datastoreTable
    ? [
        `curl '${base}/data?limit=5'`,
        `curl '${base}/data.csv' -o data.csv`,
        `curl '${ckan}/datastore_search?resource_id=${resource.id}&limit=5'`,
        `curl -G '${ckan}/datastore_search_sql' --data-urlencode 'sql=SELECT * FROM "${resource.id}" LIMIT 5'`,
      ]
    : [];
  return { preview, job, examples, report: resource.validation };
}

/** The datastore's pages (schema, load again) and JSON API (query, export, schema, load). */
export function datastoreRoutes(app: FastifyInstance, deps: CatalogueDeps): void {
  const page = { schema: { hide: true, params: resourceParams } } as const;
  const resourceUrl = (name: string, id: string) => `/datasets/${name}/resources/${id}`;

  app.get<ResourceRoute>(
    '/:locale/datasets/:name/resources/:resourceId/schema',
    page,
    async (request, reply) => {
      const form = await schemaForEdit(
        deps,
        contextOf(request),
        request.params.name,
        request.params.resourceId,
      );
      const values = Object.fromEntries([
        ...form.schema.fields.map((f, i) => [`type-${i}`, f.type]),
        ['primaryKey', [form.schema.primaryKey ?? []].flat()[0] ?? ''],
      ]);
      return reply.page('catalogue/datastore-schema.njk', { ...form, values });
    },
  );

  app.post<ResourceRoute>(
    '/:locale/datasets/:name/resources/:resourceId/schema',
    page,
    async (request, reply) => {
      const form = await schemaForEdit(
        deps,
        contextOf(request),
        request.params.name,
        request.params.resourceId,
      );
      return handleForm(request, reply, {
        template: 'catalogue/datastore-schema.njk',
        data: form as unknown as Record<string, unknown>,
        run: () =>
          saveSchema(deps, contextOf(request), request.params.name, request.params.resourceId, request.body),
        done: () =>
          seeOther(
            reply,
            request.locale,
            `${resourceUrl(form.detail.dataset.name, form.detail.resource.id)}?notice=schemaSaved`,
          ),
      });
    },
  );

  app.post<ResourceRoute>(
    '/:locale/datasets/:name/resources/:resourceId/load',
    page,
    async (request, reply) => {
      await loadAgain(deps, contextOf(request), request.params.name, request.params.resourceId);
      const { detail } = await getResource(
        deps,
        contextOf(request),
        request.params.name,
        request.params.resourceId,
      );
      return seeOther(
        reply,
        request.locale,
        `${resourceUrl(detail.dataset.name, detail.resource.id)}?notice=loadQueued`,
      );
    },
  );

  const api = (summary: string, extra: Record<string, unknown> = {}) => ({
    config: { api: true },
    schema: { tags, summary, params: resourcePath, ...extra },
  });

  app.get<DataRoute>(
    '/api/v1/datasets/:name/resources/:resourceId/data',
    api(
      'Query a resource’s data: filters (JSON or field=value), full text `q`, `fields`, `sort`, `limit`/`offset` or keyset paging with `after`, totals (estimated on large tables); `format=csv|json` downloads the whole query',
      { querystring: dataQuery },
    ),
    async (request, reply) => {
      const format = request.query['format'];
      if (format === 'csv' || format === 'json') return sendExport(request, reply, deps, format);
      const page = await queryResourceData(
        deps,
        contextOf(request),
        request.params.name,
        request.params.resourceId,
        params(request.query),
        { fieldFilters: true },
      );
      const limit = page.records.length;
      return {
        fields: page.fields.map((f) => ({ id: f.name, type: f.type === 'id' ? 'integer' : f.type })),
        items: page.records,
        total: page.total,
        totalEstimated: page.totalEstimated,
        limit: Number(request.query['limit'] ?? 100),
        offset: request.query['after'] ? null : Number(request.query['offset'] ?? 0),
        count: limit,
        nextCursor: page.nextCursor,
        next: nextUrl(request, page),
      };
    },
  );
  app.get<DataRoute>(
    '/api/v1/datasets/:name/resources/:resourceId/data.csv',
    api('The whole query as CSV, streamed (same parameters as /data)', { querystring: dataQuery }),
    async (request, reply) => sendExport(request, reply, deps, 'csv'),
  );
  app.get<DataRoute>(
    '/api/v1/datasets/:name/resources/:resourceId/data.json',
    api('The whole query as JSON { fields, records }, streamed (same parameters as /data)', {
      querystring: dataQuery,
    }),
    async (request, reply) => sendExport(request, reply, deps, 'json'),
  );
  app.get<ResourceRoute>(
    '/api/v1/datasets/:name/resources/:resourceId/schema',
    api('The resource’s Table Schema, load status and validation report'),
    async (request) => {
      const { resource } = await getResource(
        deps,
        contextOf(request),
        request.params.name,
        request.params.resourceId,
      );
      const live = resource.datastoreTable
        ? await liveData(deps, contextOf(request), request.params.name, request.params.resourceId).catch(
            () => null,
          )
        : null;
      return {
        schema: resource.tableSchema,
        liveFields: live?.columns.map((c) => ({ name: c.name, type: c.type })) ?? null,
        loadStatus: resource.loadStatus,
        loadJobId: resource.loadJobId,
        loadedAt: resource.loadedAt,
        rows: resource.datastoreRows,
        validation: resource.validation,
      };
    },
  );
  app.put<ResourceRoute>(
    '/api/v1/datasets/:name/resources/:resourceId/schema',
    api(
      `Correct the Table Schema (field types: ${fieldTypes.join(', ')}; primaryKey; missingValues) and load the file again`,
      {
        body: Type.Object({
          fields: Type.Array(
            Type.Object({ name: Type.String(), type: Type.String() }, { additionalProperties: true }),
          ),
          primaryKey: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
          missingValues: Type.Optional(Type.Array(Type.String())),
        }),
      },
    ),
    async (request, reply) =>
      reply
        .code(202)
        .send(
          await saveSchema(
            deps,
            contextOf(request),
            request.params.name,
            request.params.resourceId,
            request.body,
          ),
        ),
  );
  app.post<ResourceRoute>(
    '/api/v1/datasets/:name/resources/:resourceId/load',
    api('Load the resource’s file into the datastore again (returns the job to follow)'),
    async (request, reply) =>
      reply
        .code(202)
        .send(await loadAgain(deps, contextOf(request), request.params.name, request.params.resourceId)),
  );
}
