/**
 * Chart geometry for SVG drawn on the server (no JavaScript): plain numbers and strings that
 * `components/chart.njk` turns into markup. Nothing here knows a language; callers pass labels
 * already translated, and the template formats the numbers.
 */

/** How the values read: plain numbers, or percentages (50 means 50%). */
export type ChartFormat = 'number' | 'percent';

export interface ChartSeriesInput {
  id: string;
  /** Shown in the legend and as the table's column header (already translated). */
  label: string;
  /** One value per category; null means no data (no bar, a gap in the line, a dash in the table). */
  values: Array<number | null>;
}

export interface ChartInput {
  /** The x axis, in order (months, channels…); also the table's row headers. */
  categories: string[];
  series: ChartSeriesInput[];
  format?: ChartFormat;
  /** The drawing's own units; the SVG scales to the width of its container. */
  width?: number;
  height?: number;
}

export interface LineChartInput extends ChartInput {
  /** Bounds of the value axis (rounded out to a step); values outside them widen the axis. */
  min?: number;
  max?: number;
}

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'cross';
export type FillPattern = 'solid' | 'diagonal' | 'dots' | 'horizontal' | 'crosshatch';

/**
 * How one series is drawn. Colour is never the only difference (WCAG 1.4.1): bars also differ by
 * fill pattern, lines by marker shape and dash pattern, and the legend shows the same.
 */
export interface SeriesStyle {
  /** At least 3:1 against white (WCAG 1.4.11). */
  colour: string;
  marker: MarkerShape;
  /** `stroke-dasharray` for a line, or null for a solid line. */
  dash: string | null;
  pattern: FillPattern;
}

/** Five distinct styles; a sixth series starts again (more than five is better shown as a table). */
export const seriesStyles: readonly SeriesStyle[] = [
  { colour: '#1d70b8', marker: 'circle', dash: null, pattern: 'solid' }, // 5.2:1
  { colour: '#d4351c', marker: 'square', dash: '8 4', pattern: 'diagonal' }, // 4.9:1
  { colour: '#00703c', marker: 'triangle', dash: '2 3', pattern: 'dots' }, // 6.2:1
  { colour: '#4c2c92', marker: 'diamond', dash: '12 3 3 3', pattern: 'horizontal' }, // 10.1:1
  { colour: '#505a5f', marker: 'cross', dash: '4 4', pattern: 'crosshatch' }, // 7.1:1
];

export interface ChartTick {
  value: number;
  y: number;
}

export interface ChartCategory {
  label: string;
  /** Centre of the category's slot. */
  x: number;
  /** False when labels would overlap (many categories): only every n-th one is drawn. */
  showLabel: boolean;
}

export interface ChartSeriesBase extends ChartSeriesInput {
  style: SeriesStyle;
}

/** What bar and line charts share. */
export interface ChartBase {
  width: number;
  height: number;
  format: ChartFormat;
  /** The drawing area inside the axes' labels. */
  plot: { left: number; top: number; right: number; bottom: number };
  axis: { min: number; max: number; step: number; ticks: ChartTick[] };
  categories: ChartCategory[];
  /** True when every value is null: the template says so instead of drawing an empty frame. */
  empty: boolean;
}

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
}

export interface BarSeries extends ChartSeriesBase {
  /** One per category that has a value (none for null). */
  bars: Bar[];
}

export interface BarChart extends ChartBase {
  kind: 'bar';
  /** Where bars start: the y of the value 0. */
  baseline: number;
  series: BarSeries[];
}

export interface LineMarker {
  x: number;
  y: number;
  value: number;
  /** SVG path of the series' marker shape, centred on the point. */
  path: string;
}

export interface LineSeries extends ChartSeriesBase {
  /** `points` of one polyline per run of values without a null (a null breaks the line). */
  segments: string[];
  markers: LineMarker[];
  /** The marker's path in a 28 × 14 legend key, centred at (14, 7). */
  legendMarker: string;
}

export interface LineChart extends ChartBase {
  kind: 'line';
  series: LineSeries[];
}

export type Chart = BarChart | LineChart;

/** Grouped bars from zero, one group per category. */
export function barChart(input: ChartInput): BarChart {
  const frame = layout(input, { fromZero: true });
  const { plot, slot, y } = frame;
  const count = Math.max(1, input.series.length);
  // Groups fill most of their slot, but one or two categories must not become wall-wide slabs.
  const groupWidth = Math.min(slot * 0.8, count * 48);
  const gap = count > 1 ? 1 : 0; // a white gap between neighbours, whatever their colours
  const barWidth = Math.max(1, (groupWidth - gap * (count - 1)) / count);
  const baseline = y(0);
  return {
    kind: 'bar',
    ...frame.chart,
    baseline: round(baseline),
    series: input.series.map((s, j) => ({
      ...s,
      style: styleOf(j),
      bars: s.values.flatMap((value, i) => {
        if (value === null || !Number.isFinite(value)) return [];
        const x = plot.left + i * slot + (slot - groupWidth) / 2 + j * (barWidth + gap);
        const top = Math.min(y(value), baseline);
        return [{ x: round(x), y: round(top), width: round(barWidth), height: round(Math.abs(y(value) - baseline)), value }];
      }),
    })),
  };
}

