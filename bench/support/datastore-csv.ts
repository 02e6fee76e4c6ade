/**
 * A large CSV for the datastore workload, made from the real Ontario COVID-19 assessment centre
 * file (2,830 rows × 50 columns): nine representative columns are kept and the real rows are
 * repeated, with a running `id`, up to the number of rows asked for. Written to disk as it is
 * generated (never whole in memory), so 10 million rows cost no more memory than 1,000.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

export const ontarioCsv = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../test/data/catalogue/ontario-covid-assessment-centres/assessment_centre_locations_2021_07_13.csv',
);

/** Source columns kept, in order: ids, names EN/FR, city, postal code, a Yes/No flag, coordinates. */
const keptColumns = [
  'location_id',
  'location_name',
  'location_name_fr',
  'city',
  'postal_code',
  'walk_ins',
  'latitude',
  'longitude',
] as const;

/** Values the query cases use, with how many source rows hold each (× rows / 2,830 in the big file). */
export interface Pick {
  value: string;
  sourceRows: number;
}

export interface GeneratedCsv {
  path: string;
  bytes: number;
  rows: number;
  columns: string[];
  sourceRows: number;
  /** Cities spread over the frequency range (for `filters`). */
  cities: Pick[];
  /** Words of location names spread over the frequency range (for full-text `q`). */
  terms: Pick[];
}

/** A CSV cell, quoted only when it has to be (an empty unquoted cell is NULL to COPY, as in the loader). */
function cell(value: string): string {
  const flat = value.replace(/\r?\n|\r/g, ' ');
  return /[",]/.test(flat) ? `"${flat.replace(/"/g, '""')}"` : flat;
}

/** `count` values evenly spaced over the list sorted by frequency (most frequent first). */
function spread(counts: Map<string, number>, count: number): Pick[] {
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const step = Math.max(1, (sorted.length - 1) / Math.max(1, count - 1));
  const picks: Pick[] = [];
  for (let i = 0; i < count && Math.round(i * step) < sorted.length; i++) {
    const [value, sourceRows] = sorted[Math.round(i * step)]!;
    picks.push({ value, sourceRows });
  }
  return picks;
}

function tally<T>(items: Iterable<T>): Map<T, number> {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

export async function generateCsv(dir: string, rows: number, picks = 16): Promise<GeneratedCsv> {
  const records = parse(fs.readFileSync(ontarioCsv), { columns: true, bom: true }) as Array<
    Record<string, string>
  >;
  // Each source row once as `,<cells>\n`; the running id goes in front of it.
  const tails = records.map((r) => `,${keptColumns.map((c) => cell(r[c] ?? '')).join(',')}\n`);
  const file = path.join(dir, `ontario-assessment-centres-${rows}.csv`);
  const out = fs.createWriteStream(file);
  out.write(`id,${keptColumns.join(',')}\n`);
  const blockRows = 5000;
  for (let start = 1; start <= rows; start += blockRows) {
    let block = '';
    for (let id = start; id < start + blockRows && id <= rows; id++)
      block += `${id}${tails[(id - 1) % tails.length]}`;
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');

  const words = records.flatMap((r) => [
    ...new Set((r['location_name'] ?? '').toLowerCase().match(/\p{L}{4,}/gu) ?? []),
  ]);
  return {
    path: file,
    bytes: fs.statSync(file).size,
    rows,
    columns: ['id', ...keptColumns],
    sourceRows: records.length,
    cities: spread(tally(records.map((r) => r['city'] ?? '')), picks),
    terms: spread(tally(words), picks),
  };
}
