import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { InputError } from '../../../kernel/errors/index.js';
import type { Organization } from '../../identity/index.js';
import { makeOrganization } from '../../identity/test/factories.js';
import { dashboard } from '../actions/dashboard.js';
import { FiguresCache } from '../actions/figures-cache.js';
import { receiveEvents } from '../actions/events.js';
import { giveFeedback } from '../actions/feedback.js';
import { enterCost, reportCounts } from '../actions/figures.js';
import { minimumResponses, satisfactionOf } from '../actions/kpis.js';
import { parsePeriod, trendMonths } from '../actions/periods.js';
import type { Service } from '../types.js';
import { makeService, servicesDeps, sys, transaction } from './factories.js';

let t: TestApp;
let org: Organization;
const now = new Date('2026-11-20T15:00:00Z');

beforeAll(async () => {
  t = await createTestApp();
  org = await makeOrganization(t.app);
});
afterAll(async () => t.close());

const deps = () => servicesDeps(t.app);
const kpisOf = async (service: Service, period: string, channel?: string) => (await dashboard(deps(), { kind: 'service', service: service.code }, { period, ...(channel ? { channel } : {}) }, now)).report;

describe('periods', () => {
  it('reads months, quarters, fiscal years and the rolling 12 months in the platform time zone', () => {
    expect(parsePeriod('2026-10', now, 'America/Toronto')).toMatchObject({ kind: 'month', start: '2026-10-01', end: '2026-10-31' });
    expect(parsePeriod('2024-Q1', now, 'America/Toronto')).toMatchObject({ kind: 'quarter', start: '2024-01-01', end: '2024-03-31' });
    expect(parsePeriod('FY2023-2024', now, 'America/Toronto')).toMatchObject({ kind: 'fiscal_year', start: '2023-04-01', end: '2024-03-31' });
    expect(parsePeriod(undefined, now, 'America/Toronto')).toMatchObject({ code: '12m', start: '2025-12-01', end: '2026-11-30' });
    // 1 December 03:00 UTC is still 30 November in Toronto.
    expect(parsePeriod('12m', new Date('2026-12-01T03:00:00Z'), 'America/Toronto').end).toBe('2026-11-30');
    expect(trendMonths(parsePeriod('2026-02', now, 'UTC')).map((m) => m.month)).toEqual([
      '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02',
    ]);
    for (const bad of ['2026-13', 'FY2023-2025', 'last year', '2026-Q5']) expect(() => parsePeriod(bad, now, 'UTC')).toThrow(InputError);
  });
});

describe('satisfaction', () => {
  it('publishes the normalised mean and the share satisfied from 17 responses, and nothing below', () => {
    // 17 responses: 2 very dissatisfied, 1 dissatisfied, 3 neutral, 5 satisfied, 6 very satisfied.
    const s = satisfactionOf([2, 1, 3, 5, 6]);
    expect(s.responses).toBe(17);
    expect(s.enough).toBe(true);
    // mean = (2·1 + 1·2 + 3·3 + 5·4 + 6·5) / 17 = 63 / 17; normalised = (63/17 − 1) / 4 = 46/68.
    expect(s.normalisedMean).toBeCloseTo(46 / 68, 10);
    expect(s.satisfiedShare).toBeCloseTo(11 / 17, 10);
    const few = satisfactionOf([0, 0, 0, 10, 6]);
    expect(few.responses).toBe(minimumResponses - 1);
    expect(few).toMatchObject({ enough: false, normalisedMean: null, satisfiedShare: null });
  });
});

