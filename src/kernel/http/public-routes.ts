import type { FastifyInstance } from 'fastify';
import { negotiateLocale } from '../i18n/index.js';

const httpMethods = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface OpenApiOperation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Array<{ name: string; in: string; required?: boolean; description?: string; schema?: unknown }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string }>;
}

/** Pages every installation has: the front door, the home page, the statements and the API reference. */
export function registerPublicRoutes(app: FastifyInstance, assetPath: (name: string) => string) {
  app.get('/', { config: { anonymousOnly: true }, schema: { hide: true } }, async (request, reply) =>
    reply.header('vary', 'Accept-Language').redirect(`/${negotiateLocale(request.headers['accept-language'])}/`, 302),
  );
  app.get('/favicon.ico', { config: { anonymousOnly: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.redirect(assetPath('favicon.svg'), 301),
  );
  app.get('/api/docs', { config: { anonymousOnly: true, api: true }, schema: { hide: true } }, async (request, reply) =>
    reply.redirect(`/${negotiateLocale(request.headers['accept-language'])}/developers`, 302),
  );

  app.get('/:locale', { schema: { hide: true } }, async (request, reply) => reply.page('pages/home.njk'));
  app.get('/:locale/accessibility', { schema: { hide: true } }, async (_request, reply) => reply.page('pages/accessibility.njk'));
  app.get('/:locale/privacy', { schema: { hide: true } }, async (_request, reply) => reply.page('pages/privacy.njk'));
  app.get('/:locale/developers', { schema: { hide: true } }, async (_request, reply) => {
    const document = app.swagger() as { paths?: Record<string, Record<string, OpenApiOperation>> };
    const groups = new Map<string, Array<{ method: string; path: string; operation: OpenApiOperation; body: string | null }>>();
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const method of httpMethods) {
        const operation = item[method];
        if (!operation) continue;
        const tag = operation.tags?.[0] ?? 'other';
        const body = operation.requestBody?.content?.['application/json']?.schema;
        const list = groups.get(tag) ?? [];
        list.push({ method: method.toUpperCase(), path, operation, body: body ? JSON.stringify(body, null, 2) : null });
        groups.set(tag, list);
      }
    }
    return reply.page('pages/developers.njk', { groups: [...groups.entries()].map(([tag, operations]) => ({ tag, operations })) });
  });
}
