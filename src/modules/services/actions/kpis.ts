import { costTotals, eventTotals, ratingTotals, reportedTotals, standardTotals, type Range, type Scope } from '../data/figures.js';
import { channels, type Channel, type StandardType } from '../schema.js';
import type { DataSource, Figures, Kpis, PeriodView, Satisfaction, StandardPerformance } from '../types.js';
import { trendMonths } from './periods.js';

/** Below this many responses in a period the satisfaction figure is not shown (too noisy). */
export const minimumResponses = 17;

/** The satisfaction KPI from the five counts (index 0 = very dissatisfied … 4 = very satisfied). */
export function satisfactionOf(counts: [number, number, number, number, number]): Satisfaction {
  const responses = counts.reduce((a, b) => a + b, 0);
  const enough = responses >= minimumResponses;
  const mean = responses ? counts.reduce((sum, n, i) => sum + n * (i + 1), 0) / responses : null;
  return {
    responses,
    counts,
    enough,
    normalisedMean: enough && mean !== null ? (mean - 1) / 4 : null,
    satisfiedShare: enough ? (counts[3] + counts[4]) / responses : null,
  };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** The raw rows of every range, for `figuresFor` to pick from. */
export interface Totals {
  events: Awaited<ReturnType<typeof eventTotals>>;
  reported: Awaited<ReturnType<typeof reportedTotals>>;
  costs: Awaited<ReturnType<typeof costTotals>>;
  ratings: Awaited<ReturnType<typeof ratingTotals>>;
}

export async function totals(db: Parameters<typeof eventTotals>[0], scope: Scope, ranges: Range[], channel?: Channel, byService = false): Promise<Totals> {
  const [events, reported, costs, ratings] = await Promise.all([
    eventTotals(db, scope, ranges, channel, byService),
    reportedTotals(db, scope, ranges, channel, byService),
    costTotals(db, scope, ranges, channel, byService),
    ratingTotals(db, scope, ranges, byService),
  ]);
  return { events, reported, costs, ratings };
}

/** The totals of one service out of totals taken per service. */
export function totalsOf(t: Totals, serviceId: string): Totals {
  return {
    events: t.events.filter((r) => r.serviceId === serviceId),
    reported: t.reported.filter((r) => r.serviceId === serviceId),
    costs: t.costs.filter((r) => r.serviceId === serviceId),
    ratings: t.ratings.filter((r) => r.serviceId === serviceId),
  };
}

/** Adds up events and periodic counts of one range into the figures the KPIs are made of. */
export function figuresFor(t: Totals, range: number): Figures {
  const events = t.events.filter((r) => r.range === range);
  const reported = t.reported.filter((r) => r.range === range);
  const costs = t.costs.filter((r) => r.range === range);
  const byChannel = channels
    .map((channel) => {
      const e = events.find((r) => r.channel === channel);
      const c = reported.find((r) => r.channel === channel);
      const cost = costs.find((r) => r.channel === channel);
      return {
        channel,
        started: (e?.started ?? 0) + (c?.started ?? 0),
        completed: (e?.completed ?? 0) + (c?.completed ?? 0),
        cost: cost ? cost.amount : null,
        missing: !e && c && c.completed === null ? c.missing : null,
      };
    })
    .filter((c, i) => c.started || c.completed || c.cost !== null || c.missing || events.some((e) => e.channel === channels[i]) || reported.some((r) => r.channel === channels[i]));
  const sum = (pick: (r: (typeof events)[number]) => number) => events.reduce((s, r) => s + pick(r), 0);
  const counts = [1, 2, 3, 4, 5].map((rating) => t.ratings.find((r) => r.range === range && r.rating === rating)?.responses ?? 0) as Satisfaction['counts'];
  const hasEvents = events.some((r) => r.started || r.completed || r.abandoned);
  const hasCounts = reported.some((r) => r.started !== null || r.completed !== null);
  const source: DataSource = hasEvents && hasCounts ? 'both' : hasEvents ? 'events' : hasCounts ? 'counts' : 'none';
  // Outcomes reported as counts are not known: they count as "other".
  const reportedCompleted = reported.reduce((s, r) => s + (r.completed ?? 0), 0);
  return {
    started: byChannel.reduce((s, c) => s + c.started, 0),
    completed: byChannel.reduce((s, c) => s + c.completed, 0),
    outcomes: { approved: sum((r) => r.approved), denied: sum((r) => r.denied), ineligible: sum((r) => r.ineligible), other: sum((r) => r.other) + reportedCompleted },
    abandoned: sum((r) => r.abandoned),
    completedOnline: byChannel.find((c) => c.channel === 'online')?.completed ?? 0,
    byChannel,
    cost: costs.length ? costs.reduce((s, c) => s + c.amount, 0) : null,
    source,
    satisfaction: satisfactionOf(counts),
  };
}

/**
 * The KPIs from the figures. Completion rate only counts periods that have starts (services that
 * report completions only have none); digital take-up is meaningless within one channel.
 */
export function kpisOf(figures: Figures, channel: Channel | null): Pick<Kpis, 'costPerTransaction' | 'digitalTakeUp' | 'completionRate' | 'satisfaction'> {
  return {
    costPerTransaction: figures.cost === null ? null : ratio(figures.cost, figures.completed),
    digitalTakeUp: channel ? null : ratio(figures.completedOnline, figures.completed),
    completionRate: figures.started > 0 ? ratio(figures.completed, figures.started) : null,
    satisfaction: figures.satisfaction,
  };
}

function standardOf(row: Awaited<ReturnType<typeof standardTotals>>[number]): StandardPerformance {
  const target = row.target === null ? null : Number(row.target);
  const meeting = row.meeting === null ? null : Number(row.meeting);
  const total = row.total === null ? null : Number(row.total);
  const performance = meeting !== null && total ? meeting / total : null;
  return {
    id: row.id,
    serviceCode: row.serviceCode,
    name: row.name,
    type: row.type as StandardType,
    channel: row.channel,
    target,
    volumeMeetingTarget: meeting,
    totalVolume: total,
    performance,
    met: performance === null || target === null ? null : performance >= target,
  };
}

export interface KpiTrend {
  month: string;
  costPerTransaction: number | null;
  digitalTakeUp: number | null;
  completionRate: number | null;
  satisfiedShare: number | null;
  completed: number;
  started: number;
  responses: number;
}

export interface KpiReport extends Kpis {
  trend: KpiTrend[];
}

/** The KPIs of a scope for a period, and the monthly trend of the 12 months ending with it. */
export async function kpiReport(db: Parameters<typeof eventTotals>[0], scope: Scope, period: PeriodView, channel: Channel | null, withStandards: boolean): Promise<KpiReport> {
  const months = trendMonths(period);
  const ranges = [{ start: period.start, end: period.end }, ...months.map((m) => m.range)];
  const [t, standards] = await Promise.all([
    totals(db, scope, ranges, channel ?? undefined),
    withStandards ? standardTotals(db, scope, ranges[0]!, channel ?? undefined) : Promise.resolve([]),
  ]);
  const figures = figuresFor(t, 0);
  return {
    period,
    channel,
    figures,
    ...kpisOf(figures, channel),
    standards: standards.map(standardOf),
    trend: months.map((m, i) => {
      const f = figuresFor(t, i + 1);
      const k = kpisOf(f, channel);
      return {
        month: m.month,
        costPerTransaction: k.costPerTransaction,
        digitalTakeUp: k.digitalTakeUp,
        completionRate: k.completionRate,
        satisfiedShare: k.satisfaction.satisfiedShare,
        completed: f.completed,
        started: f.started,
        responses: f.satisfaction.responses,
      };
    }),
  };
}

/** The figures as flat rows for CSV and open data (one row per KPI, with its inputs). */
export function kpiRows(report: KpiReport, scopeLabel: string): Array<Record<string, string | number | null>> {
  const f = report.figures;
  return [
    { scope: scopeLabel, period: report.period.code, start: report.period.start, end: report.period.end, channel: report.channel ?? 'all', kpi: 'cost_per_transaction', value: report.costPerTransaction, numerator: f.cost, denominator: f.completed, source: f.source },
    { scope: scopeLabel, period: report.period.code, start: report.period.start, end: report.period.end, channel: report.channel ?? 'all', kpi: 'digital_take_up', value: report.digitalTakeUp, numerator: f.completedOnline, denominator: f.completed, source: f.source },
    { scope: scopeLabel, period: report.period.code, start: report.period.start, end: report.period.end, channel: report.channel ?? 'all', kpi: 'completion_rate', value: report.completionRate, numerator: f.completed, denominator: f.started, source: f.source },
    { scope: scopeLabel, period: report.period.code, start: report.period.start, end: report.period.end, channel: report.channel ?? 'all', kpi: 'user_satisfaction_normalised_mean', value: report.satisfaction.normalisedMean, numerator: null, denominator: report.satisfaction.responses, source: 'feedback' },
    { scope: scopeLabel, period: report.period.code, start: report.period.start, end: report.period.end, channel: report.channel ?? 'all', kpi: 'user_satisfaction_share_satisfied', value: report.satisfaction.satisfiedShare, numerator: report.satisfaction.enough ? report.satisfaction.counts[3] + report.satisfaction.counts[4] : null, denominator: report.satisfaction.responses, source: 'feedback' },
    ...report.standards.map((s) => ({ scope: `${scopeLabel}/${s.serviceCode}`, period: report.period.code, start: report.period.start, end: report.period.end, channel: s.channel ?? 'all', kpi: `standard:${s.name.en}`, value: s.performance, numerator: s.volumeMeetingTarget, denominator: s.totalVolume, source: 'counts' })),
  ];
}