describe('KPIs from events, costs and feedback', () => {
  it('computes the four KPIs on a hand-computed month, ineligible outcomes counting as completed', async () => {
    const service = await makeService(t.app, org.id);
    const events = [
      // October 2026 (Toronto time): 10 started; 6 online completed (4 approved, 1 ineligible, 1 denied),
      // 2 in person completed (approved, other), 2 abandoned.
      ...transaction(service.code, 'a1', '2026-10-02T14:00:00Z', 'online', 'approved'),
      ...transaction(service.code, 'a2', '2026-10-03T14:00:00Z', 'online', 'approved'),
      ...transaction(service.code, 'a3', '2026-10-04T14:00:00Z', 'online', 'approved'),
      ...transaction(service.code, 'a4', '2026-10-05T14:00:00Z', 'online', 'approved'),
      ...transaction(service.code, 'a5', '2026-10-06T14:00:00Z', 'online', 'ineligible'),
      ...transaction(service.code, 'a6', '2026-10-07T14:00:00Z', 'online', 'denied'),
      ...transaction(service.code, 'p1', '2026-10-08T14:00:00Z', 'in_person', 'approved'),
      ...transaction(service.code, 'p2', '2026-10-09T14:00:00Z', 'in_person', 'other'),
      ...transaction(service.code, 'x1', '2026-10-10T14:00:00Z', 'online', 'abandoned'),
      ...transaction(service.code, 'x2', '2026-10-11T14:00:00Z', 'in_person', 'abandoned'),
    ];
    const receipt = await receiveEvents(deps(), sys, { events }, now);
    expect(receipt).toEqual({ received: 20, stored: 20, duplicates: 0 });
    await enterCost(deps(), sys, service.code, { periodStart: '2026-10-01', periodEnd: '2026-10-31', channel: 'online', amount: 120 });
    await enterCost(deps(), sys, service.code, { periodStart: '2026-10-01', periodEnd: '2026-10-31', channel: 'in_person', amount: 280.5 });
    // A cost for the whole quarter does not belong to October alone.
    await enterCost(deps(), sys, service.code, { periodStart: '2026-10-01', periodEnd: '2026-12-31', channel: 'phone', amount: 999 });

    const k = await kpisOf(service, '2026-10');
    expect(k.figures).toMatchObject({ started: 10, completed: 8, completedOnline: 6, abandoned: 2, cost: 400.5, source: 'events' });
    expect(k.figures.outcomes).toEqual({ approved: 5, denied: 1, ineligible: 1, other: 1 });
    expect(k.costPerTransaction).toBeCloseTo(400.5 / 8, 10);
    expect(k.digitalTakeUp).toBeCloseTo(6 / 8, 10);
    expect(k.completionRate).toBeCloseTo(8 / 10, 10);
    expect(k.satisfaction).toMatchObject({ responses: 0, enough: false, normalisedMean: null });
    const online = k.figures.byChannel.find((c) => c.channel === 'online');
    expect(online).toMatchObject({ started: 7, completed: 6, cost: 120 });
    // Channels with no data are simply absent, not zeros.
    expect(k.figures.byChannel.map((c) => c.channel).sort()).toEqual(['in_person', 'online']);

    // One channel: no digital take-up; the cost per transaction of that channel.
    const person = await kpisOf(service, '2026-10', 'in_person');
    expect(person.digitalTakeUp).toBeNull();
    expect(person.costPerTransaction).toBeCloseTo(280.5 / 2, 10);
    expect(person.completionRate).toBeCloseTo(2 / 3, 10);

    // The quarter includes the quarterly phone cost.
    const quarter = await kpisOf(service, '2026-Q4');
    expect(quarter.figures.cost).toBeCloseTo(1399.5, 6);
    // The trend has October in its place and November empty.
    const trend = (await kpisOf(service, '12m')).trend;
    expect(trend.find((m) => m.month === '2026-10')).toMatchObject({ started: 10, completed: 8 });
    expect(trend.find((m) => m.month === '2026-11')).toMatchObject({ started: 0, completed: 0, completionRate: null, digitalTakeUp: null });
  });

  it('counts a repeated event once and places late, out-of-order events in their own period', async () => {
    const service = await makeService(t.app, org.id);
    const [started, completed] = transaction(service.code, 'late-1', '2026-09-30T23:30:00-04:00', 'online', 'approved', 60);
    // The completion arrives first, then the start (out of order), then both again (a retry).
    expect(await receiveEvents(deps(), sys, completed, now)).toEqual({ received: 1, stored: 1, duplicates: 0 });
    expect(await receiveEvents(deps(), sys, { events: [started, completed, started] }, now)).toEqual({ received: 3, stored: 1, duplicates: 2 });
    // Started 30 September at 23:30 in Toronto, completed 1 October at 00:30.
    expect((await kpisOf(service, '2026-09')).figures).toMatchObject({ started: 1, completed: 0 });
    expect((await kpisOf(service, '2026-10')).figures).toMatchObject({ started: 0, completed: 1 });
    expect((await kpisOf(service, '2026-Q3')).completionRate).toBe(0);
    const both = await kpisOf(service, '12m');
    expect(both.figures).toMatchObject({ started: 1, completed: 1 });
    expect(both.completionRate).toBe(1);
  });

  it('refuses a batch with any bad event, naming each by index, and stores nothing', async () => {
    const service = await makeService(t.app, org.id);
    const good = transaction(service.code, 'b1', '2026-10-02T14:00:00Z', 'online', 'approved');
    const events = [
      ...good,
      { id: 'b2', service: service.code, reference: 'b2', type: 'completed', channel: 'online', time: '2026-10-02T14:00:00Z' },
      { id: 'b3', service: 'NO-SUCH-SERVICE', reference: 'b3', type: 'started', channel: 'online', time: '2026-10-02T14:00:00Z' },
      { id: 'b4', service: service.code, reference: 'b4', type: 'started', channel: 'carrier pigeon', time: 'yesterday' },
      { id: 'b5', service: service.code, reference: 'b5', type: 'started', channel: 'online', time: '2027-01-01T00:00:00Z' },
    ];
    const error = await receiveEvents(deps(), sys, { events }, now).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const fields = (error as InputError).fields.map((f) => `${f.index}:${f.field}:${f.rule}`);
    expect(fields).toEqual(expect.arrayContaining(['2:outcome:required', '3:service:unknown', '4:channel:invalid', '4:time:invalid', '5:time:maximum']));
    expect((error as InputError).fields.every((f) => f.index !== 0 && f.index !== 1)).toBe(true);
    expect((await kpisOf(service, '2026-10')).figures.started).toBe(0);
  });

  it('takes satisfaction from feedback and hides it below 17 responses', async () => {
    const service = await makeService(t.app, org.id);
    const events = Array.from({ length: 17 }, (_, i) => transaction(service.code, `f${i}`, '2026-11-02T14:00:00Z', 'online', 'approved')).flat();
    await receiveEvents(deps(), sys, { events }, now);
    const answers = [5, 5, 5, 5, 5, 4, 4, 4, 4, 3, 3, 2, 2, 1, 5, 4, 1];
    for (const [i, satisfaction] of answers.slice(0, 16).entries()) await giveFeedback(deps(), sys, service.code, { satisfaction, ref: `f${i}` });
    expect((await kpisOf(service, '12m')).satisfaction).toMatchObject({ responses: 16, enough: false, satisfiedShare: null });
    await giveFeedback(deps(), sys, service.code, { satisfaction: answers[16], ref: 'f16' });
    const s = (await kpisOf(service, '12m')).satisfaction;
    // counts: 1 → 2, 2 → 2, 3 → 2, 4 → 5, 5 → 6; mean = (2 + 4 + 6 + 20 + 30) / 17 = 62/17.
    expect(s.counts).toEqual([2, 2, 2, 5, 6]);
    expect(s.normalisedMean).toBeCloseTo((62 / 17 - 1) / 4, 10);
    expect(s.satisfiedShare).toBeCloseTo(11 / 17, 10);
  });

  it('uses reported counts for services without events and keeps "no data" apart from zero', async () => {
    const service = await makeService(t.app, org.id);
    await reportCounts(deps(), sys, service.code, { periodStart: '2025-04-01', periodEnd: '2026-03-31', channel: 'online', completed: 900 });
    await reportCounts(deps(), sys, service.code, { periodStart: '2025-04-01', periodEnd: '2026-03-31', channel: 'mail', completed: 100 });
    await reportCounts(deps(), sys, service.code, { periodStart: '2025-04-01', periodEnd: '2026-03-31', channel: 'phone', missing: 'no_data' });
    const k = await kpisOf(service, 'FY2025-2026');
    expect(k.figures).toMatchObject({ completed: 1000, completedOnline: 900, started: 0, source: 'counts' });
    expect(k.digitalTakeUp).toBeCloseTo(0.9, 10);
    expect(k.completionRate).toBeNull();
    expect(k.figures.byChannel.find((c) => c.channel === 'phone')).toMatchObject({ completed: 0, missing: 'no_data' });
    // The yearly counts do not fall inside any single month.
    expect((await kpisOf(service, '2025-10')).figures.source).toBe('none');
  });

  it('adds an organization’s services together and lists them by volume', async () => {
    const other = await makeOrganization(t.app);
    const a = await makeService(t.app, other.id);
    const b = await makeService(t.app, other.id);
    await receiveEvents(deps(), sys, { events: [...transaction(a.code, 'o1', '2026-10-02T14:00:00Z', 'online', 'approved'), ...transaction(b.code, 'o2', '2026-10-02T14:00:00Z', 'mail', 'approved'), ...transaction(b.code, 'o3', '2026-10-03T14:00:00Z', 'mail', 'denied')] }, now);
    const d = await dashboard(deps(), { kind: 'organization', organization: other.slug }, { period: '2026-10' }, now);
    expect(d.report.figures).toMatchObject({ started: 3, completed: 3, completedOnline: 1 });
    expect(d.breakdown.map((r) => [r.service?.code, r.completed])).toEqual([[b.code, 2], [a.code, 1]]);
    const all = await dashboard(deps(), { kind: 'all' }, { period: '2026-10' }, now);
    expect(all.report.figures.completed).toBeGreaterThanOrEqual(3);
    expect(all.breakdown.some((r) => r.organization?.id === other.id)).toBe(true);
  });
});

describe('dashboards kept for a few seconds', () => {
  it('shows a change made through this process at once', async () => {
    const service = await makeService(t.app, org.id);
    expect((await kpisOf(service, '2026-10')).figures.started).toBe(0);
    await receiveEvents(deps(), sys, transaction(service.code, 'fresh-1', '2026-10-02T14:00:00Z', 'online', 'approved')[0], now);
    expect((await kpisOf(service, '2026-10')).figures.started).toBe(1);
  });

  it('reuses a computed dashboard until it is too old, and shares one computation between concurrent requests', async () => {
    const cache = new FiguresCache<number>(50);
    let computed = 0;
    const compute = async () => ++computed;
    expect(await Promise.all([cache.get('k', compute), cache.get('k', compute)])).toEqual([1, 1]);
    expect(await cache.get('k', compute)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await cache.get('k', compute)).toBe(2);
    cache.changed();
    expect(await cache.get('k', compute)).toBe(3);
    await expect(cache.get('failing', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('failing', compute)).toBe(4);
  });
});
