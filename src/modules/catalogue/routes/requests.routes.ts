import type { FastifyInstance } from 'fastify';
import { Type, type Static, type TSchema } from 'typebox';
import { contextOf, handleForm, nextPageLink, noticeFrom, seeOther } from '../../../kernel/http/pages.js';
import type { CatalogueDeps } from '../actions/datasets.js';
import {
  answerDatasetRequest,
  createDatasetRequest,
  followRequest,
  getDatasetRequest,
  listDatasetRequests,
  prepareAnswer,
  requestChoices,
  unfollowRequest,
  voteForRequest,
  withdrawVote,
} from '../actions/requests.js';
import { requestAnswerInput, requestInput, requestListQuery } from '../inputs/request.input.js';
import { requestStatuses, type RequestStatus } from '../schema.js';

const page = { schema: { hide: true } } as const;
const idParams = Type.Object({ locale: Type.String(), id: Type.String({ format: 'uuid' }) });
const apiId = Type.Object({ id: Type.String({ format: 'uuid' }) });
type IdRoute = { Params: { id: string } };
type ListQuery = Static<typeof requestListQuery>;
const perPage = 20;
const tags = ['catalogue'];

function op(summary: string, parts: { body?: TSchema; params?: TSchema; querystring?: TSchema } = {}) {
  return { config: { api: true }, schema: { tags, summary, ...parts } };
}

/** Previous and next page links that keep every chosen status (repeated parameters). */
function pageLinks(statuses: RequestStatus[], pageNumber: number, total: number) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages <= 1) return null;
  const link = (n: number) => {
    const params = new URLSearchParams();
    for (const s of statuses) params.append('status', s);
    params.set('page', String(n));
    return `?${params}`;
  };
  return { previous: pageNumber > 1 ? link(pageNumber - 1) : null, next: pageNumber < pages ? link(pageNumber + 1) : null, pageNumber, pages };
}


const notices = {
  created: 'catalogue.requests.notice.created',
  voted: 'catalogue.requests.notice.voted',
  unvoted: 'catalogue.requests.notice.unvoted',
  followed: 'catalogue.requests.notice.followed',
  unfollowed: 'catalogue.requests.notice.unfollowed',
  answered: 'catalogue.requests.notice.answered',
};

