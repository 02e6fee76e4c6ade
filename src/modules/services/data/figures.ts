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

/** The ranges as a VALUES list numbered from 0, so one query answers every range. */
function rangeList(ranges: Range[]): SQL {
  return sql.join(
    ranges.map((r, i) => sql`(${i}::int, ${r.start}::date, ${r.end}::date)`),
    sql`, `,
  );
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
const withService = <T>(r: Record<string, unknown>, value: T): T => (r['serviceId'] ? { ...value, serviceId: String(r['serviceId']) } : value);

const channelFilter = (alias: string, channel?: Channel) => (channel ? sql`and ${sql.raw(`${alias}.channel`)} = ${channel}` : sql``);

/** Event counts per range and channel. */
export async function eventTotals(db: Db, scope: Scope, ranges: Range[], channel?: Channel, byService = false): Promise<ChannelTotals[]> {
  const found = await rows<Record<string, string | number>>(
    db,
    sql`
    select r.i as range, v.channel ${perService('v', byService)}, sum(v.started) as started, sum(v.completed) as completed, sum(v.approved) as approved,
      sum(v.denied) as denied, sum(v.ineligible) as ineligible, sum(v.other_outcome) as other, sum(v.abandoned) as abandoned
    from (values ${rangeList(ranges)}) r(i, s, e)
    join services.daily_volumes v on v.day between r.s and r.e ${scopeFilter('v', scope)} ${channelFilter('v', channel)}
    group by r.i, v.channel ${groupService('v', byService)}`,
  );
  return found.map((r) => withService(r, {
    range: Number(r['range']),
    channel: r['channel'] as Channel,
    started: Number(r['started']),
    completed: Number(r['completed']),
    approved: Number(r['approved']),
    denied: Number(r['denied']),
    ineligible: Number(r['ineligible']),
    other: Number(r['other']),
    abandoned: Number(r['abandoned']),
  }));
}

/** Periodic counts that fall wholly inside each range, per channel. */
export async function reportedTotals(db: Db, scope: Scope, ranges: Range[], channel?: Channel, byService = false): Promise<ReportedTotals[]> {
  const found = await rows<{ range: number; channel: Channel; started: string | null; completed: string | null; missing: MissingReason | null; serviceId?: string }>(
    db,
    sql`
    select r.i as range, c.channel ${perService('c', byService)}, sum(c.started) as started, sum(c.completed) as completed,
      case when count(c.completed) = 0 and count(c.started) = 0 then min(c.missing) end as missing
    from (values ${rangeList(ranges)}) r(i, s, e)
    join services.count_reports c on c.period_start >= r.s and c.period_end <= r.e ${scopeFilter('c', scope)} ${channelFilter('c', channel)}
    group by r.i, c.channel ${groupService('c', byService)}`,
  );
  return found.map((r) => withService(r, {
    range: Number(r.range),
    channel: r.channel,
    started: r.started === null ? null : Number(r.started),
    completed: r.completed === null ? null : Number(r.completed),
    missing: r.missing,
  }));
}

/** Costs entered for periods wholly inside each range, per channel. */
export async function costTotals(db: Db, scope: Scope, ranges: Range[], channel?: Channel, byService = false): Promise<Array<{ range: number; channel: Channel; amount: number; serviceId?: string }>> {
  const found = await rows<{ range: number; channel: Channel; amount: string; serviceId?: string }>(
    db,
    sql`
    select r.i as range, c.channel ${perService('c', byService)}, sum(c.amount) as amount
    from (values ${rangeList(ranges)}) r(i, s, e)
    join services.costs c on c.period_start >= r.s and c.period_end <= r.e ${scopeFilter('c', scope)} ${channelFilter('c', channel)}
    group by r.i, c.channel ${groupService('c', byService)}`,
  );
  return found.map((r) => withService(r, { range: Number(r.range), channel: r.channel, amount: Number(r.amount) }));
}

/** Satisfaction answers per range and rating (1–5). */
export async function ratingTotals(db: Db, scope: Scope, ranges: Range[], byService = false): Promise<Array<{ range: number; rating: number; responses: number; serviceId?: string }>> {
  const found = await rows<{ range: number; rating: number; responses: string; serviceId?: string }>(
    db,
    sql`
    select r.i as range, d.rating ${perService('d', byService)}, sum(d.responses) as responses
    from (values ${rangeList(ranges)}) r(i, s, e)
    join services.daily_ratings d on d.day between r.s and r.e ${scopeFilter('d', scope)}
    group by r.i, d.rating ${groupService('d', byService)}`,
  );
  return found.map((r) => withService(r, { range: Number(r.range), rating: Number(r.rating), responses: Number(r.responses) }));
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
