import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { sameSecret } from '../auth/secrets.js';
import type { Kernel } from '../module.js';
import { NotAllowed } from '../errors/index.js';

/**
 * Operators' endpoints: `/healthz` (the process answers), `/readyz` (the database answers; 503
 * otherwise, so load balancers stop sending traffic) and `/metrics` (Prometheus text format).
 */
export function installHealth(app: FastifyInstance, kernel: Kernel) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'trillium_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'trillium_jobs',
    help: 'Background jobs by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      try {
        for (const [status, n] of Object.entries(await kernel.jobs.counts())) this.set({ status }, n);
      } catch {
        // database down: /readyz says so; keep /metrics answering
      }
    },
  });
  const up = new Gauge({ name: 'trillium_database_up', help: '1 when the database answers', registers: [registry] });

  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const operational = { config: { anonymousOnly: true, api: true }, schema: { hide: true } } as const;

  app.get('/healthz', operational, async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/readyz', operational, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await kernel.database.ping(2000);
      return reply.send({ status: 'ok', database: kernel.database.kind });
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed: database unreachable');
      return reply.code(503).send({ status: 'unavailable', database: kernel.database.kind });
    }
  });

  app.get('/metrics', operational, async (request, reply) => {
    const token = kernel.config.metricsToken;
    if (token && !sameSecret(request.headers.authorization ?? '', `Bearer ${token}`)) throw new NotAllowed();
    try {
      await kernel.database.ping(1000);
      up.set(1);
    } catch {
      up.set(0);
    }
    return reply.header('cache-control', 'no-store').type(registry.contentType).send(await registry.metrics());
  });
}
