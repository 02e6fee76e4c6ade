import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCatalogs, Messages, type Locale } from '../i18n/index.js';
import { barChart, lineChart, niceAxis, seriesStyles, type Chart } from './charts.js';
import { Views } from './index.js';

const months = (n: number) => Array.from({ length: n }, (_, i) => `20${24 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);

/** WCAG relative luminance contrast of a colour against white. */
function contrastWithWhite(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05);
}

describe('niceAxis', () => {
  it('steps by 1, 2 or 5 times a power of ten', () => {
    expect(niceAxis(0, 37)).toMatchObject({ min: 0, max: 40, step: 10, ticks: [0, 10, 20, 30, 40] });
    expect(niceAxis(0, 100)).toMatchObject({ step: 20, ticks: [0, 20, 40, 60, 80, 100] });
    expect(niceAxis(0, 1234)).toMatchObject({ max: 1500, step: 500, ticks: [0, 500, 1000, 1500] });
    expect(niceAxis(-30, 70)).toMatchObject({ min: -40, max: 80, step: 20 });
  });

  it('gives tidy decimals, and whole steps for whole numbers', () => {
    expect(niceAxis(0, 0.7).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceAxis(0, 3, true).ticks).toEqual([0, 1, 2, 3]);
    expect(niceAxis(0, 0, true).ticks).toEqual([0, 1]); // all zero
  });
});

describe('barChart', () => {
  const chart = barChart({
    categories: ['2024-01', '2024-02', '2024-03'],
    series: [
      { id: 'views', label: 'Views', values: [37, 0, null] },
      { id: 'downloads', label: 'Downloads', values: [3, 0, 5] },
    ],
  });

  it('scales to a round top, bars from the baseline, no bar for no data', () => {
    expect(chart.axis.max).toBe(40);
    expect(chart.axis.ticks.map((t) => t.value)).toEqual([0, 10, 20, 30, 40]);
    expect(chart.axis.ticks[0]!.y).toBe(chart.baseline);
    const [views, downloads] = chart.series;
    expect(views!.bars).toHaveLength(2); // March has no data
    expect(views!.bars[0]!.height).toBeGreaterThan(downloads!.bars[0]!.height);
    expect(views!.bars[1]).toMatchObject({ height: 0, y: chart.baseline, value: 0 });
    expect(views!.bars[0]!.y + views!.bars[0]!.height).toBe(chart.baseline);
  });

  it('puts each group in its slot, bars side by side and apart', () => {
    const [views, downloads] = chart.series;
    const [v, d] = [views!.bars[0]!, downloads!.bars[0]!];
    expect(d.x).toBeGreaterThan(v.x + v.width); // a gap between neighbours
    expect(v.x).toBeGreaterThanOrEqual(chart.plot.left);
    expect(downloads!.bars.at(-1)!.x + d.width).toBeLessThanOrEqual(chart.plot.right);
  });

  it('keeps one category’s bars narrow, centred', () => {
    const one = barChart({ categories: ['Online'], series: [{ id: 'a', label: 'A', values: [3] }] });
    const bar = one.series[0]!.bars[0]!;
    expect(bar.width).toBeLessThanOrEqual(48);
    expect(bar.x + bar.width / 2).toBeCloseTo(one.categories[0]!.x, 0);
  });

  it('thins out labels that would overlap, and draws every one when they fit', () => {
    expect(chart.categories.every((c) => c.showLabel)).toBe(true);
    const long = barChart({ categories: months(24), series: [{ id: 'a', label: 'A', values: months(24).map((_, i) => i) }] });
    const shown = long.categories.filter((c) => c.showLabel);
    expect(shown.length).toBeLessThan(24);
    expect(shown[0]!.label).toBe('2024-01');
    for (let i = 1; i < shown.length; i++) expect(shown[i]!.x - shown[i - 1]!.x).toBeGreaterThanOrEqual(7 * 6);
  });

  it('draws all-null as empty, all-zero on a whole-number axis', () => {
    const none = barChart({ categories: ['a', 'b'], series: [{ id: 's', label: 'S', values: [null, null] }] });
    expect(none.empty).toBe(true);
    expect(none.series[0]!.bars).toEqual([]);
    const zero = barChart({ categories: ['a', 'b'], series: [{ id: 's', label: 'S', values: [0, 0] }] });
    expect(zero.empty).toBe(false);
    expect(zero.axis.ticks.map((t) => t.value)).toEqual([0, 1]);
  });

  it('grows bars down from zero for negative values', () => {
    const change = barChart({ categories: ['a', 'b'], series: [{ id: 's', label: 'S', values: [10, -5] }] });
    const [up, down] = change.series[0]!.bars;
    expect(up!.y + up!.height).toBe(change.baseline);
    expect(down!.y).toBe(change.baseline);
    expect(change.axis.min).toBeLessThan(0);
  });
});

describe('lineChart', () => {
  it('breaks the line at no data, and marks every value', () => {
    const chart = lineChart({ categories: months(6), series: [{ id: 'a', label: 'A', values: [1, 2, null, 4, 5, null] }] });
    const [s] = chart.series;
    expect(s!.segments).toHaveLength(2);
    expect(s!.segments.map((p) => p.split(' ').length)).toEqual([2, 2]);
    expect(s!.markers.map((m) => m.value)).toEqual([1, 2, 4, 5]);
    expect(s!.markers[0]!.path).toMatch(/^M[\d.,-]+a/);
  });

  it('shows a lone value as a marker only', () => {
    const chart = lineChart({ categories: ['2024-01'], series: [{ id: 'a', label: 'A', values: [3] }] });
    expect(chart.series[0]!.segments).toEqual([]);
    expect(chart.series[0]!.markers).toHaveLength(1);
  });

  it('uses 0–100% for percentages unless given bounds, and never cuts data off', () => {
    const share = lineChart({ categories: ['a', 'b'], format: 'percent', series: [{ id: 'a', label: 'A', values: [91.5, 97] }] });
    expect([share.axis.min, share.axis.max]).toEqual([0, 100]);
    const zoomed = lineChart({ categories: ['a', 'b'], format: 'percent', min: 90, max: 100, series: [{ id: 'a', label: 'A', values: [91.5, 97] }] });
    expect([zoomed.axis.min, zoomed.axis.max]).toEqual([90, 100]);
    const beyond = lineChart({ categories: ['a', 'b'], format: 'percent', min: 90, max: 100, series: [{ id: 'a', label: 'A', values: [85, 97] }] });
    expect(beyond.axis.min).toBeLessThanOrEqual(85);
    const over = lineChart({ categories: ['a'], format: 'percent', series: [{ id: 'a', label: 'A', values: [130] }] });
    expect(over.axis.max).toBeGreaterThanOrEqual(130);
  });

  it('places points on the value scale', () => {
    const chart = lineChart({ categories: ['a', 'b'], series: [{ id: 'a', label: 'A', values: [0, 40] }] });
    const [low, high] = chart.series[0]!.markers;
    expect(low!.y).toBe(chart.plot.bottom);
    expect(high!.y).toBe(chart.plot.top);
    expect(high!.x).toBeGreaterThan(low!.x);
  });
});

describe('series styles', () => {
  it('differ by more than colour, in colours with 3:1 contrast against white', () => {
    for (const style of seriesStyles) expect(contrastWithWhite(style.colour), style.colour).toBeGreaterThanOrEqual(3);
    for (const key of ['colour', 'marker', 'dash', 'pattern'] as const) expect(new Set(seriesStyles.map((s) => s[key])).size).toBe(seriesStyles.length);
    const chart = lineChart({ categories: ['a'], series: [0, 1, 2].map((i) => ({ id: `s${i}`, label: `S${i}`, values: [i] })) });
    expect(chart.series.map((s) => s.style)).toEqual(seriesStyles.slice(0, 3));
  });
});

describe('components/chart.njk', () => {
  const catalogs = loadCatalogs([{ directory: fileURLToPath(new URL('../locales', import.meta.url)), prefix: '' }]);
  const messages = new Messages(catalogs);
  const views = new Views({ namespaces: new Map(), reload: false, timeZone: 'America/Toronto' });
  const render = (chart: Chart, locale: Locale = 'en', id = 'kpi') =>
    views.env.renderString(
      `{% from "components/chart.njk" import trlChart with context %}{{ trlChart(chart, { id: id, title: 'Calls answered', summary: 'Most calls were answered within a minute.', categoryLabel: 'Month' }) }}`,
      { chart, locale, t: messages.forLocale(locale), id },
    );
  const share = lineChart({
    categories: ['2024-01', '2024-02'],
    format: 'percent',
    series: [
      { id: 'phone', label: 'Phone', values: [1234.5, null] },
      { id: 'online', label: 'Online', values: [50, 75] },
    ],
  });

  it('draws an SVG image named and described by ids made from the chart’s id, with a visible summary and an HTML key', () => {
    const html = render(share);
    expect(html).toContain('<svg viewBox="0 0 640 240" width="100%" role="img" aria-labelledby="kpi-title" aria-describedby="kpi-desc"');
    expect(html).toContain('<title id="kpi-title">Calls answered</title>');
    expect(html).toContain('<desc id="kpi-desc">Most calls were answered within a minute.</desc>');
    expect(html).toContain('<p class="govuk-body">Most calls were answered within a minute.</p>');
    expect(html).toMatch(/<ul class="govuk-list govuk-body-s" aria-label="Key">[\s\S]*<\/svg>Phone<\/li>[\s\S]*<\/svg>Online<\/li>/);
    expect(html).toContain('stroke-dasharray="8 4"'); // the second line is dashed
    expect(html.match(/<polyline /g)).toHaveLength(1); // Phone's lone value has no line
    expect(render(share, 'en', 'other')).not.toContain('id="kpi-');
  });

  it('gives the same figures as a table, formatted for the language, with no data said in words', () => {
    const en = render(share);
    expect(en).toContain('<div class="trl-table-scroll" role="region" aria-label="Calls answered" tabindex="0">');
    expect(en).toContain('<caption class="govuk-table__caption govuk-table__caption--s">Calls answered</caption>');
    expect(en).toContain('<th scope="col" class="govuk-table__header">Month</th>');
    expect(en).toContain('<th scope="col" class="govuk-table__header govuk-table__header--numeric">Phone</th>');
    expect(en).toContain('<th scope="row" class="govuk-table__header">2024-01</th>');
    expect(en).toContain('>1,234.5%</td>');
    expect(en).toContain('<span aria-hidden="true">–</span><span class="govuk-visually-hidden">No data</span>');
    const fr = render(share, 'fr');
    expect(fr).toContain('>1\u00a0234,5\u00a0%</td>');
    expect(fr).toContain('<span class="govuk-visually-hidden">Aucune donnée</span>');
    expect(fr).toContain('aria-label="Légende"');
  });

  it('fills bars with a pattern per series, defined inside this chart', () => {
    const bars = barChart({ categories: ['a'], series: [{ id: 'x', label: 'X', values: [1] }, { id: 'y', label: 'Y', values: [2] }] });
    const html = render(bars, 'en', 'channels');
    expect(html).toContain('<pattern id="channels-fill-1"');
    expect(html).toContain('fill="url(#channels-fill-1)"');
    expect(html).not.toContain('channels-fill-0'); // the first series is solid
  });

  it('says there is no data when there is none', () => {
    const none = barChart({ categories: ['a'], series: [{ id: 'x', label: 'X', values: [null] }] });
    expect(render(none)).toMatch(/<text [^>]*>No data<\/text>/);
  });
});
