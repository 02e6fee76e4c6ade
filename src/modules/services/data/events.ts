import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../../kernel/db/index.js';
import type { Channel, EventType, Outcome } from '../schema.js';

/** An event ready to store (validated, its service resolved). */
export interface EventRow {
  serviceId: string;
  eventId: string;
  reference: string;
  type: EventType;
  step: string | null;
  outcome: Outcome | null;
  channel: Channel;
  occurredAt: string;
}

/**
 * Stores events and adds them to the daily counts in one statement. A repeated event id (already
 * stored, or twice in the batch) is skipped and not counted. Events are counted on their own local
 * day (`timeZone`), so late and out-of-order events land in the period they belong to. Counter rows
 * are updated in key order so concurrent batches cannot deadlock.
 */
export async function storeEvents(db: Db, events: EventRow[], timeZone: string): Promise<number> {
  const [result] = await rows<{ stored: number }>(
    db,
    sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(events)}::jsonb)
        as e("serviceId" uuid, "eventId" text, reference text, type text, step text, outcome text, channel text, "occurredAt" timestamptz)
    ), stored as (
      insert into services.events (service_id, event_id, reference, type, step, outcome, channel, occurred_at)
      select "serviceId", "eventId", reference, type, step, outcome, channel, "occurredAt" from input
      on conflict do nothing
      returning service_id, occurred_at, channel, type, outcome
    ), counted as (
      insert into services.daily_volumes as v (service_id, day, channel, started, completed, approved, denied, ineligible, other_outcome, abandoned)
      select service_id, (occurred_at at time zone ${timeZone})::date, channel,
        count(*) filter (where type = 'started'),
        count(*) filter (where type = 'completed'),
        count(*) filter (where type = 'completed' and outcome = 'approved'),
        count(*) filter (where type = 'completed' and outcome = 'denied'),
        count(*) filter (where type = 'completed' and outcome = 'ineligible'),
        count(*) filter (where type = 'completed' and outcome = 'other'),
        count(*) filter (where type = 'abandoned')
      from stored group by 1, 2, 3 order by 1, 2, 3
      on conflict (service_id, day, channel) do update set
        started = v.started + excluded.started,
        completed = v.completed + excluded.completed,
        approved = v.approved + excluded.approved,
        denied = v.denied + excluded.denied,
        ineligible = v.ineligible + excluded.ineligible,
        other_outcome = v.other_outcome + excluded.other_outcome,
        abandoned = v.abandoned + excluded.abandoned
      returning 1
    )
    select (select count(*) from stored)::int as stored`,
  );
  return Number(result?.stored ?? 0);
}

/** Whether a transaction reference is known for the service (feedback links carry it). */
export async function referenceExists(db: Db, serviceId: string, reference: string): Promise<boolean> {
  const found = await rows(db, sql`select 1 from services.events where service_id = ${serviceId} and reference = ${reference} limit 1`);
  return found.length > 0;
}

export interface StepFigures {
  step: string;
  /** Transactions that reached the step. */
  transactions: number;
  /** Typical position of the step in a transaction (orders the funnel). */
  position: number;
  /** Seconds from reaching the step to the transaction's next event. */
  medianSeconds: number | null;
  p90Seconds: number | null;
}

/**
 * The funnel of a service over a period: each step (start, named steps, completion) with how many
 * transactions reached it and the time spent there, from the transactions started in the period.
 */
export async function funnelSteps(db: Db, serviceId: string, from: string, to: string, timeZone: string, channel?: Channel): Promise<StepFigures[]> {
  const found = await rows<{ step: string; transactions: number; position: number; median: number | null; p90: number | null }>(
    db,
    sql`
    with started as (
      select distinct reference from services.events
      where service_id = ${serviceId} and type = 'started'
        and occurred_at >= (${from}::date::timestamp at time zone ${timeZone})
        and occurred_at < ((${to}::date + 1)::timestamp at time zone ${timeZone})
        ${channel ? sql`and channel = ${channel}` : sql``}
    ), timeline as (
      select e.reference,
        case e.type when 'step' then coalesce(e.step, '?') else e.type end as step,
        row_number() over w as position,
        extract(epoch from (lead(e.occurred_at) over w - e.occurred_at)) as seconds
      from services.events e join started s on s.reference = e.reference
      where e.service_id = ${serviceId}
      window w as (partition by e.reference order by e.occurred_at, e.event_id)
    )
    select step, count(distinct reference)::int as transactions, avg(position)::float8 as position,
      percentile_cont(0.5) within group (order by seconds) as median,
      percentile_cont(0.9) within group (order by seconds) as p90
    from timeline group by step order by avg(position)`,
  );
  return found.map((r) => ({
    step: r.step,
    transactions: Number(r.transactions),
    position: Number(r.position),
    medianSeconds: r.median === null ? null : Number(r.median),
    p90Seconds: r.p90 === null ? null : Number(r.p90),
  }));
}
