import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { Conflict, InputError, type FieldError } from '../../../kernel/errors/index.js';
import { readMultipartForm, type MultipartForm } from '../../../kernel/http/multipart.js';
import { contextOf, handleForm, noticeFrom, pagination, seeOther, shownErrors } from '../../../kernel/http/pages.js';
import type { Translate } from '../../../kernel/i18n/index.js';
import { barChart } from '../../../kernel/views/charts.js';
import { assessPoint, standardPoints } from '../actions/assessment.js';
import type { ServicesDeps } from '../actions/deps.js';
import { feedbackInbox, publishImprovement, triageFeedback } from '../actions/feedback.js';
import { countsCsvColumns, createStandard, enterCost, reportCounts, reportStandardResult, serviceFigures, serviceFunnel, uploadCounts } from '../actions/figures.js';
import { periodChoices } from '../actions/periods.js';
import { createService, editService, runsService, serviceOrganizations } from '../actions/services.js';
import { addStandardPoint, assessmentForm, changeStandardPoint, improvementForm, pageFeedbackList, serviceForEdit, standardPoint } from '../actions/staff.js';
import type { InboxFilter } from '../data/feedback.js';
import {
  achievedAnswers,
  assessmentRatings,
  channels,
  clientTypes,
  missingReasons,
  onlineAnswers,
  onlinePoints,
  serviceStatuses,
  serviceTypes,
  standardTypes,
  type Achieved,
  type Channel,
} from '../schema.js';
import { periodLabel } from './public.routes.js';

const page = { schema: { hide: true } } as const;
const code = Type.String({ maxLength: 40 });
const codeParams = Type.Object({ locale: Type.String(), code });
const codeAndIdParams = Type.Object({ locale: Type.String(), code, id: Type.String({ format: 'uuid' }) });
const pointParams = Type.Object({ locale: Type.String(), id: Type.String({ maxLength: 40 }) });
type CodeRoute = { Params: { code: string } };
type CodeAndIdRoute = { Params: { code: string; id: string } };

/**
 * The inbox's filters as a GET form sends them: every box, even empty ones. They are read leniently
 * (an empty box is no filter) and a wrong date is shown on the form, never as a bare 400.
 */
const inboxQuery = Type.Object({
  satisfaction: Type.Optional(Type.Array(Type.String({ maxLength: 2 }), { maxItems: 5 })),
  achieved: Type.Optional(Type.String({ maxLength: 20 })),
  status: Type.Optional(Type.String({ maxLength: 20 })),
  tag: Type.Optional(Type.String({ maxLength: 50 })),
  comment: Type.Optional(Type.String({ maxLength: 10 })),
  from: Type.Optional(Type.String({ maxLength: 20 })),
  to: Type.Optional(Type.String({ maxLength: 20 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  notice: Type.Optional(Type.String({ maxLength: 20 })),
});
type InboxQuery = Static<typeof inboxQuery>;
const funnelQuery = Type.Object({
  period: Type.Optional(Type.String({ maxLength: 20 })),
  channel: Type.Optional(Type.String({ maxLength: 20 })),
});
const pageQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })), notice: Type.Optional(Type.String({ maxLength: 20 })) });
const inboxPerPage = 20;
const pageFeedbackPerPage = 50;


const notices = {
  inbox: { tagged: 'services.staff.notice.tagged', actioned: 'services.staff.notice.actioned', reopened: 'services.staff.notice.reopened' },
  figures: {
    counts: 'services.staff.notice.counts',
    uploaded: 'services.staff.notice.uploaded',
    cost: 'services.staff.notice.cost',
    standard: 'services.staff.notice.standard',
    result: 'services.staff.notice.result',
  },
  points: { saved: 'services.staff.notice.pointSaved', added: 'services.staff.notice.pointAdded' },
};

