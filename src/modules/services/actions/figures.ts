import { parse as parseCsv } from 'csv-parse/sync';
import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { authorize } from '../../../kernel/auth/policy.js';
import { InputError, NotFound, type FieldError } from '../../../kernel/errors/index.js';
import type { Bilingual } from '../../../kernel/i18n/index.js';
import { servicesEvents } from '../audit.js';
import { funnelSteps, type StepFigures } from '../data/events.js';
import { costsOf, countReportsOf, findStandard, insertStandard, standardResultsOf, standardsOf, upsertCost, upsertCountReports, upsertStandardResults } from '../data/reports.js';
import type { ServiceRow } from '../data/services.js';
import { costInput, countsInput, standardInput, standardResultInput } from '../inputs/figures.input.js';
import { servicesPermissions } from '../policies/index.js';
import type { Channel, MissingReason, StandardType } from '../schema.js';
import type { ServicesDeps } from './deps.js';
import { parsePeriod } from './periods.js';
import { existingService } from './services.js';

/** A period's end may not come before its start. */
function checkPeriod(start: string, end: string, index?: number): FieldError[] {
  return end < start ? [{ field: 'periodEnd', rule: 'minimum', messageKey: 'services.figures.errors.periodEnd.beforeStart', ...(index === undefined ? {} : { index }) }] : [];
}

type CountsValues = ReturnType<typeof countsInput.parse>;

/** A count left empty needs a reason, so "no data" is never mistaken for zero. */
function checkCounts(input: CountsValues, index?: number): FieldError[] {
  const problems = checkPeriod(input.periodStart, input.periodEnd, index);
  if (input.started === undefined && input.completed === undefined && !input.missing) {
    problems.push({ field: 'completed', rule: 'required', messageKey: 'services.figures.errors.completed.required', ...(index === undefined ? {} : { index }) });
  }
  return problems;
}

async function runnable(deps: ServicesDeps, ctx: ActionContext, codeOrId: string): Promise<ServiceRow> {
  const service = await existingService(deps, codeOrId);
  authorize(ctx.actor, servicesPermissions.reportFigures, service);
  return service;
}

async function storeCounts(deps: ServicesDeps, ctx: ActionContext, service: ServiceRow, items: CountsValues[], source: string): Promise<number> {
  await deps.kernel.database.transaction(async (tx) => {
    await upsertCountReports(
      tx,
      items.map((c) => ({
        serviceId: service.id,
        periodStart: c.periodStart,
        periodEnd: c.periodEnd,
        channel: c.channel,
        started: c.started ?? null,
        completed: c.completed ?? null,
        missing: c.started === undefined && c.completed === undefined ? (c.missing ?? 'no_data') : null,
        source,
        reportedBy: ctx.actor.accountId,
      })),
    );
    await record(tx, ctx, { action: servicesEvents.countsReported, organizationId: service.organizationId, targetType: 'service', targetId: service.id, details: { rows: items.length, source } });
  });
  deps.dashboards.changed();
  return items.length;
}

/** Staff report counts for one period and channel (services that cannot send events). */
export async function reportCounts(deps: ServicesDeps, ctx: ActionContext, codeOrId: string, raw: unknown): Promise<number> {
  const service = await runnable(deps, ctx, codeOrId);
  const input = countsInput.parse(raw);
  const problems = checkCounts(input);
  if (problems.length) throw new InputError(problems);
  return storeCounts(deps, ctx, service, [input], 'form');
}

/** The columns of a counts file; `ND` or `NA` in a count column means no data or not applicable. */
export const countsCsvColumns = ['period_start', 'period_end', 'channel', 'started', 'completed'] as const;

/**
 * Staff upload counts as CSV. Every row is checked; a file with any bad row stores nothing and
 * each problem names its row (`index` 0 is the first data row) and column.
 */
