import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { contextOf, handleForm, noticeFrom, seeOther } from '../../../kernel/http/pages.js';
import type { CatalogueDeps } from '../actions/datasets.js';
import {
  createHarvestSource,
  editHarvestSource,
  getHarvestSource,
  listHarvestSources,
  prepareHarvestSourceForm,
  startHarvest,
} from '../actions/harvest.js';
import { harvestSourceEditInput, harvestSourceInput } from '../harvest/source.input.js';
import { harvestKinds, harvestOutcomes, type HarvestOutcome, type HarvestSource } from '../harvest/types.js';

const page = { schema: { hide: true } } as const;
const sourceParams = Type.Object({ locale: Type.String(), name: Type.String({ maxLength: 100 }) });
const reportQuery = Type.Object({ outcome: Type.Optional(Type.Enum([...harvestOutcomes])), notice: Type.Optional(Type.String({ maxLength: 20 })) });
type SourceRoute = { Params: { name: string } };
type SourcePageRoute = SourceRoute & { Querystring: { outcome?: HarvestOutcome } };

/** Report rows a page shows at most (the API gives the whole report). */
const itemsPerPage = 500;

function formValues(source: HarvestSource) {
  return { name: source.name, titleEn: source.title.en, titleFr: source.title.fr, kind: source.kind, url: source.url, organizationId: source.organizationId };
}

function api(summary: string, parts: { body?: TSchema; params?: TSchema } = {}) {
  return { config: { api: true }, schema: { tags: ['catalogue'], summary, ...parts } };
}

/** Harvest sources: pages for superadmins, and the same through the JSON API. */
export function harvestRoutes(app: FastifyInstance, deps: CatalogueDeps): void {
  const formData = async (request: FastifyRequest, extra: Record<string, unknown> = {}) => ({
    organizations: await prepareHarvestSourceForm(deps, contextOf(request)),
    kinds: harvestKinds,
    ...extra,
  });

  app.get('/:locale/harvest', page, async (request, reply) => {
    const sources = await listHarvestSources(deps, contextOf(request));
    return reply.page('catalogue/harvest-sources.njk', { sources });
  });

  app.get('/:locale/harvest/new', page, async (request, reply) =>
    reply.page('catalogue/harvest-source-form.njk', await formData(request, { values: { kind: 'ckan' }, creating: true })),
  );

  app.post('/:locale/harvest/new', page, async (request, reply) =>
    handleForm(request, reply, {
      template: 'catalogue/harvest-source-form.njk',
      data: await formData(request, { creating: true }),
      run: () => createHarvestSource(deps, contextOf(request), request.body),
      done: (source) => seeOther(reply, request.locale, `/harvest/${source.name}?notice=created`),
    }),
  );

  app.get<SourcePageRoute>('/:locale/harvest/:name', { schema: { hide: true, params: sourceParams, querystring: reportQuery } }, async (request, reply) => {
    const detail = await getHarvestSource(deps, contextOf(request), request.params.name);
    const report = detail.source.lastReport;
    const outcome = request.query.outcome;
    const items = report ? report.items.filter((i) => !outcome || i.outcome === outcome) : [];
    return reply.page('catalogue/harvest-source.njk', {
      ...detail,
      report,
      outcome,
      outcomes: harvestOutcomes,
      items: items.slice(0, itemsPerPage),
      hiddenItems: Math.max(0, items.length - itemsPerPage),
      notice: noticeFrom(request, {
        created: 'catalogue.harvest.notice.created',
        saved: 'catalogue.harvest.notice.saved',
        started: 'catalogue.harvest.notice.started',
        running: 'catalogue.harvest.notice.running',
      }),
    });
  });

  app.get<SourceRoute>('/:locale/harvest/:name/edit', { schema: { hide: true, params: sourceParams } }, async (request, reply) => {
    const { source } = await getHarvestSource(deps, contextOf(request), request.params.name);
    return reply.page('catalogue/harvest-source-form.njk', await formData(request, { source, values: formValues(source) }));
  });

  app.post<SourceRoute>('/:locale/harvest/:name/edit', { schema: { hide: true, params: sourceParams } }, async (request, reply) => {
    const { source } = await getHarvestSource(deps, contextOf(request), request.params.name);
    return handleForm(request, reply, {
      template: 'catalogue/harvest-source-form.njk',
      data: await formData(request, { source }),
      run: () => editHarvestSource(deps, contextOf(request), source.id, request.body),
      done: (saved) => seeOther(reply, request.locale, `/harvest/${saved.name}?notice=saved`),
    });
  });

  app.post<SourceRoute>('/:locale/harvest/:name/run', { schema: { hide: true, params: sourceParams } }, async (request, reply) => {
    const started = await startHarvest(deps, contextOf(request), request.params.name);
    return seeOther(reply, request.locale, `/harvest/${started.source.name}?notice=${started.alreadyRunning ? 'running' : 'started'}`);
  });

  // JSON API
  const name = Type.Object({ name: Type.String({ maxLength: 100 }) });
  app.get('/api/v1/harvest-sources', api('Harvest sources (superadmin)'), async (request) => ({ items: await listHarvestSources(deps, contextOf(request)) }));
  app.post('/api/v1/harvest-sources', api('Add a harvest source: a CKAN site or a DCAT JSON-LD catalogue (superadmin)', { body: harvestSourceInput.schema }), async (request, reply) =>
    reply.code(201).send(await createHarvestSource(deps, contextOf(request), request.body)),
  );
  app.get<SourceRoute>('/api/v1/harvest-sources/:name', api('A harvest source with its last report and recent harvests (superadmin)', { params: name }), async (request) =>
    getHarvestSource(deps, contextOf(request), request.params.name),
  );
  app.put<SourceRoute>('/api/v1/harvest-sources/:name', api('Change a harvest source (superadmin)', { params: name, body: harvestSourceEditInput.schema }), async (request) =>
    editHarvestSource(deps, contextOf(request), request.params.name, request.body),
  );
  app.post<SourceRoute>('/api/v1/harvest-sources/:name/runs', api('Harvest now: starts a background job and answers 202 with its id (follow it at /api/v1/jobs/{id})', { params: name }), async (request, reply) => {
    const started = await startHarvest(deps, contextOf(request), request.params.name);
    return reply.code(202).send({ jobId: started.jobId, alreadyRunning: started.alreadyRunning, job: `/api/v1/jobs/${started.jobId}` });
  });
}
