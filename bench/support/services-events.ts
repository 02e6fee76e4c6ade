/**
 * Transaction events as a service's back end sends them, for the services workload. A transaction
 * is `started`, then 2–4 named steps, then `completed` (approved, denied, ineligible or other) or
 * `abandoned`, on one channel (mostly online), its events minutes apart, some time in the last 12
 * months.
 *
 * A stream is numbered: event `e` of a stream is always the same event (same id, reference, time),
 * wherever it is made — the benchmark process builds HTTP batches from it, the server process
 * copies the same events with `COPY`. Transactions have 4, 5 and 6 events in turn (15 events per
 * three transactions), so event `e` is found without counting.
 */
import type { Channel, EventType, Outcome } from '../../src/modules/services/schema.js';

export interface EventStream {
  /** Starts every event id and reference, so streams never collide. */
  prefix: string;
  /** `scattered`: each transaction at a random time in the 12 months; `ordered`: evenly in time order. */
  spread: 'scattered' | 'ordered';
  /** Events in the stream (`ordered` spreads them over the 12 months). */
  events: number;
  /** The stream's "now", in milliseconds: the last events happen about an hour before it. */
  now: number;
}

export interface BenchEvent {
  id: string;
  reference: string;
  type: EventType;
  step: string | null;
  outcome: Outcome | null;
  channel: Channel;
  /** Milliseconds since the epoch. */
  time: number;
}

const yearMs = 365 * 86_400_000;
/** The last transaction of a stream ends at most 6 × 14 minutes after it starts; keep clear of `now`. */
const marginMs = 2 * 3_600_000;
const steps = ['check-eligibility', 'verify-identity', 'enter-details', 'pay-fee'];
/** Event offsets of the three transactions of a cycle (4, 5 and 6 events). */
const cycleStarts = [0, 4, 9];
const cycleEvents = 15;

/** A well-mixed 32-bit hash of `n` (so outcomes, channels and times do not follow the numbering). */
function mix(n: number): number {
  let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Picks from `[value, percent]` pairs by `roll` (0–99). */
function pick<T>(roll: number, choices: ReadonlyArray<readonly [T, number]>): T {
  let bound = 0;
  for (const [value, percent] of choices) {
    bound += percent;
    if (roll < bound) return value;
  }
  return choices[choices.length - 1]![0];
}

const channelShares = [
  ['online', 62],
  ['phone', 15],
  ['in_person', 15],
  ['mail', 4],
  ['kiosk', 2],
  ['email', 2],
] as const;
const outcomeShares = [
  ['approved', 72],
  ['denied', 12],
  ['ineligible', 11],
  ['other', 5],
] as const;

const padded = (t: number) => String(t).padStart(10, '0');

/** The transaction reference of transaction `t` (feedback links carry it). */
export const referenceOf = (stream: Pick<EventStream, 'prefix'>, t: number) =>
  `${stream.prefix}-T${padded(t)}`;

/** How many transactions have at least their `started` event among the stream's first `events`. */
export function transactionsIn(events: number): number {
  const cycles = Math.floor(events / cycleEvents);
  return cycles * 3 + cycleStarts.filter((start) => start < events % cycleEvents).length;
}

/** Event `e` of the stream. */
export function eventAt(stream: EventStream, e: number): BenchEvent {
  const cycle = Math.floor(e / cycleEvents);
  const within = e % cycleEvents;
  const j = within < 4 ? 0 : within < 9 ? 1 : 2;
  const t = cycle * 3 + j;
  const k = within - cycleStarts[j]!;
  const length = 4 + j;
  const h = mix(t);
  const span = yearMs - marginMs;
  const offset =
    stream.spread === 'scattered'
      ? (h / 2 ** 32) * span
      : (t / Math.max(1, transactionsIn(stream.events))) * span;
  const gapMs = (2 + (h % 13)) * 60_000;
  const last = k === length - 1;
  const completed = h % 100 < 78;
  return {
    id: `${stream.prefix}-${padded(t)}-${k}`,
    reference: referenceOf(stream, t),
    type: k === 0 ? 'started' : !last ? 'step' : completed ? 'completed' : 'abandoned',
    step: k > 0 && !last ? steps[k - 1]! : null,
    outcome: last && completed ? pick((h >>> 8) % 100, outcomeShares) : null,
    channel: pick((h >>> 16) % 100, channelShares),
    time: Math.floor(stream.now - yearMs + offset) + k * gapMs,
  };
}

/** ISO 8601 in Eastern Standard Time, as a sender in Ontario would write it. */
function easternTime(ms: number): string {
  return `${new Date(ms - 5 * 3_600_000).toISOString().slice(0, 23)}-05:00`;
}

/** The request body of `POST /api/v1/service-events/batch`: events `first` to `first + size − 1`. */
export function batchBody(stream: EventStream, service: string, first: number, size: number): string {
  const events = Array.from({ length: size }, (_, i) => {
    const event = eventAt(stream, first + i);
    return {
      id: event.id,
      service,
      reference: event.reference,
      type: event.type,
      ...(event.step ? { step: event.step } : {}),
      ...(event.outcome ? { outcome: event.outcome } : {}),
      channel: event.channel,
      time: easternTime(event.time),
    };
  });
  return JSON.stringify({ events });
}

/** Columns of `services.events` the CSV lines fill, in order. */
export const csvColumns = 'service_id, event_id, reference, type, step, outcome, channel, occurred_at';

/** Events `first` to `first + size − 1` as CSV lines for `COPY … (csvColumns)` (an empty field is NULL). */
export function csvLines(stream: EventStream, serviceId: string, first: number, size: number): string {
  let text = '';
  for (let e = first; e < first + size; e++) {
    const event = eventAt(stream, e);
    text += `${serviceId},${event.id},${event.reference},${event.type},${event.step ?? ''},${event.outcome ?? ''},${event.channel},${new Date(event.time).toISOString()}\n`;
  }
  return text;
}

/** What people write, in both languages, some with personal details the app scrubs before storing. */
const comments = [
  'Quick and easy, done in five minutes.',
  'The page timed out when I tried to pay and I had to start again.',
  'Please call me back at 416-555-0199, I was charged twice.',
  'Rapide et simple, merci.',
  'Je n’ai pas trouvé où téléverser le formulaire de mon médecin. Écrivez-moi à marie.tremblay@example.ca',
];

/** Feedback `n`: mostly satisfied, a comment one time in three. */
export function feedbackAt(n: number): {
  satisfaction: number;
  achieved: 'yes' | 'partly' | 'no';
  comment?: string;
} {
  const h = mix(n + 0x5bd1e995);
  const satisfaction = pick(h % 100, [
    [5, 38],
    [4, 34],
    [3, 12],
    [2, 10],
    [1, 6],
  ] as const);
  const achieved = satisfaction >= 4 ? 'yes' : satisfaction === 3 ? 'partly' : 'no';
  return {
    satisfaction,
    achieved,
    ...((h >>> 8) % 3 === 0 ? { comment: comments[(h >>> 12) % comments.length]! } : {}),
  };
}