/** The day in the installation's time zone (`YYYY-MM-DD`), for date boxes filled in advance. */
function today(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** A share (0–1) as "87.5%" in the page's language. */
function percent(t: Translate, share: number | null): string | null {
  return share === null ? null : t('services.staff.percent', { value: Math.round(share * 1000) / 10 });
}

/** Field errors of an `InputError`, or of a `Conflict` about one field; otherwise undefined. */
function fieldErrorsOf(error: unknown): FieldError[] | undefined {
  if (error instanceof InputError) return error.fields;
  if (error instanceof Conflict && error.field) return [{ field: error.field, rule: 'conflict', messageKey: error.messageKey, ...(error.params ? { params: error.params } : {}) }];
  return undefined;
}

/**
 * Errors of one form on a page that holds several. Field ids are prefixed with the form's name
 * (`counts-periodStart`) so the error summary links to the right box.
 */
function formErrors(t: Translate, form: string, fields: FieldError[]) {
  const { errors, errorMap } = shownErrors(t, fields);
  return { errors: errors.map((e) => ({ ...e, href: e.field ? `#${form}-${e.field}` : '#main-content' })), formErrors: { [form]: errorMap } };
}

/** Which column of a counts file a field comes from (the problem names it). */
const csvColumnOf: Record<string, string> = { periodStart: 'period_start', periodEnd: 'period_end', channel: 'channel', started: 'started', completed: 'completed', missing: 'completed' };

/**
 * The problems of an uploaded counts file, one line each: "Row 3 (period_start): …". Rows are
 * numbered as in a spreadsheet, the heading being row 1, so people find them where they look.
 */
function fileProblems(t: Translate, fields: FieldError[]): string[] {
  const lines = fields.map((f) =>
    f.index === undefined
      ? t(f.messageKey, f.params)
      : t('services.staff.figures.file.rowProblem', { row: String(f.index + 2), column: csvColumnOf[f.field] ?? f.field, message: t(f.messageKey, f.params) }),
  );
  const shown = lines.slice(0, 20);
  if (lines.length > shown.length) shown.push(t('services.staff.figures.file.moreProblems', { count: lines.length - shown.length }));
  return shown;
}

/** Checkbox groups always as lists when a form is shown again (one ticked box arrives as a string). */
function withLists(body: unknown, names: readonly string[]): Record<string, unknown> {
  const values: Record<string, unknown> = { ...((body as Record<string, unknown> | undefined) ?? {}) };
  for (const name of names) {
    const value = values[name];
    values[name] = value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value];
  }
  return values;
}

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/** The inbox's filters from the query string, and the problems with its dates. */
function readInboxFilter(query: InboxQuery): { filter: InboxFilter; problems: FieldError[] } {
  const filter: InboxFilter = {};
  const problems: FieldError[] = [];
  const ratings = [...new Set((query.satisfaction ?? []).filter((s) => /^[1-5]$/.test(s)).map(Number))].sort();
  if (ratings.length) filter.satisfaction = ratings;
  if (achievedAnswers.includes(query.achieved as Achieved)) filter.achieved = query.achieved as Achieved;
  if (query.status === 'open' || query.status === 'actioned') filter.status = query.status;
  const tag = query.tag?.trim().toLowerCase();
  if (tag) filter.tag = tag;
  if (query.comment === 'true') filter.withComment = true;
  for (const name of ['from', 'to'] as const) {
    const value = query[name]?.trim();
    if (!value) continue;
    if (isDay(value)) filter[name] = value;
    else problems.push({ field: name, rule: 'format', messageKey: `services.staff.inbox.errors.${name}` });
  }
  if (filter.from && filter.to && filter.to < filter.from) problems.push({ field: 'to', rule: 'minimum', messageKey: 'services.staff.inbox.errors.toBeforeFrom' });
  return { filter, problems };
}

/** The filters as a query string (repeated `satisfaction`), to keep them on links and after a change. */
function filterQuery(filter: InboxFilter, extra: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const s of filter.satisfaction ?? []) params.append('satisfaction', String(s));
  if (filter.achieved) params.set('achieved', filter.achieved);
  if (filter.status) params.set('status', filter.status);
  if (filter.tag) params.set('tag', filter.tag);
  if (filter.withComment) params.set('comment', 'true');
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) params.set(k, String(v));
  return params.toString();
}

