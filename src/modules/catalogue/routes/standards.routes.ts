import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { contextOf, handleForm, noticeFrom, seeOther } from '../../../kernel/http/pages.js';
import type { CatalogueDeps } from '../actions/datasets.js';
import { getStandard, listStandards, prepareNewStandard, registerStandard, tableSchemaTypes } from '../actions/standards.js';
import { standardInput } from '../inputs/standard.input.js';
import { editableOrganizations } from '../policies/index.js';

const page = { schema: { hide: true } } as const;
const name = Type.String({ maxLength: 100 });
const version = Type.String({ maxLength: 40 });
const nameParams = Type.Object({ locale: Type.String(), name });
const versionParams = Type.Object({ locale: Type.String(), name, version });
type NameRoute = { Params: { name: string } };
type VersionRoute = { Params: { name: string; version: string } };
const tags = ['catalogue'];

function op(summary: string, parts: { body?: TSchema; params?: TSchema; querystring?: TSchema } = {}) {
  return { config: { api: true }, schema: { tags, summary, ...parts } };
}

/** The data standards registry: versioned Table Schemas that resources declare they follow. */
export function standardRoutes(app: FastifyInstance, deps: CatalogueDeps): void {
  // Pages
  app.get('/:locale/data-standards', page, async (request, reply) => {
    const standards = await listStandards(deps);
    // Editors of any organization may register standards for it (the form offers their organizations).
    const canRegister = request.actor.superadmin || editableOrganizations(request.actor).length > 0;
    return reply.page('catalogue/standards.njk', { standards, canRegister });
  });

  app.get<{ Querystring: { from?: string } }>(
    '/:locale/data-standards/new',
    { schema: { hide: true, querystring: Type.Object({ from: Type.Optional(Type.String({ format: 'uuid' })) }) } },
    async (request, reply) => {
      const prepared = await prepareNewStandard(deps, contextOf(request), request.query.from);
      return reply.page('catalogue/standard-form.njk', { ...prepared, types: tableSchemaTypes });
    },
  );

  app.post('/:locale/data-standards/new', page, async (request, reply) => {
    const { organizations } = await prepareNewStandard(deps, contextOf(request));
    return handleForm(request, reply, {
      template: 'catalogue/standard-form.njk',
      data: { organizations, types: tableSchemaTypes },
      run: () => registerStandard(deps, contextOf(request), request.body),
      done: (s) => seeOther(reply, request.locale, `/data-standards/${s.name}/versions/${encodeURIComponent(s.version)}?notice=registered`),
    });
  });

  app.get<NameRoute>('/:locale/data-standards/:name', { schema: { hide: true, params: nameParams } }, async (request, reply) =>
    reply.page('catalogue/standard.njk', { ...(await getStandard(deps, contextOf(request), request.params.name)) }),
  );

  app.get<VersionRoute>('/:locale/data-standards/:name/versions/:version', { schema: { hide: true, params: versionParams } }, async (request, reply) =>
    reply.page('catalogue/standard.njk', {
      ...(await getStandard(deps, contextOf(request), request.params.name, request.params.version)),
      notice: noticeFrom(request, { registered: 'catalogue.standards.notice.registered' }),
    }),
  );

  // JSON API
  app.get('/api/v1/data-standards', op('Data standards: the latest version of each, with how many versions it has'), async () => ({ items: await listStandards(deps) }));
  app.post(
    '/api/v1/data-standards',
    op('Register a version of a data standard (editors of the organization). `schema` is a Frictionless Table Schema, as an object or JSON text', { body: standardInput.schema }),
    async (request, reply) => reply.code(201).send(await registerStandard(deps, contextOf(request), request.body)),
  );
  app.get<NameRoute>('/api/v1/data-standards/:name', op('A standard’s latest version (or one version, by id), its versions and the datasets that use it', { params: Type.Object({ name }) }), async (request) =>
    getStandard(deps, contextOf(request), request.params.name),
  );
  app.get<VersionRoute>('/api/v1/data-standards/:name/versions/:version', op('One version of a standard', { params: Type.Object({ name, version }) }), async (request) =>
    getStandard(deps, contextOf(request), request.params.name, request.params.version),
  );
  app.get<VersionRoute>(
    '/api/v1/data-standards/:name/versions/:version/schema',
    op('The Table Schema of one version, alone (for Frictionless tools: `frictionless validate --schema <this address>`)', { params: Type.Object({ name, version }) }),
    async (request) => (await getStandard(deps, contextOf(request), request.params.name, request.params.version)).standard.schema,
  );
}
