import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static, type TSchema } from 'typebox';
import { contextOf, nextPageLink } from '../../../kernel/http/pages.js';
import type { Locale } from '../../../kernel/i18n/index.js';
import { assessPoint, serviceAssessment } from '../actions/assessment.js';
import { dashboard, type Dashboard, type DashboardScope } from '../actions/dashboard.js';
import type { ServicesDeps } from '../actions/deps.js';
import { receiveEvents } from '../actions/events.js';
import { feedbackInbox, giveFeedback, improvementsOf, publishImprovement, triageFeedback } from '../actions/feedback.js';
import { createStandard, enterCost, reportCounts, reportStandardResult, serviceFigures, serviceFunnel } from '../actions/figures.js';
import { kpiRows } from '../actions/kpis.js';
import { createService, editService, findServices, getService } from '../actions/services.js';
import { batchSchema, eventInput } from '../inputs/event.input.js';
import { feedbackInput, improvementInput, inboxQuery, triageInput } from '../inputs/feedback.input.js';
import { assessmentInput, costInput, countsInput, kpiQuery, standardInput, standardResultInput } from '../inputs/figures.input.js';
import { serviceInput, serviceListQuery } from '../inputs/service.input.js';
import type { Channel } from '../schema.js';

const tags = ['services'];
const code = Type.Object({ code: Type.String({ maxLength: 40 }) });
const codeAndId = Type.Object({ code: Type.String({ maxLength: 40 }), id: Type.String({ format: 'uuid' }) });
type CodeRoute = { Params: { code: string } };
type KpiQuery = Static<typeof kpiQuery>;

function op(summary: string, parts: { body?: TSchema; params?: TSchema; querystring?: TSchema } = {}) {
  return { config: { api: true }, schema: { tags, summary, ...parts } };
}


/** The language of an API answer's texts: the request's, or English. */
const localeOf = (request: FastifyRequest): Locale => (request.locale === 'fr' ? 'fr' : 'en');

/** The KPI report as JSON (every figure, the trend and the standards). */
function kpiJson(d: Dashboard) {
  return {
    scope: d.scope,
    ...(d.organization ? { organization: { id: d.organization.id, slug: d.organization.slug, name: d.organization.name } } : {}),
    ...(d.service ? { service: { code: d.service.code, name: d.service.name } } : {}),
    period: d.report.period,
    channel: d.report.channel,
    kpis: {
      costPerTransaction: d.report.costPerTransaction,
      digitalTakeUp: d.report.digitalTakeUp,
      completionRate: d.report.completionRate,
      userSatisfaction: d.report.satisfaction,
    },
    figures: d.report.figures,
    standards: d.report.standards,
    trend: d.report.trend,
    breakdown: d.breakdown.map((b) => ({
      ...(b.organization ? { organization: b.organization.slug } : {}),
      ...(b.service ? { service: b.service.code } : {}),
      completed: b.completed,
    })),
  };
}

/** Every figure as CSV: the KPIs of the period with their numerators and denominators, then the monthly trend. */
function dashboardCsv(d: Dashboard): string {
  const scope = d.service ? `service:${d.service.code}` : d.organization ? `organization:${d.organization.slug}` : 'all';
  const lines = [
    ...kpiRows(d.report, scope),
    ...d.report.trend.flatMap((t) =>
      (['costPerTransaction', 'digitalTakeUp', 'completionRate', 'satisfiedShare'] as const).map((kpi) => ({
        scope,
        period: t.month,
        start: `${t.month}-01`,
        end: '',
        channel: d.report.channel ?? 'all',
        kpi: { costPerTransaction: 'cost_per_transaction', digitalTakeUp: 'digital_take_up', completionRate: 'completion_rate', satisfiedShare: 'user_satisfaction_share_satisfied' }[kpi],
        value: t[kpi],
        numerator: null,
        denominator: kpi === 'satisfiedShare' ? t.responses : kpi === 'completionRate' ? t.started : t.completed,
        source: '',
      })),
    ),
  ];
  return stringify(lines, { header: true, columns: ['scope', 'period', 'start', 'end', 'channel', 'kpi', 'value', 'numerator', 'denominator', 'source'], record_delimiter: '\r\n' });
}

/** Sends the dashboard's figures as CSV (download) or JSON. */
function sendKpis(reply: FastifyReply, d: Dashboard, format: 'json' | 'csv', fileName: string) {
  if (format === 'json') return reply.send(kpiJson(d));
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fileName}.csv"`).send(dashboardCsv(d));
}