export async function uploadCounts(deps: ServicesDeps, ctx: ActionContext, codeOrId: string, csv: string | Buffer): Promise<number> {
  const service = await runnable(deps, ctx, codeOrId);
  let records: Array<Record<string, string>>;
  try {
    records = parseCsv(csv, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), bom: true, skip_empty_lines: true, trim: true });
  } catch {
    throw InputError.field('file', 'invalid', 'services.figures.errors.file.unreadable');
  }
  if (records.length === 0) throw InputError.field('file', 'required', 'services.figures.errors.file.empty');
  const missingColumns = ['period_start', 'period_end', 'channel'].filter((c) => !(c in records[0]!));
  if (missingColumns.length) throw InputError.field('file', 'invalid', 'services.figures.errors.file.columns', { columns: countsCsvColumns.join(', ') });
  const problems: FieldError[] = [];
  const items: CountsValues[] = [];
  records.forEach((r, index) => {
    const missing = (['started', 'completed'] as const).map((c) => r[c]?.toUpperCase()).find((v) => v === 'ND' || v === 'NA');
    const value = (c: 'started' | 'completed') => (/^(ND|NA)$/i.test(r[c] ?? '') ? undefined : r[c]);
    try {
      const parsed = countsInput.parse({
        periodStart: r['period_start'],
        periodEnd: r['period_end'],
        channel: r['channel'],
        started: value('started'),
        completed: value('completed'),
        ...(missing ? { missing: missing === 'ND' ? 'no_data' : 'not_applicable' } : {}),
      });
      problems.push(...checkCounts(parsed, index));
      items.push(parsed);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.fields.map((f) => ({ ...f, index })));
    }
  });
  if (problems.length) throw new InputError(problems);
  return storeCounts(deps, ctx, service, items, 'csv');
}

/** Staff enter what the service cost through a channel over a period (replacing an earlier figure). */
export async function enterCost(deps: ServicesDeps, ctx: ActionContext, codeOrId: string, raw: unknown): Promise<void> {
  const service = await runnable(deps, ctx, codeOrId);
  const input = costInput.parse(raw);
  const problems = checkPeriod(input.periodStart, input.periodEnd);
  if (problems.length) throw new InputError(problems);
  await deps.kernel.database.transaction(async (tx) => {
    await upsertCost(tx, { serviceId: service.id, periodStart: input.periodStart, periodEnd: input.periodEnd, channel: input.channel, amount: input.amount.toFixed(2), enteredBy: ctx.actor.accountId });
    await record(tx, ctx, { action: servicesEvents.costsEntered, organizationId: service.organizationId, targetType: 'service', targetId: service.id, details: { channel: input.channel, periodStart: input.periodStart, periodEnd: input.periodEnd } });
  });
  deps.dashboards.changed();
}

/** Staff define a service standard. */
export async function createStandard(deps: ServicesDeps, ctx: ActionContext, codeOrId: string, raw: unknown): Promise<{ id: string }> {
  const service = await runnable(deps, ctx, codeOrId);
  const input = standardInput.parse(raw);
  const created = await deps.kernel.database.transaction(async (tx) => {
    const row = await insertStandard(tx, {
      serviceId: service.id,
      name: { en: input.nameEn, fr: input.nameFr },
      type: input.type,
      channel: input.channel ?? null,
      target: input.targetPercent === undefined ? null : (input.targetPercent / 100).toFixed(4),
    });
    await record(tx, ctx, { action: servicesEvents.standardCreated, organizationId: service.organizationId, targetType: 'service', targetId: service.id, details: { standard: row.id } });
    return { id: row.id };
  });
  deps.dashboards.changed();
  return created;
}

/** Staff report how much volume met a standard over a period. */
export async function reportStandardResult(deps: ServicesDeps, ctx: ActionContext, codeOrId: string, standardId: string, raw: unknown): Promise<void> {
  const service = await runnable(deps, ctx, codeOrId);
  const standard = await findStandard(deps.kernel.database.db, standardId);
  if (!standard || standard.serviceId !== service.id) throw new NotFound();
  const input = standardResultInput.parse(raw);
  const problems = checkPeriod(input.periodStart, input.periodEnd);
  if (input.volumeMeetingTarget > input.totalVolume) problems.push({ field: 'volumeMeetingTarget', rule: 'maximum', messageKey: 'services.standards.errors.meeting.overTotal' });
  if (problems.length) throw new InputError(problems);
  await deps.kernel.database.transaction(async (tx) => {
    await upsertStandardResults(tx, [{ standardId: standard.id, periodStart: input.periodStart, periodEnd: input.periodEnd, volumeMeetingTarget: input.volumeMeetingTarget, totalVolume: input.totalVolume }]);
    await record(tx, ctx, { action: servicesEvents.standardResultReported, organizationId: service.organizationId, targetType: 'service', targetId: service.id, details: { standard: standard.id } });
  });
  deps.dashboards.changed();
}

