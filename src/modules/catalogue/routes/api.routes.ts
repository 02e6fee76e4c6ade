import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { contextOf, nextPageLink } from '../../../kernel/http/pages.js';
import { readMultipartForm } from '../../../kernel/http/multipart.js';
import {
  createDataset,
  datasetHistory,
  deleteDataset,
  editDataset,
  getDataset,
  publishDataset,
  unpublishDataset,
  type CatalogueDeps,
} from '../actions/datasets.js';
import { createGroup, editGroup, listGroups, listLicences } from '../actions/groups.js';
import { addResource, editResource, getResource, removeResource, uploadTypes } from '../actions/resources.js';
import { searchCatalogue } from '../actions/search.js';
import { datasetInput } from '../inputs/dataset.input.js';
import { groupInput } from '../inputs/group.input.js';
import { searchQuerySchema } from '../inputs/search.input.js';
import type { SearchQueryString } from './pages.routes.js';

const api = { config: { api: true } } as const;
const tags = ['catalogue'];
const name = Type.Object({ name: Type.String({ maxLength: 100 }) });
const resourcePath = Type.Object({ name: Type.String({ maxLength: 100 }), resourceId: Type.String({ format: 'uuid' }) });

function op(summary: string, parts: { body?: TSchema; params?: TSchema; querystring?: TSchema } = {}) {
  return { ...api, schema: { tags, summary, ...parts } };
}

type NameRoute = { Params: { name: string } };
type ResourceRoute = { Params: { name: string; resourceId: string } };

/** Trillium's own catalogue API (CKAN clients use the CKAN Action API instead). */
export function apiRoutes(app: FastifyInstance, deps: CatalogueDeps) {
  app.get<{ Querystring: SearchQueryString & { limit?: number; offset?: number } }>(
    '/api/v1/datasets',
    op('Search datasets: full text in both languages, facets, sorting and paging', {
      querystring: Type.Object({ ...searchQuerySchema.properties, limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })), offset: Type.Optional(Type.Integer({ minimum: 0 })) }),
    }),
    async (request) => {
      const limit = request.query.limit ?? 20;
      const offset = request.query.offset ?? 0;
      const result = await searchCatalogue(deps, contextOf(request), { ...request.query, limit, offset }, request.locale);
      return { total: result.total, limit, offset, items: result.datasets, facets: result.facets, suggestion: result.suggestion, fuzzy: result.fuzzy, next: nextPageLink(request, offset, limit, result.total) };
    },
  );
  app.post('/api/v1/datasets', op('Create a draft dataset (organization editors)', { body: datasetInput.schema }), async (request, reply) =>
    reply.code(201).send(await createDataset(deps, contextOf(request), request.body)),
  );
  app.get<NameRoute>('/api/v1/datasets/:name', op('A dataset with its resources (when visible to you), licence and groups', { params: name }), async (request) =>
    getDataset(deps, contextOf(request), request.params.name),
  );
  app.put<NameRoute>('/api/v1/datasets/:name', op('Replace a dataset’s metadata (send `version` to refuse overwriting a newer change)', { params: name, body: datasetInput.schema }), async (request) =>
    editDataset(deps, contextOf(request), request.params.name, request.body),
  );
  app.delete<NameRoute>('/api/v1/datasets/:name', op('Delete a dataset', { params: name }), async (request, reply) => {
    await deleteDataset(deps, contextOf(request), request.params.name);
    return reply.code(204).send();
  });
  app.post<NameRoute>('/api/v1/datasets/:name/publication', op('Publish a draft (needs titles and descriptions in both languages)', { params: name }), async (request) =>
    publishDataset(deps, contextOf(request), request.params.name),
  );
  app.delete<NameRoute>('/api/v1/datasets/:name/publication', op('Take a dataset back to draft', { params: name }), async (request) =>
    unpublishDataset(deps, contextOf(request), request.params.name),
  );
  app.get<NameRoute>('/api/v1/datasets/:name/history', op('Every version of the metadata, with what changed', { params: name }), async (request) =>
    datasetHistory(deps, contextOf(request), request.params.name),
  );

  const uploadOptions = { fileField: 'file', store: deps.kernel.files, maxBytes: deps.kernel.config.uploadMaxBytes, allowedTypes: uploadTypes };
  app.post<NameRoute>(
    '/api/v1/datasets/:name/resources',
    { config: { api: true, multipartForm: true }, schema: { tags, summary: 'Add a resource: JSON for a link, or multipart/form-data with a `file` part for an upload', params: name } },
    async (request, reply) => {
      if (request.isMultipart()) {
        const form = await readMultipartForm(request, reply, uploadOptions);
        return reply.code(201).send(await addResource(deps, contextOf(request), request.params.name, form.fields, form.file));
      }
      return reply.code(201).send(await addResource(deps, contextOf(request), request.params.name, request.body));
    },
  );
  app.get<ResourceRoute>('/api/v1/datasets/:name/resources/:resourceId', op('A resource', { params: resourcePath }), async (request) =>
    (await getResource(deps, contextOf(request), request.params.name, request.params.resourceId)).detail.resource,
  );
  app.put<ResourceRoute>(
    '/api/v1/datasets/:name/resources/:resourceId',
    { config: { api: true, multipartForm: true }, schema: { tags, summary: 'Replace a resource’s description (JSON), or its file too (multipart)', params: resourcePath } },
    async (request, reply) => {
      if (request.isMultipart()) {
        const form = await readMultipartForm(request, reply, uploadOptions);
        return editResource(deps, contextOf(request), request.params.name, request.params.resourceId, form.fields, form.file);
      }
      return editResource(deps, contextOf(request), request.params.name, request.params.resourceId, request.body);
    },
  );
  app.delete<ResourceRoute>('/api/v1/datasets/:name/resources/:resourceId', op('Delete a resource', { params: resourcePath }), async (request, reply) => {
    await removeResource(deps, contextOf(request), request.params.name, request.params.resourceId);
    return reply.code(204).send();
  });

  app.get('/api/v1/licences', op('The licences datasets can use'), async () => ({ items: await listLicences(deps) }));
  app.get('/api/v1/groups', op('The groups (themes) datasets are filed under'), async () => ({ items: await listGroups(deps) }));
  app.post('/api/v1/groups', op('Create a group (superadmin)', { body: groupInput.schema }), async (request, reply) => reply.code(201).send(await createGroup(deps, contextOf(request), request.body)));
  app.put<NameRoute>('/api/v1/groups/:name', op('Change a group (superadmin)', { params: name }), async (request) => editGroup(deps, contextOf(request), request.params.name, request.body));

}

