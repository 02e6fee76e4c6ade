import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { contextOf, handleForm, noticeFrom, seeOther } from '../../../kernel/http/pages.js';
import type { CatalogueDeps } from '../actions/datasets.js';
import { catalogueMetrics, chooseMetricsPublisher, datasetMetrics, requestUsagePublication } from '../actions/metrics.js';
import { metricsPublisherInput } from '../inputs/metrics-publisher.input.js';

const page = { schema: { hide: true } } as const;
const datasetParams = Type.Object({ locale: Type.String(), name: Type.String({ maxLength: 100 }) });
type DatasetRoute = { Params: { name: string } };
const tags = ['catalogue'];

function op(summary: string, parts: { body?: TSchema; params?: TSchema } = {}) {
  return { config: { api: true }, schema: { tags, summary, ...parts } };
}

/** Usage metrics: per dataset and catalogue-wide, and the choice of who publishes them as open data. */
export function metricsRoutes(app: FastifyInstance, deps: CatalogueDeps): void {
  // Pages: the chart's labels are in the page's language.
  const pageContext = (request: FastifyRequest) => ({ ...contextOf(request), locale: request.locale });

  app.get('/:locale/dataset-metrics', page, async (request, reply) => {
    const metrics = await catalogueMetrics(deps, pageContext(request));
    return reply.page('catalogue/metrics.njk', {
      metrics,
      values: { organizationId: metrics.publisherChosen ? metrics.publisher?.id : undefined },
      notice: noticeFrom(request, { publisher: 'catalogue.metrics.notice.publisher' }),
    });
  });

  app.post('/:locale/dataset-metrics/publisher', page, async (request, reply) => {
    const metrics = await catalogueMetrics(deps, pageContext(request));
    return handleForm(request, reply, {
      template: 'catalogue/metrics.njk',
      data: { metrics },
      run: () => chooseMetricsPublisher(deps, contextOf(request), request.body),
      done: () => seeOther(reply, request.locale, '/dataset-metrics?notice=publisher'),
    });
  });

  app.post('/:locale/dataset-metrics/publish', page, async (request, reply) => {
    const jobId = await requestUsagePublication(deps, contextOf(request));
    return seeOther(reply, request.locale, `/jobs/${jobId}`);
  });

  app.get<DatasetRoute>('/:locale/datasets/:name/metrics', { schema: { hide: true, params: datasetParams } }, async (request, reply) =>
    reply.page('catalogue/metrics-dataset.njk', { ...(await datasetMetrics(deps, pageContext(request), request.params.name)) }),
  );

  // JSON API
  app.get('/api/v1/dataset-metrics', op('Catalogue-wide views and downloads: totals by month (last 12 months) and the most used datasets'), async (request) => {
    const { chart: _chart, organizations: _organizations, ...metrics } = await catalogueMetrics(deps, contextOf(request));
    return metrics;
  });
  app.put('/api/v1/dataset-metrics/publisher', op('Choose the organization that publishes the usage figures as open data (superadmin)', { body: metricsPublisherInput.schema }), async (request) =>
    chooseMetricsPublisher(deps, contextOf(request), request.body),
  );
  app.post('/api/v1/dataset-metrics/publication', op('Publish the usage figures now, as a job (superadmin); answers the job id'), async (request, reply) =>
    reply.code(202).send({ jobId: await requestUsagePublication(deps, contextOf(request)) }),
  );
  app.get<DatasetRoute>(
    '/api/v1/datasets/:name/metrics',
    op('A dataset’s views and downloads by month (last 12 months), and per resource', { params: Type.Object({ name: Type.String({ maxLength: 100 }) }) }),
    async (request) => {
      const { chart: _chart, ...metrics } = await datasetMetrics(deps, contextOf(request), request.params.name);
      return metrics;
    },
  );
}
