import { InputError } from '../../../kernel/errors/index.js';
import type { Range } from '../data/figures.js';
import type { PeriodView } from '../types.js';

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
/** Last day of month `m` (1–12) of year `y`. */
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Year and month (1–12) `n` months after `y`-`m`. */
export function addMonths(y: number, m: number, n: number): [number, number] {
  const index = y * 12 + (m - 1) + n;
  return [Math.floor(index / 12), (index % 12) + 1];
}

/** The calendar month as a range. */
export function monthRange(y: number, m: number): Range {
  return { start: iso(y, m, 1), end: iso(y, m, lastDay(y, m)) };
}

/** Formatters by time zone (making one costs far more than using it). */
const monthFormats = new Map<string, Intl.DateTimeFormat>();

/** Today's year and month in the platform's time zone. */
export function currentMonth(now: Date, timeZone: string): [number, number] {
  let format = monthFormats.get(timeZone);
  if (!format) monthFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' })));
  const parts = format.formatToParts(now);
  return [Number(parts.find((p) => p.type === 'year')?.value), Number(parts.find((p) => p.type === 'month')?.value)];
}

/**
 * Reads a period code: `12m` (the rolling 12 months up to and including this month), a month
 * `2026-10`, a calendar quarter `2026-Q3`, or a fiscal year (April to March) `FY2025-2026`.
 */
export function parsePeriod(code: string | undefined, now: Date, timeZone: string): PeriodView {
  const value = (code ?? '12m').trim();
  const [cy, cm] = currentMonth(now, timeZone);
  if (value === '12m') {
    const [sy, sm] = addMonths(cy, cm, -11);
    return { code: '12m', kind: 'rolling12', start: monthRange(sy, sm).start, end: monthRange(cy, cm).end };
  }
  let match = /^(\d{4})-(\d{2})$/.exec(value);
  if (match) {
    const [y, m] = [Number(match[1]), Number(match[2])];
    if (m >= 1 && m <= 12) return { code: value, kind: 'month', ...monthRange(y, m) };
  }
  match = /^(\d{4})-Q([1-4])$/i.exec(value);
  if (match) {
    const [y, q] = [Number(match[1]), Number(match[2])];
    return { code: `${y}-Q${q}`, kind: 'quarter', start: monthRange(y, q * 3 - 2).start, end: monthRange(y, q * 3).end };
  }
  match = /^FY(\d{4})-(\d{4})$/i.exec(value);
  if (match && Number(match[2]) === Number(match[1]) + 1) {
    const y = Number(match[1]);
    return { code: `FY${y}-${y + 1}`, kind: 'fiscal_year', start: iso(y, 4, 1), end: iso(y + 1, 3, 31) };
  }
  throw InputError.field('period', 'invalid', 'services.kpis.errors.period');
}

/** The 12 months ending with the period's last month (the trend charts). */
export function trendMonths(period: PeriodView): Array<{ month: string; range: Range }> {
  const [y, m] = period.end.split('-').map(Number) as [number, number];
  return Array.from({ length: 12 }, (_, i) => {
    const [ty, tm] = addMonths(y, m, i - 11);
    return { month: `${ty}-${pad(tm)}`, range: monthRange(ty, tm) };
  });
}

/** Periods offered in the dashboard's filter: rolling 12 months, recent months, quarters and fiscal years. */
export function periodChoices(now: Date, timeZone: string): Array<{ code: string; kind: PeriodView['kind'] }> {
  const [y, m] = currentMonth(now, timeZone);
  const months = Array.from({ length: 12 }, (_, i) => addMonths(y, m, -i)).map(([ty, tm]) => ({ code: `${ty}-${pad(tm)}`, kind: 'month' as const }));
  const q = Math.ceil(m / 3);
  const quarters = Array.from({ length: 4 }, (_, i) => {
    const index = y * 4 + (q - 1) - i;
    return { code: `${Math.floor(index / 4)}-Q${(index % 4) + 1}`, kind: 'quarter' as const };
  });
  const fy = m >= 4 ? y : y - 1;
  const years = Array.from({ length: 4 }, (_, i) => ({ code: `FY${fy - i}-${fy - i + 1}`, kind: 'fiscal_year' as const }));
  return [{ code: '12m', kind: 'rolling12' }, ...months, ...quarters, ...years];
}