/** Where reported counts came from: this form, a file, or the Government of Canada Service Inventory of a year. */
function sourceLabel(t: Translate, source: string | null): string {
  if (source === 'form' || source === 'csv') return t(`services.staff.figures.sources.${source}`);
  const gc = /^gc-service-inventory:(.+)$/.exec(source ?? '');
  if (gc) return t('services.staff.figures.sources.gcInventory', { year: gc[1]! });
  return source ?? '';
}

/** A time in the unit people read best: seconds, minutes, hours or days. */
function duration(t: Translate, seconds: number | null): string | null {
  if (seconds === null) return null;
  const round = (v: number) => (v < 10 ? Math.round(v * 10) / 10 : Math.round(v));
  if (seconds < 90) return t('services.staff.funnel.units.seconds', { count: Math.round(seconds) });
  if (seconds < 90 * 60) return t('services.staff.funnel.units.minutes', { count: Math.round(seconds / 60) });
  if (seconds < 36 * 3600) return t('services.staff.funnel.units.hours', { count: round(seconds / 3600) });
  return t('services.staff.funnel.units.days', { count: round(seconds / 86400) });
}


/** Which staff pages the actor may open for a service (the links above each staff page). */
function staffLinks(ctx: ReturnType<typeof contextOf>, service: { organization: { id: string } }) {
  return runsService(ctx, { organizationId: service.organization.id });
}

