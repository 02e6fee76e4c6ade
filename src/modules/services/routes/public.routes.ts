import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { Conflict, InputError, NotFound } from '../../../kernel/errors/index.js';
import { contextOf, handleForm, noticeFrom, pagination, seeOther, shownErrors } from '../../../kernel/http/pages.js';
import { pickText, type Bilingual, type Locale, type Translate } from '../../../kernel/i18n/index.js';
import { barChart, lineChart } from '../../../kernel/views/charts.js';
import { serviceAssessment } from '../actions/assessment.js';
import { dashboard, type Dashboard, type DashboardScope } from '../actions/dashboard.js';
import type { ServicesDeps } from '../actions/deps.js';
import { giveFeedback, givePageFeedback, improvementsOf, prepareFeedback } from '../actions/feedback.js';
import { minimumResponses } from '../actions/kpis.js';
import { findServices, getService, runsService } from '../actions/services.js';
import { channels, clientTypes, onlinePoints, serviceTypes, type Channel } from '../schema.js';
import type { PeriodView, Service } from '../types.js';

const perPage = 20;
const codeParams = Type.Object({ locale: Type.String(), code: Type.String({ maxLength: 40 }) });
const slugParams = Type.Object({ locale: Type.String(), slug: Type.String({ maxLength: 100 }) });
type CodeRoute = { Params: { code: string } };

/**
 * The page filters are read leniently: an empty choice ("All channels") arrives as an empty
 * string, and an unknown value is simply not applied, rather than failing the whole page.
 */
const inventoryQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  organization: Type.Optional(Type.String({ maxLength: 100 })),
  channel: Type.Optional(Type.String({ maxLength: 20 })),
  type: Type.Optional(Type.String({ maxLength: 20 })),
  online: Type.Optional(Type.String({ maxLength: 5 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
});
const dashboardQuery = Type.Object({
  period: Type.Optional(Type.String({ maxLength: 20 })),
  channel: Type.Optional(Type.String({ maxLength: 20 })),
});
const feedbackQuery = Type.Object({ ref: Type.Optional(Type.String({ maxLength: 200 })) });
const pageFeedbackQuery = Type.Object({ path: Type.Optional(Type.String({ maxLength: 500 })) });
type InventoryQuery = Static<typeof inventoryQuery>;
type DashboardQuery = Static<typeof dashboardQuery>;

const isChannel = (value: string | undefined): value is Channel => !!value && (channels as readonly string[]).includes(value);

/** Numbers as the dashboard shows them, in the page's language (cached: formatters are costly to build). */
interface Formats {
  money(value: number): string;
  percent(share: number): string;
  score(value: number): string;
  count(value: number): string;
  month(y: number, m: number): string;
  shortMonth(y: number, m: number): string;
  monthName(m: number): string;
}

function makeFormats(locale: Locale): Formats {
  const tag = locale === 'fr' ? 'fr-CA' : 'en-CA';
  const money = new Intl.NumberFormat(tag, { style: 'currency', currency: 'CAD' });
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
  const score = new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const count = new Intl.NumberFormat(tag);
  const month = new Intl.DateTimeFormat(tag, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const shortMonth = new Intl.DateTimeFormat(tag, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const monthName = new Intl.DateTimeFormat(tag, { month: 'long', timeZone: 'UTC' });
  const at = (y: number, m: number) => new Date(Date.UTC(y, m - 1, 1));
  return {
    money: (v) => money.format(v),
    percent: (v) => percent.format(v),
    score: (v) => score.format(v),
    count: (v) => count.format(v),
    month: (y, m) => month.format(at(y, m)),
    shortMonth: (y, m) => shortMonth.format(at(y, m)),
    monthName: (m) => monthName.format(at(2000, m)),
  };
}

const formats: Record<Locale, Formats> = { en: makeFormats('en'), fr: makeFormats('fr') };
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const yearMonth = (code: string) => code.split('-').map(Number) as [number, number];
/** A share (0–1) as a chart value in percent, to one decimal; null stays null (no data). */
const percentValue = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);

/** A period in plain words: "Last 12 months", "October 2026", "July to September 2026", "Fiscal year 2025–26". */
export function periodLabel(period: Pick<PeriodView, 'code' | 'kind'>, t: Translate, locale: Locale): string {
  const f = formats[locale];
  switch (period.kind) {
    case 'rolling12':
      return t('services.public.periods.rolling12');
    case 'month':
      return capitalise(f.month(...yearMonth(period.code)));
    case 'quarter': {
      const [year, quarter] = period.code.split('-Q').map(Number) as [number, number];
      return t('services.public.periods.quarter', { from: capitalise(f.monthName(quarter * 3 - 2)), to: f.monthName(quarter * 3), year: String(year) });
    }
    case 'fiscal_year': {
      const start = Number(period.code.slice(2, 6));
      return t('services.public.periods.fiscalYear', { years: locale === 'fr' ? `${start}-${start + 1}` : `${start}–${String(start + 1).slice(2)}` });
    }
  }
}

/** The four KPI tiles: each value in words, with what it is calculated from. */
function kpiTiles(d: Dashboard, t: Translate, f: Formats) {
  const r = d.report;
  const fig = r.figures;
  const s = r.satisfaction;
  const noData = t('services.public.kpis.noData');
  const satisfactionDetails = [t('services.public.kpis.responses', { count: s.responses })];
  if (s.enough) satisfactionDetails.unshift(t('services.public.kpis.satisfiedDetail', { satisfied: f.count(s.counts[3] + s.counts[4]), responses: f.count(s.responses) }));
  return [
    {
      id: 'cost',
      title: t('services.public.kpis.cost'),
      value: r.costPerTransaction === null ? null : f.money(r.costPerTransaction),
      note: r.costPerTransaction === null ? noData : null,
      details: [fig.cost === null ? t('services.public.kpis.noCost') : t('services.public.kpis.costDetail', { cost: f.money(fig.cost), completed: f.count(fig.completed) })],
    },
    {
      id: 'satisfaction',
      title: t('services.public.kpis.satisfaction'),
      value: s.satisfiedShare === null ? null : f.percent(s.satisfiedShare),
      unit: s.satisfiedShare === null ? null : t('services.public.kpis.satisfied'),
      secondary: s.normalisedMean === null ? null : t('services.public.kpis.mean', { score: f.score(s.normalisedMean) }),
      note: s.responses === 0 ? noData : s.enough ? null : t('services.public.kpis.notEnough', { minimum: minimumResponses }),
      details: satisfactionDetails,
    },
    {
      id: 'completion',
      title: t('services.public.kpis.completion'),
      value: r.completionRate === null ? null : f.percent(r.completionRate),
      note: r.completionRate === null ? noData : null,
      details: [t('services.public.kpis.completionDetail', { completed: f.count(fig.completed), started: f.count(fig.started) })],
    },
    {
      id: 'take-up',
      title: t('services.public.kpis.takeUp'),
      value: r.digitalTakeUp === null ? null : f.percent(r.digitalTakeUp),
      note: r.channel ? t('services.public.kpis.oneChannel') : r.digitalTakeUp === null ? noData : null,
      details: r.channel ? [] : [t('services.public.kpis.takeUpDetail', { online: f.count(fig.completedOnline), completed: f.count(fig.completed) })],
    },
  ];
}

/** Completed transactions per channel as bars; a channel reported as "no data" or "not applicable" has no bar, never a zero. */
function channelChart(d: Dashboard, t: Translate, f: Formats) {
  const rows = d.report.figures.byChannel;
  const label = (c: (typeof rows)[number]) => {
    const name = t(`services.public.channels.${c.channel}`);
    if (c.missing === 'no_data') return t('services.public.dashboard.noDataChannel', { channel: name });
    if (c.missing === 'not_applicable') return t('services.public.dashboard.notApplicableChannel', { channel: name });
    return name;
  };
  const chart = barChart({
    categories: rows.map(label),
    series: [{ id: 'completed', label: t('services.public.dashboard.completedSeries'), values: rows.map((c) => (c.missing ? null : c.completed)) }],
  });
  const top = [...rows].filter((c) => !c.missing).sort((a, b) => b.completed - a.completed)[0];
  const completed = d.report.figures.completed;
  const summary =
    top && completed > 0
      ? t('services.public.dashboard.byChannelSummary', { completed: f.count(completed), channel: t(`services.public.channels.${top.channel}`), top: f.count(top.completed) })
      : t('services.public.dashboard.byChannelEmpty');
  return { chart, summary };
}

/** The 12 months of the trend as line and bar charts, each with a one-sentence summary. */
function trendCharts(d: Dashboard, t: Translate, f: Formats) {
  const trend = d.report.trend;
  const categories = trend.map((m) => f.shortMonth(...yearMonth(m.month)));
  const from = f.month(...yearMonth(trend[0]!.month));
  const to = f.month(...yearMonth(trend[trend.length - 1]!.month));
  const last = trend[trend.length - 1]!;
  const lastLabel = f.month(...yearMonth(last.month));
  const noData = t('services.public.kpis.noData').toLowerCase();
  const pct = (share: number | null) => (share === null ? noData : f.percent(share));
  const withTakeUp = !d.report.channel;

  const rates = lineChart({
    categories,
    format: 'percent',
    series: [
      { id: 'completion', label: t('services.public.kpis.completion'), values: trend.map((m) => percentValue(m.completionRate)) },
      ...(withTakeUp ? [{ id: 'take-up', label: t('services.public.kpis.takeUp'), values: trend.map((m) => percentValue(m.digitalTakeUp)) }] : []),
      { id: 'satisfied', label: t('services.public.dashboard.satisfiedSeries'), values: trend.map((m) => percentValue(m.satisfiedShare)) },
    ],
  });
  const cost = lineChart({
    categories,
    series: [{ id: 'cost', label: t('services.public.kpis.cost'), values: trend.map((m) => (m.costPerTransaction === null ? null : Math.round(m.costPerTransaction * 100) / 100)) }],
  });
  const volume = barChart({ categories, series: [{ id: 'completed', label: t('services.public.dashboard.completedSeries'), values: trend.map((m) => m.completed) }] });
  const total = trend.reduce((s, m) => s + m.completed, 0);
  const busiest = [...trend].sort((a, b) => b.completed - a.completed)[0]!;
  return {
    rates: {
      chart: rates,
      summary: t('services.public.dashboard.ratesSummary', {
        from,
        to,
        last: lastLabel,
        completion: pct(last.completionRate),
        takeUp: withTakeUp ? pct(last.digitalTakeUp) : noData,
        satisfied: pct(last.satisfiedShare),
      }),
    },
    cost: {
      chart: cost,
      summary: t('services.public.dashboard.costSummary', { from, to, last: lastLabel, cost: last.costPerTransaction === null ? noData : f.money(last.costPerTransaction) }),
    },
    volume: {
      chart: volume,
      summary:
        total > 0
          ? t('services.public.dashboard.volumeSummary', { total: f.count(total), from, to, month: f.month(...yearMonth(busiest.month)), count: f.count(busiest.completed) })
          : t('services.public.dashboard.volumeEmpty', { from, to }),
    },
  };
}

/** Where the same figures can be downloaded, with the page's period and channel. */
function downloadLinks(d: Dashboard) {
  const base = d.service ? `/api/v1/services/${encodeURIComponent(d.service.code)}/kpis` : d.organization ? `/api/v1/organizations/${encodeURIComponent(d.organization.slug)}/service-kpis` : '/api/v1/service-kpis';
  const params = new URLSearchParams({ period: d.report.period.code });
  if (d.report.channel) params.set('channel', d.report.channel);
  return { csv: `${base}.csv?${params}`, json: `${base}?${params}` };
}

/** Everything a dashboard page (or a service page's tiles) shows, worded in the page's language. */
function dashboardView(request: FastifyRequest, d: Dashboard) {
  const locale = request.locale;
  const t = request.t;
  const f = formats[locale];
  const r = d.report;
  const s = r.satisfaction;
  return {
    d,
    periodLabel: periodLabel(r.period, t, locale),
    periodItems: d.periods.map((p) => ({ value: p.code, text: periodLabel(p, t, locale), selected: p.code === r.period.code })),
    channelItems: [
      { value: '', text: t('services.public.dashboard.anyChannel'), selected: !r.channel },
      ...d.channels.map((c) => ({ value: c, text: t(`services.public.channels.${c}`), selected: c === r.channel })),
    ],
    tiles: kpiTiles(d, t, f),
    answers: [5, 4, 3, 2, 1].map((rating) => ({ rating, count: f.count(s.counts[rating - 1]!) })),
    responses: f.count(s.responses),
    byChannel: channelChart(d, t, f),
    trends: trendCharts(d, t, f),
    standards: r.standards.map((st) => ({
      ...st,
      targetText: st.target === null ? null : f.percent(st.target),
      performanceText: st.performance === null ? null : f.percent(st.performance),
      volumeText: st.volumeMeetingTarget === null || st.totalVolume === null ? null : t('services.public.dashboard.volumeMet', { meeting: f.count(st.volumeMeetingTarget), total: f.count(st.totalVolume) }),
    })),
    breakdown: d.breakdown.map((b) => ({ ...b, completedText: f.count(b.completed) })),
    downloads: downloadLinks(d),
  };
}

/** Only a path on this site may be returned to (no open redirect through the feedback form). */
function safePath(value: unknown, locale: Locale): string {
  const path = typeof value === 'string' ? value.split(/[?#]/)[0]! : '';
  return /^\/(?![/\\])/.test(path) && !/[\s\\]/.test(path) ? path : `/${locale}/`;
}

/** A service's own web address in the page's language (or the other), if it is one a link may go to. */
function webAddress(url: Bilingual | null, locale: Locale): { href: string; lang: Locale } | null {
  const { text, lang } = pickText(url, locale);
  return /^https?:\/\//i.test(text) ? { href: text, lang } : null;
}

/** Where the thank-you page sends people back: the service's own address in the page's language, or its page here. */
function serviceHome(service: Service, locale: Locale): string {
  const own = webAddress(service.url, locale);
  return own && own.lang === locale ? own.href : `/${locale}/services/${encodeURIComponent(service.code)}`;
}

/**
 * Confirmations the public pages show after a staff form sends people there (`?notice=created`):
 * the service page (created, updated), "you said, we did" (published) and the assessment (rated).
 */
const noticesForPublicPages = {
  service: { created: 'services.staff.notice.created', updated: 'services.staff.notice.updated' },
  improvements: { published: 'services.staff.notice.published' },
  assessment: { rated: 'services.staff.notice.rated' },
} as const;

/** Public pages: the inventory, each service, the KPI dashboards, the methodology and feedback. */
export function publicRoutes(app: FastifyInstance, deps: ServicesDeps): void {
  // The inventory
  app.get<{ Querystring: InventoryQuery }>('/:locale/services', { schema: { hide: true, querystring: inventoryQuery } }, async (request, reply) => {
    const q = request.query;
    const pageNumber = q.page ?? 1;
    const channel = isChannel(q.channel) ? q.channel : undefined;
    const type = q.type && (serviceTypes as readonly string[]).includes(q.type) ? q.type : undefined;
    const online = q.online === 'yes';
    const query = { q: q.q?.trim() || undefined, organization: q.organization || undefined, channel, type, online: online ? 'yes' : undefined };
    const [result, organizations] = await Promise.all([
      findServices(
        deps,
        { ...(query.q ? { q: query.q } : {}), ...(query.organization ? { organization: query.organization } : {}), ...(channel ? { channel } : {}), ...(type ? { type } : {}), ...(online ? { online } : {}), locale: request.locale },
        perPage,
        (pageNumber - 1) * perPage,
      ),
      deps.identity.listOrganizations(),
    ]);
    const t = request.t;
    return reply.page('services/services.njk', {
      ...result,
      canAdd: request.actor.superadmin || request.actor.memberships.some((m) => m.role === 'editor' || m.role === 'admin'),
      query,
      filtered: Object.values(query).some(Boolean),
      organizationItems: [
        { value: '', text: t('services.public.inventory.anyOrganization') },
        ...organizations
          .map((o) => ({ value: o.slug, text: pickText(o.name, request.locale).text, selected: o.slug === query.organization || o.id === query.organization }))
          .sort((a, b) => a.text.localeCompare(b.text, request.locale)),
      ],
      channelItems: [{ value: '', text: t('services.public.inventory.anyChannel') }, ...channels.map((c) => ({ value: c, text: t(`services.public.channels.${c}`), selected: c === channel }))],
      typeItems: [{ value: '', text: t('services.public.inventory.anyType') }, ...serviceTypes.map((s) => ({ value: s, text: t(`services.public.serviceTypes.${s}`), selected: s === type }))],
      pagination: pagination(query, pageNumber, result.total, perPage),
    });
  });

  // Dashboards: every service, one organization's, one service's
  const dashboardPage = async (request: FastifyRequest<{ Querystring: DashboardQuery }>, reply: FastifyReply, scope: DashboardScope) => {
    const { period, channel } = request.query;
    try {
      const d = await dashboard(deps, scope, { ...(period ? { period } : {}), ...(channel ? { channel } : {}) });
      return reply.page('services/dashboard.njk', dashboardView(request, d));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      // A period or channel that is not offered (a changed link): the default figures, with the choice to make again.
      const d = await dashboard(deps, scope, {});
      return reply.page('services/dashboard.njk', { ...dashboardView(request, d), ...shownErrors(request.t, error.fields) }, { status: 422 });
    }
  };
  app.get<{ Querystring: DashboardQuery }>('/:locale/services/dashboard', { schema: { hide: true, querystring: dashboardQuery } }, async (request, reply) =>
    dashboardPage(request, reply, { kind: 'all' }),
  );
  app.get<{ Params: { slug: string }; Querystring: DashboardQuery }>(
    '/:locale/services/dashboard/organizations/:slug',
    { schema: { hide: true, params: slugParams, querystring: dashboardQuery } },
    async (request, reply) => dashboardPage(request, reply, { kind: 'organization', organization: request.params.slug }),
  );
  app.get<CodeRoute & { Querystring: DashboardQuery }>('/:locale/services/:code/performance', { schema: { hide: true, params: codeParams, querystring: dashboardQuery } }, async (request, reply) =>
    dashboardPage(request, reply, { kind: 'service', service: request.params.code }),
  );

  app.get('/:locale/services/methodology', { schema: { hide: true } }, async (_request, reply) =>
    reply.page('services/methodology.njk', { minimum: minimumResponses, timeZone: deps.kernel.config.timeZone }),
  );

  // One service
  app.get<CodeRoute>('/:locale/services/:code', { schema: { hide: true, params: codeParams } }, async (request, reply) => {
    const ctx = contextOf(request);
    const service = await getService(deps, request.params.code);
    const [d, improvements, assessment] = await Promise.all([
      dashboard(deps, { kind: 'service', service: service.id }, {}),
      improvementsOf(deps, service.id),
      serviceAssessment(deps, ctx, service.id),
    ]);
    return reply.page('services/service.njk', {
      notice: noticeFrom(request, noticesForPublicPages.service),
      service,
      tiles: kpiTiles(d, request.t, formats[request.locale]),
      periodLabel: periodLabel(d.report.period, request.t, request.locale),
      improvements: improvements.items.slice(0, 3),
      assessmentSummary: assessment.summary,
      runs: runsService(ctx, { organizationId: service.organization.id }),
      serviceTypes: service.serviceTypes.filter((c) => (serviceTypes as readonly string[]).includes(c)),
      clientTypes: service.clientTypes.filter((c) => (clientTypes as readonly string[]).includes(c)),
      onlinePoints,
      serviceUrl: webAddress(service.url, request.locale),
    });
  });

  app.get<CodeRoute>('/:locale/services/:code/you-said-we-did', { schema: { hide: true, params: codeParams } }, async (request, reply) =>
    reply.page('services/improvements.njk', { ...(await improvementsOf(deps, request.params.code)), notice: noticeFrom(request, noticesForPublicPages.improvements) }),
  );

  app.get<CodeRoute>('/:locale/services/:code/assessment', { schema: { hide: true, params: codeParams } }, async (request, reply) =>
    reply.page('services/assessment.njk', { ...(await serviceAssessment(deps, contextOf(request), request.params.code)), notice: noticeFrom(request, noticesForPublicPages.assessment) }),
  );

  // Feedback right after a transaction
  /** The unknown- and used-reference pages: clear words rather than an error page. */
  const feedbackProblem = async (reply: FastifyReply, error: unknown, code: string) => {
    const problem =
      error instanceof NotFound && error.messageKey === 'services.feedback.errors.ref.unknown' ? 'unknown' : error instanceof Conflict && error.messageKey === 'services.feedback.errors.ref.used' ? 'used' : null;
    if (!problem) throw error;
    const service = await getService(deps, code);
    return reply.page('services/feedback-problem.njk', { service, problem, serviceHome: serviceHome(service, reply.request.locale) }, { status: problem === 'unknown' ? 404 : 409 });
  };

  app.get<CodeRoute & { Querystring: Static<typeof feedbackQuery> }>(
    '/:locale/feedback/:code',
    { schema: { hide: true, params: codeParams, querystring: feedbackQuery } },
    async (request, reply) => {
      try {
        const { service, reference } = await prepareFeedback(deps, request.params.code, request.query.ref);
        return reply.page('services/feedback-form.njk', { service, values: { ref: reference ?? '' } });
      } catch (error) {
        return feedbackProblem(reply, error, request.params.code);
      }
    },
  );

  app.post<CodeRoute>('/:locale/feedback/:code', { schema: { hide: true, params: codeParams } }, async (request, reply) => {
    const service = await getService(deps, request.params.code);
    try {
      return await handleForm(request, reply, {
        template: 'services/feedback-form.njk',
        data: { service },
        rateLimitField: 'satisfaction',
        run: () => giveFeedback(deps, { ...contextOf(request), locale: request.locale }, service.code, request.body),
        done: () => seeOther(reply, request.locale, `/feedback/${encodeURIComponent(service.code)}/thanks`),
      });
    } catch (error) {
      return feedbackProblem(reply, error, service.code);
    }
  });

  app.get<CodeRoute>('/:locale/feedback/:code/thanks', { schema: { hide: true, params: codeParams } }, async (request, reply) => {
    const service = await getService(deps, request.params.code);
    return reply.page('services/feedback-thanks.njk', { service, serviceHome: serviceHome(service, request.locale) });
  });

  // "Did you find what you were looking for?" (the form at the bottom of every page)
  app.post('/:locale/page-feedback', { schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const path = safePath(body['path'], request.locale);
    // "No" from the footer first asks what the person was looking for; the answer is stored once, with the comment.
    if (body['found'] === 'no' && body['step'] !== 'comment') return seeOther(reply, request.locale, `/page-feedback?path=${encodeURIComponent(path)}`);
    return handleForm(request, reply, {
      template: 'services/page-feedback.njk',
      data: { path },
      rateLimitField: 'comment',
      run: () => givePageFeedback(deps, { ...contextOf(request), locale: request.locale }, { ...body, path }),
      done: (result) =>
        result.found
          ? reply.redirect(`${path}?feedback=thanks#page-feedback`, 303)
          : seeOther(reply, request.locale, `/page-feedback/thanks?path=${encodeURIComponent(path)}`),
    });
  });

  app.get<{ Querystring: Static<typeof pageFeedbackQuery> }>('/:locale/page-feedback', { schema: { hide: true, querystring: pageFeedbackQuery } }, async (request, reply) =>
    reply.page('services/page-feedback.njk', { path: safePath(request.query.path, request.locale), values: {} }),
  );

  app.get<{ Querystring: Static<typeof pageFeedbackQuery> }>('/:locale/page-feedback/thanks', { schema: { hide: true, querystring: pageFeedbackQuery } }, async (request, reply) =>
    reply.page('services/page-feedback-thanks.njk', { path: safePath(request.query.path, request.locale) }),
  );
}