export interface ServiceFiguresView {
  counts: Array<{ periodStart: string; periodEnd: string; channel: Channel; started: number | null; completed: number | null; missing: MissingReason | null; source: string | null }>;
  costs: Array<{ periodStart: string; periodEnd: string; channel: Channel; amount: number }>;
  standards: Array<{
    id: string;
    name: Bilingual;
    type: StandardType;
    channel: Channel | null;
    target: number | null;
    results: Array<{ periodStart: string; periodEnd: string; volumeMeetingTarget: number | null; totalVolume: number | null }>;
  }>;
}

/** What has been reported for a service (the staff pages list it before the forms). */
export async function serviceFigures(deps: ServicesDeps, ctx: ActionContext, codeOrId: string): Promise<ServiceFiguresView & { service: ServiceRow }> {
  const service = await runnable(deps, ctx, codeOrId);
  const db = deps.kernel.database.db;
  const [counts, costs, standards] = await Promise.all([countReportsOf(db, service.id), costsOf(db, service.id), standardsOf(db, service.id)]);
  const results = await standardResultsOf(db, standards.map((s) => s.id));
  return {
    service,
    counts: counts.map((c) => ({ periodStart: c.periodStart, periodEnd: c.periodEnd, channel: c.channel, started: c.started, completed: c.completed, missing: c.missing, source: c.source })),
    costs: costs.map((c) => ({ periodStart: c.periodStart, periodEnd: c.periodEnd, channel: c.channel, amount: Number(c.amount) })),
    standards: standards.map((s) => ({
      id: s.id,
      name: s.name,
      type: s.type,
      channel: s.channel,
      target: s.target === null ? null : Number(s.target),
      results: results.filter((r) => r.standardId === s.id).map((r) => ({ periodStart: r.periodStart, periodEnd: r.periodEnd, volumeMeetingTarget: r.volumeMeetingTarget, totalVolume: r.totalVolume })),
    })),
  };
}

export interface Funnel {
  steps: Array<StepFigures & { conversion: number | null; slowest: boolean }>;
  started: number;
  period: ReturnType<typeof parsePeriod>;
}

/**
 * The funnel of a service: the steps transactions started in the period went through, the share
 * of started transactions reaching each, and the time spent in each (median and 90th percentile),
 * the slowest step marked. Completion and abandonment come last.
 */
export async function serviceFunnel(deps: ServicesDeps, ctx: ActionContext, codeOrId: string, query: { period?: string; channel?: Channel }, now = new Date()): Promise<Funnel & { service: ServiceRow }> {
  const service = await existingService(deps, codeOrId);
  authorize(ctx.actor, servicesPermissions.viewFunnel, service);
  const period = parsePeriod(query.period, now, deps.kernel.config.timeZone);
  const found = await funnelSteps(deps.kernel.database.db, service.id, period.start, period.end, deps.kernel.config.timeZone, query.channel);
  const rank = (s: string) => (s === 'started' ? 0 : s === 'completed' ? 2 : s === 'abandoned' ? 3 : 1);
  const ordered = [...found].sort((a, b) => rank(a.step) - rank(b.step) || a.position - b.position);
  const started = ordered.find((s) => s.step === 'started')?.transactions ?? 0;
  // Time "in" completion or abandonment is what happens after the end: not a step to speed up.
  const timed = ordered.filter((s) => rank(s.step) < 2 && s.medianSeconds !== null);
  const slowest = timed.reduce<StepFigures | null>((worst, s) => (worst === null || (s.medianSeconds ?? 0) > (worst.medianSeconds ?? 0) ? s : worst), null);
  return {
    service,
    period,
    started,
    steps: ordered.map((s) => ({ ...s, conversion: started ? s.transactions / started : null, slowest: s === slowest })),
  };
}