/** Service teams' pages: the inventory form, feedback inbox, figures, funnel, assessment; and two superadmin pages. */
export function staffRoutes(app: FastifyInstance, deps: ServicesDeps): void {
  const { kernel } = deps;
  const serviceChoices = { serviceTypes, clientTypes, channels, onlinePoints, onlineAnswers, serviceStatuses };
  const lists = ['serviceTypes', 'clientTypes', 'channels'] as const;

  // The inventory form
  app.get('/:locale/services/new', page, async (request, reply) => {
    const organizations = await serviceOrganizations(deps, contextOf(request));
    return reply.page('services/staff/service-form.njk', {
      ...serviceChoices,
      organizations,
      creating: true,
      values: { organizationId: organizations.length === 1 ? organizations[0]!.id : undefined, status: 'active', serviceTypes: [], clientTypes: [], channels: [] },
    });
  });

  app.post('/:locale/services/new', page, async (request, reply) =>
    handleForm(request, reply, {
      template: 'services/staff/service-form.njk',
      data: { ...serviceChoices, organizations: await serviceOrganizations(deps, contextOf(request)), creating: true },
      values: () => withLists(request.body, lists),
      run: () => createService(deps, contextOf(request), request.body),
      done: (service) => seeOther(reply, request.locale, `/services/${encodeURIComponent(service.code)}?notice=created`),
    }),
  );

  app.get<CodeRoute>('/:locale/services/:code/edit', { schema: { hide: true, params: codeParams } }, async (request, reply) => {
    const ctx = contextOf(request);
    const { service, values, organizations } = await serviceForEdit(deps, ctx, request.params.code);
    return reply.page('services/staff/service-form.njk', { ...serviceChoices, service, organizations, values: withLists(values, lists), can: staffLinks(ctx, service) });
  });

  app.post<CodeRoute>('/:locale/services/:code/edit', { schema: { hide: true, params: codeParams } }, async (request, reply) => {
    const ctx = contextOf(request);
    const { service, organizations } = await serviceForEdit(deps, ctx, request.params.code);
    return handleForm(request, reply, {
      template: 'services/staff/service-form.njk',
      data: { ...serviceChoices, service, organizations, can: staffLinks(ctx, service) },
      values: () => withLists(request.body, lists),
      run: () => editService(deps, ctx, service.code, request.body),
      done: (saved) => seeOther(reply, request.locale, `/services/${encodeURIComponent(saved.code)}?notice=updated`),
    });
  });

  // The feedback inbox
  async function inboxPage(request: FastifyRequest<CodeRoute & { Querystring: InboxQuery }>, reply: FastifyReply, extra: Record<string, unknown> = {}, status?: number) {
    const ctx = contextOf(request);
    const { filter, problems } = readInboxFilter(request.query);
    const pageNumber = request.query.page ?? 1;
    // Wrong dates are left out of the search and shown on the filter form.
    const inbox = await feedbackInbox(deps, ctx, request.params.code, filter, inboxPerPage, (pageNumber - 1) * inboxPerPage);
    const pages = Math.max(1, Math.ceil(inbox.total / inboxPerPage));
    const shown = problems.length ? shownErrors(request.t, problems) : { errors: [], errorMap: {} };
    return reply.page(
      'services/staff/inbox.njk',
      {
        ...inbox,
        can: staffLinks(ctx, inbox.service),
        filter,
        query: request.query,
        ratings: [5, 4, 3, 2, 1],
        achievedAnswers,
        filtered: Object.keys(filter).length > 0,
        returnQuery: filterQuery(filter, { page: pageNumber > 1 ? pageNumber : undefined }),
        tagLinks: inbox.tags.map((t) => ({ ...t, href: `?${filterQuery({ ...filter, tag: t.tag })}`, current: filter.tag === t.tag })),
        pagination:
          pages > 1
            ? {
                previous: pageNumber > 1 ? `?${filterQuery(filter, { page: pageNumber - 1 })}` : null,
                next: pageNumber < pages ? `?${filterQuery(filter, { page: pageNumber + 1 })}` : null,
              }
            : null,
        notice: noticeFrom(request, notices.inbox),
        ...(problems.length ? { errors: shown.errors, filterErrors: shown.errorMap } : {}),
        ...extra,
      },
      // Filters that cannot be read answer 422, as the dashboards and the funnel do.
      status ? { status } : problems.length ? { status: 422 } : {},
    );
  }

  app.get<CodeRoute & { Querystring: InboxQuery }>('/:locale/services/:code/feedback', { schema: { hide: true, params: codeParams, querystring: inboxQuery } }, async (request, reply) =>
    inboxPage(request, reply),
  );

  // One small form per response: its tags, or actioned / open again. The filters ride along in the
  // form's address, so the person comes back to the same list.
  app.post<CodeAndIdRoute & { Querystring: InboxQuery }>(
    '/:locale/services/:code/feedback/:id',
    { schema: { hide: true, params: codeAndIdParams, querystring: inboxQuery } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      try {
        const item = await triageFeedback(deps, contextOf(request), request.params.code, request.params.id, body);
        const notice = 'tags' in body ? 'tagged' : item.actioned ? 'actioned' : 'reopened';
        const { filter } = readInboxFilter(request.query);
        const query = filterQuery(filter, { page: request.query.page, notice });
        return seeOther(reply, request.locale, `/services/${encodeURIComponent(request.params.code)}/feedback?${query}#feedback-${request.params.id}`);
      } catch (error) {
        const fields = fieldErrorsOf(error);
        if (!fields) throw error;
        const form = `triage-${request.params.id}`;
        return inboxPage(request, reply, { ...formErrors(request.t, form, fields), formValues: { [form]: { tags: body['tags'] } } }, 422);
      }
    },
  );

  // "You said, we did"
  app.get<CodeRoute>('/:locale/services/:code/you-said-we-did/new', { schema: { hide: true, params: codeParams } }, async (request, reply) => {
    const ctx = contextOf(request);
    const service = await improvementForm(deps, ctx, request.params.code);
    return reply.page('services/staff/improvement-form.njk', { service, can: staffLinks(ctx, service), values: { publishedOn: today(kernel.config.timeZone) } });
  });

  app.post<CodeRoute>('/:locale/services/:code/you-said-we-did/new', { schema: { hide: true, params: codeParams } }, async (request, reply) => {
    const ctx = contextOf(request);
    const service = await improvementForm(deps, ctx, request.params.code);
    return handleForm(request, reply, {
      template: 'services/staff/improvement-form.njk',
      data: { service, can: staffLinks(ctx, service) },
      run: () => publishImprovement(deps, ctx, service.code, request.body),
      done: () => seeOther(reply, request.locale, `/services/${encodeURIComponent(service.code)}/you-said-we-did?notice=published`),
    });
  });

  // Figures: what was reported, and a form for each kind of figure
  async function figuresPage(request: FastifyRequest<CodeRoute>, reply: FastifyReply, extra: Record<string, unknown> = {}, status?: number) {
    const ctx = contextOf(request);
    const t = request.t;
    const figures = await serviceFigures(deps, ctx, request.params.code);
    const money = new Intl.NumberFormat(request.locale === 'fr' ? 'fr-CA' : 'en-CA', { style: 'currency', currency: 'CAD' });
    return reply.page(
      'services/staff/figures.njk',
      {
        service: figures.service,
        can: runsService(ctx, figures.service),
        counts: figures.counts.map((c) => ({ ...c, sourceText: sourceLabel(t, c.source) })),
        costs: figures.costs.map((c) => ({ ...c, amountText: money.format(c.amount) })),
        standards: figures.standards.map((s) => ({
          ...s,
          targetText: percent(t, s.target),
          results: s.results.map((r) => ({
            ...r,
            performanceText: r.totalVolume && r.volumeMeetingTarget !== null ? percent(t, r.volumeMeetingTarget / r.totalVolume) : null,
            met: r.totalVolume && r.volumeMeetingTarget !== null && s.target !== null ? r.volumeMeetingTarget / r.totalVolume >= s.target : null,
          })),
        })),
        channels,
        standardTypes,
        missingReasons,
        csvColumns: countsCsvColumns.join(','),
        formValues: {},
        formErrors: {},
        notice: noticeFrom(request, notices.figures),
        ...extra,
      },
      status ? { status } : {},
    );
  }

  /** Runs one figures form; on a mistake the figures page comes back with that form's errors and input. */
  async function figuresForm(
    request: FastifyRequest<CodeRoute>,
    reply: FastifyReply,
    form: string,
    run: () => Promise<unknown>,
    notice: keyof typeof notices.figures,
    values: () => Record<string, unknown> = () => ({ ...((request.body as Record<string, unknown> | undefined) ?? {}) }),
  ) {
    try {
      await run();
      return seeOther(reply, request.locale, `/services/${encodeURIComponent(request.params.code)}/figures?notice=${notice}`);
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (!fields) throw error;
      const kept = values();
      delete kept['_csrf'];
      return figuresPage(request, reply, { ...formErrors(request.t, form, fields), formValues: { [form]: kept } }, 422);
    }
  }

  app.get<CodeRoute>('/:locale/services/:code/figures', { schema: { hide: true, params: codeParams } }, async (request, reply) => figuresPage(request, reply));

  app.post<CodeRoute>('/:locale/services/:code/figures/counts', { schema: { hide: true, params: codeParams } }, async (request, reply) =>
    figuresForm(request, reply, 'counts', () => reportCounts(deps, contextOf(request), request.params.code, request.body), 'counts'),
  );

  app.post<CodeRoute>('/:locale/services/:code/figures/costs', { schema: { hide: true, params: codeParams } }, async (request, reply) =>
    figuresForm(request, reply, 'cost', () => enterCost(deps, contextOf(request), request.params.code, request.body), 'cost'),
  );

  app.post<CodeRoute>('/:locale/services/:code/figures/standards', { schema: { hide: true, params: codeParams } }, async (request, reply) =>
    figuresForm(request, reply, 'standard', () => createStandard(deps, contextOf(request), request.params.code, request.body), 'standard'),
  );

  app.post<CodeAndIdRoute>('/:locale/services/:code/figures/standards/:id/results', { schema: { hide: true, params: codeAndIdParams } }, async (request, reply) =>
    figuresForm(request, reply, `result-${request.params.id}`, () => reportStandardResult(deps, contextOf(request), request.params.code, request.params.id, request.body), 'result'),
  );

  // A counts file is small: it goes through the file store (size and type checks), is read, then removed.
  const uploadOptions = { fileField: 'file', store: kernel.files, maxBytes: Math.min(kernel.config.uploadMaxBytes, 5 * 1024 * 1024), allowedTypes: ['text/csv', 'text/plain'] };
  app.post<CodeRoute>('/:locale/services/:code/figures/counts-file', { config: { multipartForm: true }, schema: { hide: true, params: codeParams } }, async (request, reply) => {
    // Checked before a byte is stored: only the service's editors may make us write a file.
    await serviceFigures(deps, contextOf(request), request.params.code);
    try {
      const form: MultipartForm = await readMultipartForm(request, reply, uploadOptions);
      const file = form.file;
      if (!file) throw InputError.field('file', 'required', 'services.figures.errors.file.required');
      let csv: Buffer;
      try {
        const chunks: Buffer[] = [];
        for await (const chunk of kernel.files.open(file.key)) chunks.push(chunk as Buffer);
        csv = Buffer.concat(chunks);
      } finally {
        await kernel.files.remove(file.key);
      }
      await uploadCounts(deps, contextOf(request), request.params.code, csv);
      return seeOther(reply, request.locale, `/services/${encodeURIComponent(request.params.code)}/figures?notice=uploaded`);
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (!fields) throw error;
      const problems = fileProblems(request.t, fields);
      const summary = request.t('services.staff.figures.file.problems', { count: problems.length });
      return figuresPage(
        request,
        reply,
        {
          errors: problems.map((text) => ({ field: 'file', text, href: '#counts-file-file' })),
          formErrors: { 'counts-file': { file: summary } },
        },
        422,
      );
    }
  });

  // The funnel
  app.get<CodeRoute & { Querystring: Static<typeof funnelQuery> }>(
    '/:locale/services/:code/funnel',
    { schema: { hide: true, params: codeParams, querystring: funnelQuery } },
    async (request, reply) => {
      const ctx = contextOf(request);
      const t = request.t;
      const channel = channels.includes(request.query.channel as Channel) ? (request.query.channel as Channel) : undefined;
      const period = request.query.period?.trim() || undefined;
      const choices = periodChoices(new Date(), kernel.config.timeZone).map((c) => ({ ...c, label: periodLabel(c, t, request.locale) }));
      let funnel;
      try {
        funnel = await serviceFunnel(deps, ctx, request.params.code, { ...(period ? { period } : {}), ...(channel ? { channel } : {}) });
      } catch (error) {
        const fields = fieldErrorsOf(error);
        if (!fields) throw error;
        // An unknown period (a changed link): the default period is shown, with the choice to make again.
        funnel = await serviceFunnel(deps, ctx, request.params.code, channel ? { channel } : {});
        return reply.page('services/staff/funnel.njk', { ...funnelView(t, funnel), choices, channel, can: runsService(ctx, funnel.service), ...shownErrors(t, fields) }, { status: 422 });
      }
      return reply.page('services/staff/funnel.njk', { ...funnelView(t, funnel), choices, channel, can: runsService(ctx, funnel.service) });
    },
  );

  // Rating a point of the Digital Service Standard
  app.get<CodeRoute & { Querystring: { point?: string } }>(
    '/:locale/services/:code/assessment/rate',
    { schema: { hide: true, params: codeParams, querystring: Type.Object({ point: Type.Optional(Type.String({ maxLength: 40 })) }) } },
    async (request, reply) => {
      const ctx = contextOf(request);
      const form = await assessmentForm(deps, ctx, request.params.code);
      return reply.page('services/staff/rate.njk', {
        ...form,
        ratings: assessmentRatings,
        can: staffLinks(ctx, form.service),
        values: { pointId: request.query.point, assessedOn: today(kernel.config.timeZone) },
      });
    },
  );

  app.post<CodeRoute>('/:locale/services/:code/assessment/rate', { schema: { hide: true, params: codeParams } }, async (request, reply) => {
    const ctx = contextOf(request);
    const form = await assessmentForm(deps, ctx, request.params.code);
    return handleForm(request, reply, {
      template: 'services/staff/rate.njk',
      data: { ...form, ratings: assessmentRatings, can: staffLinks(ctx, form.service) },
      run: () => assessPoint(deps, ctx, form.service.code, request.body),
      done: () => seeOther(reply, request.locale, `/services/${encodeURIComponent(form.service.code)}/assessment?notice=rated`),
    });
  });

  // Superadmins: the standard's points, and answers to "Did you find what you were looking for?"
  app.get('/:locale/admin/service-standard', { schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
    const points = await standardPoints(deps, contextOf(request));
    return reply.page('services/staff/points.njk', { points, notice: noticeFrom(request, notices.points) });
  });

  app.get('/:locale/admin/service-standard/new', page, async (request, reply) => {
    const points = await standardPoints(deps, contextOf(request));
    return reply.page('services/staff/point-form.njk', { creating: true, values: { position: (points.at(-1)?.position ?? 0) + 1, active: true } });
  });

  app.post('/:locale/admin/service-standard/new', page, async (request, reply) =>
    handleForm(request, reply, {
      template: 'services/staff/point-form.njk',
      data: { creating: true },
      run: () => addStandardPoint(deps, contextOf(request), request.body),
      done: () => seeOther(reply, request.locale, '/admin/service-standard?notice=added'),
    }),
  );

  app.get<{ Params: { id: string } }>('/:locale/admin/service-standard/:id', { schema: { hide: true, params: pointParams } }, async (request, reply) => {
    const point = await standardPoint(deps, contextOf(request), request.params.id);
    return reply.page('services/staff/point-form.njk', {
      point,
      values: { id: point.id, position: point.position, titleEn: point.title.en, titleFr: point.title.fr, descriptionEn: point.description.en, descriptionFr: point.description.fr, active: point.active },
    });
  });

  app.post<{ Params: { id: string } }>('/:locale/admin/service-standard/:id', { schema: { hide: true, params: pointParams } }, async (request, reply) => {
    const point = await standardPoint(deps, contextOf(request), request.params.id);
    return handleForm(request, reply, {
      template: 'services/staff/point-form.njk',
      data: { point },
      values: () => ({ ...((request.body as Record<string, unknown> | undefined) ?? {}), id: point.id }),
      run: () => changeStandardPoint(deps, contextOf(request), point.id, request.body),
      done: () => seeOther(reply, request.locale, '/admin/service-standard?notice=saved'),
    });
  });

  app.get<{ Querystring: Static<typeof pageQuery> }>('/:locale/admin/page-feedback', { schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
    const pageNumber = request.query.page ?? 1;
    const result = await pageFeedbackList(deps, contextOf(request), pageFeedbackPerPage, (pageNumber - 1) * pageFeedbackPerPage);
    // Only plain paths on this site become links (never `//host` or `/\host`, which browsers treat as other sites).
    const items = result.items.map((i) => ({ ...i, href: /^\/[\w-]/.test(i.path) ? i.path : null }));
    return reply.page('services/staff/page-feedback.njk', { ...result, items, pagination: pagination(request.query, pageNumber, result.total, pageFeedbackPerPage) });
  });
}

/** The funnel as the page shows it: step names, shares and times in words, the slowest step, the chart. */
function funnelView(t: Translate, funnel: Awaited<ReturnType<typeof serviceFunnel>>) {
  const named = new Set(['started', 'completed', 'abandoned']);
  const steps = funnel.steps.map((s) => ({
    ...s,
    label: named.has(s.step) ? t(`services.staff.funnel.steps.${s.step}`) : s.step,
    conversionText: percent(t, s.conversion),
    medianText: duration(t, s.medianSeconds),
    p90Text: duration(t, s.p90Seconds),
  }));
  const slowest = steps.find((s) => s.slowest) ?? null;
  const chart = barChart({
    categories: steps.map((s) => s.label),
    series: [{ id: 'reached', label: t('services.staff.funnel.reachedShare'), values: steps.map((s) => (s.conversion === null ? null : Math.round(s.conversion * 1000) / 10)) }],
    format: 'percent',
  });
  const completedText = steps.find((s) => s.step === 'completed')?.conversionText ?? percent(t, 0);
  return { service: funnel.service, period: funnel.period, started: funnel.started, steps, slowest, chart, completedText, channelChoices: channels };
}
