import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { sendFile } from '../../../kernel/files/index.js';
import { contextOf } from '../../../kernel/http/pages.js';
import type { CatalogueDeps } from '../actions/datasets.js';
import { downloadResource } from '../actions/resources.js';
import { recordDownload } from '../data/metrics.js';
import { catalogGraph, datasetGraph, datasetPackage, siteOf } from '../dcat/catalog.js';
import { toJsonLd, toTurtle, type Graph } from '../dcat/rdf.js';

const tags = ['dcat'];
const name = Type.Object({ name: Type.String({ maxLength: 100 }) });
const resourcePath = Type.Object({ name: Type.String({ maxLength: 100 }), resourceId: Type.String({ format: 'uuid' }) });
const paging = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })) });
type NameRoute = { Params: { name: string } };
type ResourceRoute = { Params: { name: string; resourceId: string } };
type PageRoute = { Querystring: { page?: number } };

/** Open documents: the same for everyone, so shared caches may keep them for a minute. */
const openDocument = 'public, max-age=60';

function sendJsonLd(reply: FastifyReply, graph: Graph) {
  return reply.header('cache-control', openDocument).type('application/ld+json; charset=utf-8').send(toJsonLd(graph));
}

function sendTurtle(reply: FastifyReply, graph: Graph) {
  return reply.header('cache-control', openDocument).type('text/turtle; charset=utf-8').send(toTurtle(graph));
}

const representations = ['text/html', 'application/ld+json', 'text/turtle'] as const;
type Representation = (typeof representations)[number];

/** The representation an `Accept` header prefers (q-values respected); pages when unsure. */
export function preferredRepresentation(accept: string | undefined): Representation {
  if (!accept) return 'text/html';
  const ranked = accept
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((r) => r.q > 0 && !Number.isNaN(r.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranked) {
    if ((representations as readonly string[]).includes(r.type)) return r.type as Representation;
    if (r.type === 'application/json' || r.type === 'application/xhtml+xml' || r.type === '*/*' || r.type === 'text/*') return 'text/html';
  }
  return 'text/html';
}

/**
 * DCAT-AP 3 (JSON-LD and Turtle) and Frictionless outputs, at the addresses CKAN's ckanext-dcat
 * uses, so existing harvesters find them. `/dataset/{name}` negotiates: RDF clients are sent to
 * the documents, browsers to the dataset page in their language.
 */
export function dcatRoutes(app: FastifyInstance, deps: CatalogueDeps): void {
  const documentUrl = (file: string) => `${siteOf(deps).base}/${file}`;
  const op = (summary: string, parts: Record<string, unknown> = {}) => ({ config: { api: true }, schema: { tags, summary, ...parts } });

  app.get<PageRoute>('/catalog.jsonld', op('The catalogue as DCAT-AP 3 JSON-LD, 100 datasets a page (Hydra paging links)', { querystring: paging }), async (request, reply) =>
    sendJsonLd(reply, await catalogGraph(deps, request.query.page ?? 1, documentUrl('catalog.jsonld'))),
  );
  app.get<PageRoute>('/catalog.ttl', op('The catalogue as DCAT-AP 3 Turtle, 100 datasets a page (Hydra paging links)', { querystring: paging }), async (request, reply) =>
    sendTurtle(reply, await catalogGraph(deps, request.query.page ?? 1, documentUrl('catalog.ttl'))),
  );
  app.get<NameRoute>('/dataset/:name.jsonld', op('A published dataset as DCAT-AP 3 JSON-LD', { params: name }), async (request, reply) =>
    sendJsonLd(reply, await datasetGraph(deps, request.params.name)),
  );
  app.get<NameRoute>('/dataset/:name.ttl', op('A published dataset as DCAT-AP 3 Turtle', { params: name }), async (request, reply) =>
    sendTurtle(reply, await datasetGraph(deps, request.params.name)),
  );
  app.get<NameRoute>('/dataset/:name/datapackage.json', op('A published dataset as a Frictionless Data Package descriptor', { params: name }), async (request, reply) =>
    reply.header('cache-control', openDocument).send(await datasetPackage(deps, request.params.name)),
  );

  // The addresses the RDF documents use for datasets and distributions: they answer people too.
  app.get<NameRoute>('/dataset/:name', { schema: { hide: true, params: name } }, async (request, reply) => {
    const target = encodeURIComponent(request.params.name);
    const wanted = preferredRepresentation(request.headers.accept);
    reply.header('vary', 'Accept, Accept-Language');
    if (wanted === 'application/ld+json') return reply.redirect(`/dataset/${target}.jsonld`, 303);
    if (wanted === 'text/turtle') return reply.redirect(`/dataset/${target}.ttl`, 303);
    return reply.redirect(`/${request.locale}/datasets/${target}`, 303);
  });
  app.get<ResourceRoute>('/dataset/:name/resource/:resourceId', { schema: { hide: true, params: resourcePath } }, async (request, reply) => {
    reply.header('vary', 'Accept-Language');
    return reply.redirect(`/${request.locale}/datasets/${encodeURIComponent(request.params.name)}/resources/${request.params.resourceId}`, 303);
  });
  app.get<ResourceRoute>('/dataset/:name/resource/:resourceId/download', { schema: { hide: true, params: resourcePath } }, async (request: FastifyRequest<ResourceRoute>, reply) => {
    const download = await downloadResource(deps, contextOf(request), request.params.name, request.params.resourceId);
    await recordDownload(deps.kernel.database.db, download.datasetId, request.params.resourceId);
    if (download.kind === 'link') return reply.redirect(download.url, 302);
    return sendFile(reply, deps.kernel.files, { key: download.fileKey, size: download.size, sha256: download.sha256 ?? '', contentType: download.contentType }, download.fileName);
  });
}
