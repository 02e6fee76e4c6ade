import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../../kernel/db/index.js';
import type { Bilingual } from '../../../kernel/i18n/index.js';
import type { Channel, MissingReason } from '../schema.js';

/** Which services the figures cover: one, an organization's, or all (no filter). */
export interface Scope {
  serviceId?: string;
  organizationId?: string;
}

/** A period of days, both ends included (`YYYY-MM-DD`). */
export interface Range {
  start: string;
  end: string;
}

export interface ChannelTotals {
  range: number;
  /** Set when the totals are per service (open data exports). */
  serviceId?: string;
  channel: Channel;
  started: number;
  completed: number;
  approved: number;
  denied: number;
  ineligible: number;
  other: number;
  abandoned: number;
}

export interface ReportedTotals {
  range: number;
  serviceId?: string;
  channel: Channel;
  started: number | null;
  completed: number | null;
  /** Set when every report for the channel had no count, with the reason. */
  missing: MissingReason | null;
}

function scopeFilter(alias: string, scope: Scope): SQL {
  const column = sql.raw(`${alias}.service_id`);
  if (scope.serviceId) return sql`and ${column} = ${scope.serviceId}::uuid`;
  if (scope.organizationId) return sql`and ${column} in (select id from services.services where organization_id = ${scope.organizationId}::uuid)`;
  return sql``;
}

/** Adds the service to the select and the grouping when totals are wanted per service. */
const perService = (alias: string, byService: boolean) => (byService ? sql.raw(`, ${alias}.service_id::text as "serviceId"`) : sql``);
const groupService = (alias: string, byService: boolean) => (byService ? sql.raw(`, ${alias}.service_id`) : sql``);
const channelFilter = (alias: string, channel?: Channel) => (channel ? sql`and ${sql.raw(`${alias}.channel`)} = ${channel}` : sql``);

/** The first and last day the ranges cover (every range is whole months: see `parsePeriod`). */
function span(ranges: Range[]): Range {
  for (const r of ranges) if (!r.start.endsWith('-01')) throw new Error(`Ranges must start on the first of a month: ${r.start}`);
  return { start: ranges.reduce((a, r) => (r.start < a ? r.start : a), ranges[0]!.start), end: ranges.reduce((a, r) => (r.end > a ? r.end : a), ranges[0]!.end) };
}

/**
 * Adds rows up per range. The database groups once over the whole span (by month, or by reported
 * period) and this puts each group in every range that holds it: cheaper than joining every range.
 */
function perRange<R extends { serviceId?: string }, T>(
  ranges: Range[],
  found: R[],
  within: (row: R, range: Range) => boolean,
  key: (row: R) => string,
  add: (total: T | undefined, row: R, range: number) => T,
): T[] {
  const totals = new Map<string, T>();
  ranges.forEach((range, i) => {
    for (const row of found) {
      if (!within(row, range)) continue;
      const k = `${i}|${row.serviceId ?? ''}|${key(row)}`;
      totals.set(k, add(totals.get(k), row, i));
    }
  });
  return [...totals.values()];
}

/** Whether a month (`YYYY-MM`) lies in a range of whole months. */
const monthWithin = (month: string, range: Range) => month >= range.start.slice(0, 7) && month <= range.end.slice(0, 7);
/** Whether a reported period lies wholly inside a range. */
const periodWithin = (row: { start: string; end: string }, range: Range) => row.start >= range.start && row.end <= range.end;
const service = (row: { serviceId?: string }) => (row.serviceId ? { serviceId: row.serviceId } : {});

type EventRow = { month: string; channel: Channel; serviceId?: string } & Record<'started' | 'completed' | 'approved' | 'denied' | 'ineligible' | 'other' | 'abandoned', string>;

/** Event counts per range and channel. */
export async function eventTotals(db: Db, scope: Scope, ranges: Range[], channel?: Channel, byService = false): Promise<ChannelTotals[]> {
  const { start, end } = span(ranges);
  const found = await rows<EventRow>(
    db,
    sql`
    select to_char(v.day, 'YYYY-MM') as month, v.channel ${perService('v', byService)}, sum(v.started) as started, sum(v.completed) as completed,
      sum(v.approved) as approved, sum(v.denied) as denied, sum(v.ineligible) as ineligible, sum(v.other_outcome) as other, sum(v.abandoned) as abandoned
    from services.daily_volumes v
    where v.day between ${start}::date and ${end}::date ${scopeFilter('v', scope)} ${channelFilter('v', channel)}
    group by 1, v.channel ${groupService('v', byService)}`,
  );
  const measures = ['started', 'completed', 'approved', 'denied', 'ineligible', 'other', 'abandoned'] as const;
  return perRange<EventRow, ChannelTotals>(
    ranges,
    found,
    (r, range) => monthWithin(r.month, range),
    (r) => r.channel,
    (total, r, range) => {
      const t = total ?? { range, ...service(r), channel: r.channel, started: 0, completed: 0, approved: 0, denied: 0, ineligible: 0, other: 0, abandoned: 0 };
      for (const m of measures) t[m] += Number(r[m]);
      return t;
    },
  );
}

type ReportRow = { start: string; end: string; channel: Channel; serviceId?: string; started: string | null; completed: string | null; missing: MissingReason | null };

