import type { FastifyInstance } from 'fastify';

/** GET routes under `/:locale`: the pages (JSON APIs live under /api, assets under /assets). */
export function pageRoutes(app: FastifyInstance): string[] {
  return app.routeList
    .filter((r) => r.method === 'GET' && !r.api && (r.url === '/:locale' || r.url.startsWith('/:locale/')))
    .map((r) => r.url);
}