/** "Publish with purpose": asking for datasets, voting, following and answering; pages and JSON API. */
export function requestRoutes(app: FastifyInstance, deps: CatalogueDeps): void {
  // Pages
  app.get<{ Querystring: ListQuery }>('/:locale/dataset-requests', { schema: { hide: true, querystring: requestListQuery } }, async (request, reply) => {
    const statuses = (request.query.status ?? []) as RequestStatus[];
    const pageNumber = request.query.page ?? 1;
    const result = await listDatasetRequests(deps, contextOf(request), { statuses, limit: perPage, offset: (pageNumber - 1) * perPage });
    return reply.page('catalogue/requests.njk', {
      ...result,
      statusItems: requestStatuses.map((s) => ({ value: s, text: `${request.t(`catalogue.requests.statuses.${s}`)} (${result.counts[s]})`, checked: statuses.includes(s) })),
      pagination: pageLinks(statuses, pageNumber, result.total),
    });
  });

  app.get('/:locale/dataset-requests/new', page, async (request, reply) =>
    reply.page('catalogue/request-form.njk', { organizations: await requestChoices(deps), values: { locale: request.locale, follow: true } }),
  );

  app.post('/:locale/dataset-requests/new', page, async (request, reply) =>
    handleForm(request, reply, {
      template: 'catalogue/request-form.njk',
      data: { organizations: await requestChoices(deps) },
      run: () => createDatasetRequest(deps, contextOf(request), request.body),
      done: (created) => seeOther(reply, request.locale, `/dataset-requests/${created.id}?notice=created`),
    }),
  );

  app.get<IdRoute>('/:locale/dataset-requests/:id', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const detail = await getDatasetRequest(deps, contextOf(request), request.params.id);
    return reply.page('catalogue/request.njk', { ...detail, notice: noticeFrom(request, notices) });
  });

  const support = [
    ['vote', voteForRequest, 'voted'],
    ['unvote', withdrawVote, 'unvoted'],
    ['follow', followRequest, 'followed'],
    ['unfollow', unfollowRequest, 'unfollowed'],
  ] as const;
  for (const [path, action, notice] of support) {
    app.post<IdRoute>(`/:locale/dataset-requests/:id/${path}`, { schema: { hide: true, params: idParams } }, async (request, reply) => {
      await action(deps, contextOf(request), request.params.id);
      return seeOther(reply, request.locale, `/dataset-requests/${request.params.id}?notice=${notice}`);
    });
  }

  app.get<IdRoute>('/:locale/dataset-requests/:id/answer', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const detail = await prepareAnswer(deps, contextOf(request), request.params.id);
    const r = detail.request;
    return reply.page('catalogue/request-answer.njk', {
      ...detail,
      values: { status: r.status, dataset: r.dataset?.name, noteEn: r.statusNote.en, noteFr: r.statusNote.fr, organizationId: r.organization?.id },
    });
  });

  app.post<IdRoute>('/:locale/dataset-requests/:id/answer', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const detail = await prepareAnswer(deps, contextOf(request), request.params.id);
    return handleForm(request, reply, {
      template: 'catalogue/request-answer.njk',
      data: { ...detail },
      run: () => answerDatasetRequest(deps, contextOf(request), request.params.id, request.body),
      done: () => seeOther(reply, request.locale, `/dataset-requests/${request.params.id}?notice=answered`),
    });
  });

  // JSON API
  app.get<{ Querystring: ListQuery }>(
    '/api/v1/dataset-requests',
    op('Dataset requests, most wanted first (votes, then the oldest); filter by `status`', { querystring: requestListQuery }),
    async (request) => {
      const limit = request.query.limit ?? 20;
      const offset = request.query.offset ?? 0;
      const result = await listDatasetRequests(deps, contextOf(request), { statuses: (request.query.status ?? []) as RequestStatus[], limit, offset });
      return { items: result.items, total: result.total, limit, offset, next: nextPageLink(request, offset, limit, result.total), counts: result.counts };
    },
  );
  app.post('/api/v1/dataset-requests', op('Ask for a dataset that is not published (anyone; limited per address)', { body: requestInput.schema }), async (request, reply) =>
    reply.code(201).send(await createDatasetRequest(deps, contextOf(request), request.body)),
  );
  app.get<IdRoute>('/api/v1/dataset-requests/:id', op('A dataset request, with whether you voted for it and follow it', { params: apiId }), async (request) =>
    getDatasetRequest(deps, contextOf(request), request.params.id),
  );
  app.put<IdRoute>('/api/v1/dataset-requests/:id/vote', op('Vote for a request (signed in; once per person)', { params: apiId }), async (request) =>
    voteForRequest(deps, contextOf(request), request.params.id),
  );
  app.delete<IdRoute>('/api/v1/dataset-requests/:id/vote', op('Take your vote back', { params: apiId }), async (request) =>
    withdrawVote(deps, contextOf(request), request.params.id),
  );
  app.put<IdRoute>('/api/v1/dataset-requests/:id/follow', op('Be emailed when the request’s status changes (signed in)', { params: apiId }), async (request) =>
    followRequest(deps, contextOf(request), request.params.id),
  );
  app.delete<IdRoute>('/api/v1/dataset-requests/:id/follow', op('Stop following a request', { params: apiId }), async (request) =>
    unfollowRequest(deps, contextOf(request), request.params.id),
  );
  app.put<IdRoute>(
    '/api/v1/dataset-requests/:id/status',
    op('Answer a request: received, planned, published (with `dataset`) or declined (with `noteEn` and `noteFr`); editors of its organization or superadmins', {
      params: apiId,
      body: requestAnswerInput.schema,
    }),
    async (request) => answerDatasetRequest(deps, contextOf(request), request.params.id, request.body),
  );
}