/** Periodic counts that fall wholly inside each range, per channel. */
export async function reportedTotals(db: Db, scope: Scope, ranges: Range[], channel?: Channel, byService = false): Promise<ReportedTotals[]> {
  const { start, end } = span(ranges);
  const found = await rows<ReportRow>(
    db,
    sql`
    select c.period_start::text as start, c.period_end::text as "end", c.channel ${perService('c', byService)},
      sum(c.started) as started, sum(c.completed) as completed,
      case when count(c.completed) = 0 and count(c.started) = 0 then min(c.missing) end as missing
    from services.count_reports c
    where c.period_start >= ${start}::date and c.period_end <= ${end}::date ${scopeFilter('c', scope)} ${channelFilter('c', channel)}
    group by c.period_start, c.period_end, c.channel ${groupService('c', byService)}`,
  );
  const plus = (a: number | null, b: string | null) => (b === null ? a : (a ?? 0) + Number(b));
  return perRange<ReportRow, ReportedTotals>(
    ranges,
    found,
    periodWithin,
    (r) => r.channel,
    (total, r, range) => {
      const started = plus(total?.started ?? null, r.started);
      const completed = plus(total?.completed ?? null, r.completed);
      // A reason is kept only while no report of the channel had a count.
      const missing = started === null && completed === null ? (total?.missing ?? r.missing) : null;
      return { range, ...service(r), channel: r.channel, started, completed, missing };
    },
  );
}

type CostRow = { start: string; end: string; channel: Channel; serviceId?: string; amount: string };

/** Costs entered for periods wholly inside each range, per channel. */
export async function costTotals(db: Db, scope: Scope, ranges: Range[], channel?: Channel, byService = false): Promise<Array<{ range: number; channel: Channel; amount: number; serviceId?: string }>> {
  const { start, end } = span(ranges);
  const found = await rows<CostRow>(
    db,
    sql`
    select c.period_start::text as start, c.period_end::text as "end", c.channel ${perService('c', byService)}, sum(c.amount) as amount
    from services.costs c
    where c.period_start >= ${start}::date and c.period_end <= ${end}::date ${scopeFilter('c', scope)} ${channelFilter('c', channel)}
    group by c.period_start, c.period_end, c.channel ${groupService('c', byService)}`,
  );
  return perRange<CostRow, { range: number; channel: Channel; amount: number; serviceId?: string }>(
    ranges,
    found,
    periodWithin,
    (r) => r.channel,
    (total, r, range) => ({ range, ...service(r), channel: r.channel, amount: (total?.amount ?? 0) + Number(r.amount) }),
  );
}

type RatingRow = { month: string; rating: number; serviceId?: string; responses: string };

/** Satisfaction answers per range and rating (1–5). */
export async function ratingTotals(db: Db, scope: Scope, ranges: Range[], byService = false): Promise<Array<{ range: number; rating: number; responses: number; serviceId?: string }>> {
  const { start, end } = span(ranges);
  const found = await rows<RatingRow>(
    db,
    sql`
    select to_char(d.day, 'YYYY-MM') as month, d.rating ${perService('d', byService)}, sum(d.responses) as responses
    from services.daily_ratings d
    where d.day between ${start}::date and ${end}::date ${scopeFilter('d', scope)}
    group by 1, d.rating ${groupService('d', byService)}`,
  );
  return perRange<RatingRow, { range: number; rating: number; responses: number; serviceId?: string }>(
    ranges,
    found,
    (r, range) => monthWithin(r.month, range),
    (r) => String(r.rating),
    (total, r, range) => ({ range, ...service(r), rating: Number(r.rating), responses: (total?.responses ?? 0) + Number(r.responses) }),
  );
}

export interface StandardRow {
  id: string;
  serviceCode: string;
  name: Bilingual;
  type: string;
  channel: Channel | null;
  target: string | null;
  meeting: string | null;
  total: string | null;
}

/** Each standard of the scope with its results for periods wholly inside the range. */
export async function standardTotals(db: Db, scope: Scope, range: Range, channel?: Channel): Promise<StandardRow[]> {
  return rows<StandardRow>(
    db,
    sql`
    select s.id, sv.code as "serviceCode", s.name, s.type, s.channel, s.target::text as target,
      sum(r.volume_meeting_target)::text as meeting, sum(r.total_volume)::text as total
    from services.standards s
    join services.services sv on sv.id = s.service_id
    left join services.standard_results r on r.standard_id = s.id and r.period_start >= ${range.start}::date and r.period_end <= ${range.end}::date
    where true ${scopeFilter('s', scope)} ${channelFilter('s', channel)}
    group by s.id, sv.code
    order by sv.code, s.name->>'en'`,
  );
}

/** Per-organization or per-service completed volumes for a range (dashboard tables), biggest first. */
export async function completedBy(db: Db, by: 'organization' | 'service', scope: Scope, range: Range, limit: number): Promise<Array<{ key: string; completed: number }>> {
  const key = by === 'organization' ? sql`s.organization_id` : sql`s.id`;
  const found = await rows<{ key: string; completed: string }>(
    db,
    sql`
    select ${key}::text as key, sum(t.completed) as completed from (
      select v.service_id, v.completed from services.daily_volumes v where v.day between ${range.start}::date and ${range.end}::date ${scopeFilter('v', scope)}
      union all
      select c.service_id, c.completed from services.count_reports c where c.period_start >= ${range.start}::date and c.period_end <= ${range.end}::date and c.completed is not null ${scopeFilter('c', scope)}
    ) t join services.services s on s.id = t.service_id
    group by 1 having sum(t.completed) > 0 order by 2 desc limit ${limit}`,
  );
  return found.map((r) => ({ key: r.key, completed: Number(r.completed) }));
}