/** The services JSON API: inventory, events, KPIs, feedback, figures, standards and assessments. */
export function apiRoutes(app: FastifyInstance, deps: ServicesDeps): void {
  // Inventory
  app.get<{ Querystring: Static<typeof serviceListQuery> }>('/api/v1/services', op('The service inventory, filtered and paged', { querystring: serviceListQuery }), async (request) => {
    const limit = request.query.limit ?? 20;
    const offset = request.query.offset ?? 0;
    const { q, organization, channel, type, online } = request.query;
    const result = await findServices(deps, { ...(q ? { q } : {}), ...(organization ? { organization } : {}), ...(channel ? { channel } : {}), ...(type ? { type } : {}), ...(online ? { online } : {}), locale: localeOf(request) }, limit, offset);
    return { items: result.items, total: result.total, limit, offset, next: nextPageLink(request, offset, limit, result.total) };
  });
  app.post('/api/v1/services', op('Add a service to the inventory (editor of its organization)', { body: serviceInput.schema }), async (request, reply) =>
    reply.code(201).send(await createService(deps, contextOf(request), request.body)),
  );
  app.get<CodeRoute>('/api/v1/services/:code', op('A service by its code', { params: code }), async (request) => getService(deps, request.params.code));
  app.put<CodeRoute>('/api/v1/services/:code', op('Change a service (editor of its organization)', { params: code, body: serviceInput.schema }), async (request) =>
    editService(deps, contextOf(request), request.params.code, request.body),
  );

  // Events
  app.post('/api/v1/service-events', op('Send one transaction event (`services:events`); a repeated `id` is acknowledged, not counted again', { body: eventInput.schema }), async (request) =>
    receiveEvents(deps, contextOf(request), request.body),
  );
  app.post(
    '/api/v1/service-events/batch',
    // A full batch of 5,000 events is about 1 MB of JSON: more than the default body limit.
    { ...op('Send up to 5,000 events at once; if any is invalid nothing is stored and each problem names its `index`', { body: batchSchema }), bodyLimit: 8 * 1024 * 1024 },
    async (request) => receiveEvents(deps, contextOf(request), request.body),
  );

  // KPIs (public): JSON, and the same figures as CSV
  const kpis = (scope: (request: FastifyRequest) => DashboardScope, format: 'json' | 'csv', name: (request: FastifyRequest) => string) =>
    async (request: FastifyRequest<{ Querystring: KpiQuery }>, reply: FastifyReply) =>
      sendKpis(reply, await dashboard(deps, scope(request), request.query), format, name(request));
  const all = () => ({ kind: 'all' as const });
  const organization = (request: FastifyRequest) => ({ kind: 'organization' as const, organization: (request.params as { slug: string }).slug });
  const service = (request: FastifyRequest) => ({ kind: 'service' as const, service: (request.params as { code: string }).code });
  const slug = Type.Object({ slug: Type.String({ maxLength: 100 }) });
  const periodHelp = '`period`: `12m` (default, rolling 12 months), `YYYY-MM`, `YYYY-Qn` or `FYyyyy-yyyy`; `channel` optional';
  app.get('/api/v1/service-kpis', op(`KPIs of all services. ${periodHelp}`, { querystring: kpiQuery }), kpis(all, 'json', () => 'service-kpis'));
  app.get('/api/v1/service-kpis.csv', op('KPIs of all services as CSV', { querystring: kpiQuery }), kpis(all, 'csv', () => 'service-kpis'));
  app.get('/api/v1/organizations/:slug/service-kpis', op(`KPIs of an organization's services. ${periodHelp}`, { params: slug, querystring: kpiQuery }), kpis(organization, 'json', () => 'service-kpis'));
  app.get('/api/v1/organizations/:slug/service-kpis.csv', op('KPIs of an organization’s services as CSV', { params: slug, querystring: kpiQuery }), kpis(organization, 'csv', (r) => `service-kpis-${(r.params as { slug: string }).slug}`));
  app.get('/api/v1/services/:code/kpis', op(`KPIs and service-standard performance of one service. ${periodHelp}`, { params: code, querystring: kpiQuery }), kpis(service, 'json', () => 'service-kpis'));
  app.get('/api/v1/services/:code/kpis.csv', op('KPIs of one service as CSV', { params: code, querystring: kpiQuery }), kpis(service, 'csv', (r) => `service-kpis-${(r.params as { code: string }).code}`));

  // Figures entered by staff
  app.get<CodeRoute>('/api/v1/services/:code/figures', op('Counts, costs and standards reported for a service (its staff)', { params: code }), async (request) => {
    const { service: _service, ...figures } = await serviceFigures(deps, contextOf(request), request.params.code);
    return figures;
  });
  app.post<CodeRoute>('/api/v1/services/:code/counts', op('Report counts for a period and channel (services without events)', { params: code, body: countsInput.schema }), async (request, reply) =>
    reply.code(201).send({ stored: await reportCounts(deps, contextOf(request), request.params.code, request.body) }),
  );
  app.post<CodeRoute>('/api/v1/services/:code/costs', op('Enter the cost of a channel over a period (CAD)', { params: code, body: costInput.schema }), async (request, reply) => {
    await enterCost(deps, contextOf(request), request.params.code, request.body);
    return reply.code(204).send();
  });
  app.post<CodeRoute>('/api/v1/services/:code/standards', op('Define a service standard and its target', { params: code, body: standardInput.schema }), async (request, reply) =>
    reply.code(201).send(await createStandard(deps, contextOf(request), request.params.code, request.body)),
  );
  app.post<{ Params: { code: string; id: string } }>(
    '/api/v1/services/:code/standards/:id/results',
    op('Report how much volume met a standard over a period', { params: codeAndId, body: standardResultInput.schema }),
    async (request, reply) => {
      await reportStandardResult(deps, contextOf(request), request.params.code, request.params.id, request.body);
      return reply.code(204).send();
    },
  );
  app.get<CodeRoute & { Querystring: KpiQuery }>('/api/v1/services/:code/funnel', op('Steps, conversion and time per step (its staff)', { params: code, querystring: kpiQuery }), async (request) => {
    const { service: _service, ...funnel } = await serviceFunnel(deps, contextOf(request), request.params.code, { ...(request.query.period ? { period: request.query.period } : {}), ...(request.query.channel ? { channel: request.query.channel as Channel } : {}) });
    return funnel;
  });

  // Feedback
  app.post<CodeRoute>('/api/v1/services/:code/feedback', op('Give feedback on a service (anyone; one per transaction reference; limited per address)', { params: code, body: feedbackInput.schema }), async (request, reply) => {
    const { feedback } = await giveFeedback(deps, contextOf(request), request.params.code, request.body);
    return reply.code(201).send({ id: feedback.id, submittedAt: feedback.submittedAt });
  });
  app.get<CodeRoute & { Querystring: Static<typeof inboxQuery> }>('/api/v1/services/:code/feedback', op('A service’s feedback inbox (its staff)', { params: code, querystring: inboxQuery }), async (request) => {
    const limit = request.query.limit ?? 50;
    const offset = request.query.offset ?? 0;
    const q = request.query;
    const inbox = await feedbackInbox(
      deps,
      contextOf(request),
      request.params.code,
      { ...(q.satisfaction ? { satisfaction: q.satisfaction } : {}), ...(q.achieved ? { achieved: q.achieved } : {}), ...(q.status ? { status: q.status } : {}), ...(q.tag ? { tag: q.tag } : {}), ...(q.comment ? { withComment: true } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) },
      limit,
      offset,
    );
    return { items: inbox.items, total: inbox.total, limit, offset, next: nextPageLink(request, offset, limit, inbox.total), tags: inbox.tags };
  });
  app.patch<{ Params: { code: string; id: string } }>('/api/v1/services/:code/feedback/:id', op('Tag a response or mark it actioned', { params: codeAndId, body: triageInput.schema }), async (request) =>
    triageFeedback(deps, contextOf(request), request.params.code, request.params.id, request.body),
  );
  app.get<CodeRoute>('/api/v1/services/:code/improvements', op('“You said, we did” of a service', { params: code }), async (request) => (await improvementsOf(deps, request.params.code)).items);
  app.post<CodeRoute>('/api/v1/services/:code/improvements', op('Publish a “you said, we did” entry', { params: code, body: improvementInput.schema }), async (request, reply) =>
    reply.code(201).send(await publishImprovement(deps, contextOf(request), request.params.code, request.body)),
  );

  // Digital Service Standard
  app.get<CodeRoute>('/api/v1/services/:code/assessment', op('The service’s Digital Service Standard assessment, with history', { params: code }), async (request) => {
    const { service: _service, canAssess: _canAssess, ...assessment } = await serviceAssessment(deps, contextOf(request), request.params.code);
    return assessment;
  });
  app.post<CodeRoute>('/api/v1/services/:code/assessment', op('Rate one point of the standard, with evidence (administrator of the organization)', { params: code, body: assessmentInput.schema }), async (request, reply) => {
    await assessPoint(deps, contextOf(request), request.params.code, request.body);
    return reply.code(204).send();
  });
}
