import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/index.js';
import { sessionCookie } from './session-cookie.js';

/**
 * Collects every JSON API route's schema into an OpenAPI 3.1 document at `/api/openapi.json`.
 * Registered before the modules so it sees their routes; pages are left out.
 */
export async function registerOpenApi(app: FastifyInstance, config: Config) {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Trillium API',
        version: '1',
        description:
          'Trillium’s JSON API. Authenticate with an API token (`Authorization: Bearer trl_…`, created on your account’s API tokens page) or, from a browser, with your session. Errors are RFC 9457 problem documents (`application/problem+json`); see docs/reference/errors.md.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          token: { type: 'http', scheme: 'bearer', description: 'API token (trl_…), scoped and expiring.' },
          session: { type: 'apiKey', in: 'cookie', name: sessionCookie(config).name, description: 'Browser session (send JSON; other body types are refused).' },
        },
      },
      security: [{ token: [] }, { session: [] }],
    },
    transform: ({ schema, url, route }) => {
      const isApi = url.startsWith('/api/') && !url.startsWith('/api/docs') && url !== '/api/openapi.json';
      return { schema: isApi ? schema : ({ ...(schema ?? {}), hide: true } as typeof schema), url, route };
    },
  });
  app.get('/api/openapi.json', { config: { anonymousOnly: true, api: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'no-cache').send(app.swagger()),
  );
}
