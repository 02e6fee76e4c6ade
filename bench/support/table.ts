/** Plain-text tables for the terminal (and pasting into Markdown). */

export type Align = 'left' | 'right';

export function table(headers: string[], rows: string[][], align: Align[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (text: string, i: number) =>
    (align[i] ?? 'right') === 'left' ? text.padEnd(widths[i]!) : text.padStart(widths[i]!);
  const line = (cells: string[]) => `| ${cells.map((c, i) => cell(c, i)).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => ((align[i] ?? 'right') === 'left' ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

export const fixed = (value: number, digits = 1) => value.toFixed(digits);
export const thousands = (value: number) => Math.round(value).toLocaleString('en-CA');
export const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
export const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