/** One line per series, with a marker on every value; null values break the line. */
export function lineChart(input: LineChartInput): LineChart {
  const frame = layout(input, { fromZero: false, min: input.min, max: input.max });
  const { plot, slot, y } = frame;
  const x = (i: number) => round(plot.left + (i + 0.5) * slot);
  return {
    kind: 'line',
    ...frame.chart,
    series: input.series.map((s, j) => {
      const style = styleOf(j);
      const segments: string[] = [];
      const markers: LineMarker[] = [];
      let run: string[] = [];
      s.values.forEach((value, i) => {
        if (value === null || !Number.isFinite(value)) {
          if (run.length) segments.push(run.join(' '));
          run = [];
          return;
        }
        const point = { x: x(i), y: round(y(value)) };
        run.push(`${point.x},${point.y}`);
        markers.push({ ...point, value, path: markerPath(style.marker, point.x, point.y) });
      });
      if (run.length) segments.push(run.join(' '));
      // A lone value has no line to draw, only its marker.
      return { ...s, style, segments: segments.filter((p) => p.includes(' ')), markers, legendMarker: markerPath(style.marker, 14, 7) };
    }),
  };
}

/** The style of the `index`-th series. */
export function styleOf(index: number): SeriesStyle {
  return seriesStyles[index % seriesStyles.length]!;
}

/**
 * A round axis: steps of 1, 2 or 5 times a power of ten, about five of them, covering `low` to
 * `high`. Whole numbers never get fractional steps (no "0.5 downloads").
 */
export function niceAxis(low: number, high: number, wholeNumbers = false): { min: number; max: number; step: number; ticks: number[] } {
  if (high <= low) high = low + 1; // all values equal (all zero): still a readable axis
  const raw = (high - low) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((s) => s * magnitude).find((s) => s >= raw * (1 - 1e-9)) ?? magnitude * 10;
  if (wholeNumbers) step = Math.max(1, step);
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  // Rounded to the step's decimals, so 0.1 × 3 is 0.3 and not 0.30000000000000004.
  const fix = (v: number) => Number(v.toFixed(decimals));
  const min = fix(Math.floor(low / step + 1e-9) * step);
  const max = fix(Math.ceil(high / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let i = 0; min + i * step <= max + step / 2; i++) ticks.push(fix(min + i * step));
  return { min, max, step, ticks };
}

/** An SVG path for a marker shape, centred on (x, y), about 9 px across. */
export function markerPath(shape: MarkerShape, x: number, y: number, r = 4.5): string {
  const p = (dx: number, dy: number) => `${round(x + dx)},${round(y + dy)}`;
  switch (shape) {
    case 'circle':
      return `M${p(-r, 0)}a${r},${r} 0 1,0 ${r * 2},0a${r},${r} 0 1,0 ${-r * 2},0Z`;
    case 'square': {
      const s = r * 0.85;
      return `M${p(-s, -s)}L${p(s, -s)}L${p(s, s)}L${p(-s, s)}Z`;
    }
    case 'triangle':
      return `M${p(0, -r * 1.1)}L${p(r, r * 0.8)}L${p(-r, r * 0.8)}Z`;
    case 'diamond':
      return `M${p(0, -r * 1.2)}L${p(r, 0)}L${p(0, r * 1.2)}L${p(-r, 0)}Z`;
    case 'cross': {
      // An X drawn as one filled outline, arms a third of its size wide.
      const a = r;
      const w = r * 0.35;
      return `M${p(-a, -a + w)}L${p(-a + w, -a)}L${p(0, -w)}L${p(a - w, -a)}L${p(a, -a + w)}L${p(w, 0)}L${p(a, a - w)}L${p(a - w, a)}L${p(0, w)}L${p(-a + w, a)}L${p(-a, a - w)}L${p(-w, 0)}Z`;
    }
  }
}

interface Frame {
  chart: ChartBase;
  plot: ChartBase['plot'];
  slot: number;
  y: (value: number) => number;
}

/** The axes shared by both kinds: value scale, ticks, category slots and which labels fit. */
function layout(input: ChartInput, bounds: { fromZero: boolean; min?: number | undefined; max?: number | undefined }): Frame {
  const width = input.width ?? 640;
  const height = input.height ?? 240;
  const format = input.format ?? 'number';
  const values = input.series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  // A share reads against the whole: 0 to 100% unless the caller sets bounds. Other figures start
  // from zero (bars always do). Values outside the bounds widen the axis: data is never cut off.
  const percent = format === 'percent';
  const low = Math.min(bounds.min ?? (percent ? 0 : Math.min(0, ...values)), ...values, bounds.fromZero ? 0 : Infinity);
  const high = Math.max(bounds.max ?? (percent ? 100 : Math.max(0, ...values)), ...values, bounds.fromZero ? 0 : -Infinity);
  const axis = niceAxis(low, high, !percent && values.every(Number.isInteger));

  // Room on the left for the longest tick label (about 6.5 px a character at 11 px).
  const longest = Math.max(...axis.ticks.map((v) => v.toLocaleString('en-CA').length + (percent ? 2 : 0)));
  const plot = { left: Math.max(32, Math.round(10 + longest * 6.5)), top: 10, right: width - 12, bottom: height - 24 };
  const y = (value: number) => plot.bottom - ((value - axis.min) / (axis.max - axis.min)) * (plot.bottom - plot.top);
  const n = Math.max(1, input.categories.length);
  const slot = (plot.right - plot.left) / n;
  // Category labels at 11 px take about 6.2 px a character; draw every n-th so none overlap.
  const labelWidth = Math.max(...input.categories.map((c) => c.length), 1) * 6.2 + 4;
  const every = Math.max(1, Math.ceil(labelWidth / slot));
  return {
    chart: {
      width,
      height,
      format,
      plot,
      axis: { ...axis, ticks: axis.ticks.map((value) => ({ value, y: round(y(value)) })) },
      categories: input.categories.map((label, i) => ({ label, x: round(plot.left + (i + 0.5) * slot), showLabel: i % every === 0 })),
      empty: values.length === 0,
    },
    plot,
    slot,
    y,
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
