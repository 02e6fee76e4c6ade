import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { JobContext } from '../../../kernel/jobs/index.js';
import type { CatalogueDeps } from '../actions/datasets.js';
import { findResource, type ResourceRow } from '../data/resources.js';
import type { TableSchema, ValidationReport } from '../schema.js';
import { openBulkWriter, type BulkWriter } from './bulk.js';
import { columnNames } from './headers.js';
import { inferSchema, sampleRows, type ColumnStats } from './infer.js';
import { ReportBuilder } from './report.js';
import { decoder, detectDelimiter, detectEncoding } from './sniff.js';
import { datastoreSchema, ident, liveTableName, stagingTableName } from './sql.js';
import {
  analyze,
  createIndex,
  createStagingTable,
  dropTable,
  duplicateKeys,
  lockLoadJob,
  setLoadState,
  stagingTables,
  standardSchema,
  swapIn,
} from './store.js';
import { castCell, columnType, defaultMissingValues, type SchemaField } from './types.js';

/** What the load job is given: the resource, and whether to infer types afresh (a new file). */
export interface LoadPayload {
  resourceId: string;
  reinfer?: boolean;
}

/** The job's result (stored on the job; the resource row holds the report). */
export interface LoadResult {
  status: 'loaded' | 'superseded' | 'gone';
  rows?: number;
  table?: string;
}

/** A load that cannot go on (unreadable file, no header…): the job fails and the report says why. */
export class LoadFailed extends Error {
  constructor(
    message: string,
    readonly report: ValidationReport,
  ) {
    super(message);
  }
}

/** At most this many columns get a B-tree index (each one slows the load down). */
export const maxIndexes = 20;
/** Progress is written at most this often. */
const progressEveryMs = 1000;
/** Rows are sent to the database in pieces of about this many characters. */
const writeBatchChars = 256 * 1024;

/** The Table Schema rows are loaded with, and the constraints cells are checked against. */
interface Plan {
  names: string[];
  schema: TableSchema;
  stats: ColumnStats[];
  standard: TableSchema | null;
}

/**
 * Loads a resource's file into the datastore. The pipeline: detect the encoding and delimiter from
 * the first 64 KB; stream the file through a decoder and a CSV parser; read the header and a sample
 * of rows to infer (or apply) the Table Schema; create a staging table; cast and check every cell,
 * writing rows with `COPY`; check primary keys; build indexes; then, in one transaction, swap the
 * staging table in and record the report. Any failure drops the staging table: the previous good
 * version stays live.
 */
export async function loadResource(deps: CatalogueDeps, job: JobContext<LoadPayload>): Promise<LoadResult> {
  const { kernel } = deps;
  const db = kernel.database.db;
  const resource = await findResource(db, job.payload.resourceId);
  if (!resource) return { status: 'gone' };
  // A newer load was requested since this job was queued: that one will do the work.
  if (resource.loadJobId && resource.loadJobId !== job.id) return { status: 'superseded' };
  const tag = job.id.replace(/-/g, '').slice(0, 12);
  const staging = stagingTableName(resource.id, tag);
  await setLoadState(db, resource.id, { loadStatus: 'loading' });
  await dropTable(db, staging); // left by an earlier attempt of this job
  try {
    const { rows, report, plan } = await copyFile(deps, job, resource, staging);
    await job.progress(resource.size ?? 0, resource.size ?? null, 'phase:indexing');
    const duplicateKey = await checkKeys(deps, staging, plan, report);
    await buildIndexes(deps, staging, tag, plan, duplicateKey);
    await analyze(db, staging);
    const validation = report.build(rows);
    const live = liveTableName(resource.id);
    const swapped = await kernel.database.transaction(async (tx) => {
      if ((await lockLoadJob(tx, resource.id)) !== job.id) return false;
      await swapIn(tx, staging, live);
      for (const leftover of await stagingTables(tx, resource.id)) await dropTable(tx, leftover);
      await setLoadState(tx, resource.id, {
        loadStatus: 'loaded',
        datastoreTable: live,
        datastoreRows: rows,
        loadedAt: new Date(),
        validation,
        tableSchema: plan.schema,
      });
      return true;
    });
    if (!swapped) {
      await dropTable(db, staging);
      return { status: 'superseded' };
    }
    await job.progress(resource.size ?? 0, resource.size ?? null, `rows:${rows}`);
    return { status: 'loaded', rows, table: `${datastoreSchema}.${live}` };
  } catch (error) {
    await dropTable(db, staging).catch(() => {});
    const report = error instanceof LoadFailed ? error.report : failureReport(error);
    // Only the newest load speaks for the resource; the live table (if any) is left as it was.
    await kernel.database.transaction(async (tx) => {
      if ((await lockLoadJob(tx, resource.id)) === job.id)
        await setLoadState(tx, resource.id, { loadStatus: 'failed', validation: report });
    });
    throw error;
  }
}

function failureReport(error: unknown): ValidationReport {
  const builder = new ReportBuilder();
  builder.add('parse-error', { message: error instanceof Error ? error.message : String(error) });
  return builder.build(0);
}

/** The first bytes of a stored file (for encoding and delimiter detection). */
async function readHead(stream: Readable, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= bytes) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, bytes);
}

/** The schema rows are loaded with: the editor's or the inferred one, with a data standard's fields on top. */
async function planSchema(
  deps: CatalogueDeps,
  resource: ResourceRow,
  names: string[],
  sample: string[][],
  reinfer: boolean,
  report: ReportBuilder,
): Promise<Plan> {
  const previous = resource.tableSchema;
  const { schema, stats } = inferSchema(names, sample, previous);
  if (!reinfer && previous) {
    // The editor's schema is applied as written: a value that does not fit is a type error.
    schema.fields = schema.fields.map((f) => {
      const declared = previous.fields.find((p) => p.name === f.name);
      return declared ? { ...declared, name: f.name } : f;
    });
  }
  const standard = resource.standardId
    ? await standardSchema(deps.kernel.database.db, resource.standardId)
    : null;
  if (standard) {
    for (const field of standard.fields) {
      const i = names.indexOf(field.name);
      if (i < 0) report.add('missing-field', { row: 1, field: field.name, message: 'standard' });
      else schema.fields[i] = { ...schema.fields[i], ...field, name: field.name };
    }
    for (const name of names)
      if (!standard.fields.some((f) => f.name === name))
        report.add('extra-field', { row: 1, field: name, message: 'standard' });
    if (standard.primaryKey && !schema.primaryKey) schema.primaryKey = standard.primaryKey;
    if (standard.missingValues) schema.missingValues = standard.missingValues;
  }
  return { names, schema, stats, standard };
}

/** Streams the file into the staging table; returns the rows written and the report so far. */
async function copyFile(
  deps: CatalogueDeps,
  job: JobContext<LoadPayload>,
  resource: ResourceRow,
  staging: string,
): Promise<{ rows: number; report: ReportBuilder; plan: Plan }> {
  const { kernel } = deps;
  const report = new ReportBuilder();
  if (!resource.fileKey)
    throw new LoadFailed(
      'The resource has no file to load',
      withProblem(report, 'parse-error', { message: 'no file' }),
    );
  const sampleBytes = 64 * 1024;
  const head = await readHead(kernel.files.open(resource.fileKey), sampleBytes);
  const { encoding } = detectEncoding(head, head.length < sampleBytes);
  const delimiter = detectDelimiter(new TextDecoder(encoding).decode(head), resource.format);
  const total = resource.size ?? null;

  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    bom: true,
  });

  let rowNumber = 0;
  let names: string[] | undefined;
  const sample: Array<{ row: number; cells: string[] }> = [];
  let loader: RowLoader | undefined;
  let lastProgress = 0;

  const start = async () => {
    const plan = await planSchema(
      deps,
      resource,
      names!,
      sample.map((s) => s.cells),
      job.payload.reinfer ?? false,
      report,
    );
    const columns = plan.schema.fields.map((f) => ({
      name: f.name,
      sqlType: columnType(f.type),
      searchable: ['text', 'bigint', 'numeric'].includes(columnType(f.type)),
    }));
    await createStagingTable(kernel.database.db, staging, columns);
    const copySql = `COPY ${datastoreSchema}.${ident(staging)} (${columns.map((c) => ident(c.name)).join(', ')}) FROM STDIN WITH (FORMAT csv)`;
    loader = new RowLoader(
      plan,
      await openBulkWriter(kernel.database, copySql),
      report,
      encoding === 'utf-8',
    );
    for (const s of sample) await loader.row(s.cells, s.row);
    sample.length = 0;
  };

  try {
    await pipeline(
      kernel.files.open(resource.fileKey),
      counter,
      decoder(encoding),
      parser,
      async (records: AsyncIterable<string[]>) => {
        for await (const record of records) {
          rowNumber++;
          if (!names) {
            if (record.length > 1500)
              throw new LoadFailed(
                `Too many columns (${record.length})`,
                withProblem(report, 'parse-error', { row: 1, message: `${record.length} columns` }),
              );
            names = columnNames(record, report);
            continue;
          }
          if (!loader) {
            sample.push({ row: rowNumber, cells: record });
            if (sample.length >= sampleRows) await start();
            continue;
          }
          await loader.row(record, rowNumber);
          if (rowNumber % 1000 === 0 && Date.now() - lastProgress > progressEveryMs) {
            lastProgress = Date.now();
            await job.progress(bytes, total, `rows:${loader.rows}`);
          }
        }
      },
    );
  } catch (error) {
    await loader?.abort();
    if (error instanceof LoadFailed) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('CSV_') || code === 'INVALID_OPENING_QUOTE') {
      // The CSV cannot be read past this point: nothing of this version is loaded.
      const message = (error as Error).message;
      throw new LoadFailed(
        `Row ${rowNumber + 1}: ${message}`,
        withProblem(report, 'parse-error', { row: rowNumber + 1, message }, rowNumber),
      );
    }
    throw error;
  }
  if (!names)
    throw new LoadFailed(
      'The file is empty',
      withProblem(report, 'parse-error', { row: 1, message: 'empty file' }),
    );
  if (!loader) await start();
  await loader!.finish();
  return { rows: loader!.rows, report, plan: loader!.plan };
}

function withProblem(
  report: ReportBuilder,
  kind: 'parse-error',
  example: { row?: number; message: string },
  rows = 0,
): ValidationReport {
  report.add(kind, example);
  return report.build(rows);
}

/** Casts and checks each row, and sends it to the bulk writer as CSV. */
class RowLoader {
  rows = 0;
  private buffer: string[] = [];
  private bufferChars = 0;
  private readonly missing: Set<string>;
  private readonly fields: SchemaField[];
  private readonly text: boolean[];
  private readonly missingCount: number[];
  private readonly missingExamples: number[][];
  private readonly patterns: Array<RegExp | null>;

  constructor(
    readonly plan: Plan,
    private readonly writer: BulkWriter,
    private readonly report: ReportBuilder,
    private readonly utf8: boolean,
  ) {
    this.fields = plan.schema.fields;
    this.missing = new Set(plan.schema.missingValues ?? defaultMissingValues);
    this.text = this.fields.map((f) => columnType(f.type) === 'text');
    this.missingCount = this.fields.map(() => 0);
    this.missingExamples = this.fields.map(() => []);
    this.patterns = this.fields.map((f) => {
      const pattern = f.constraints?.['pattern'];
      try {
        return typeof pattern === 'string' ? new RegExp(`^(?:${pattern})$`, 'u') : null;
      } catch {
        return null;
      }
    });
  }

  async row(cells: string[], row: number): Promise<void> {
    const width = this.fields.length;
    if (cells.length > width)
      this.report.add('extra-cell', {
        row,
        value: cells.slice(width).join(' | '),
        message: `${cells.length} cells, ${width} expected`,
      });
    else if (cells.length < width)
      this.report.add('missing-cell', {
        row,
        field: this.fields[cells.length]!.name,
        message: `${cells.length} cells, ${width} expected`,
      });
    // Bytes that were not valid UTF-8 were decoded as U+FFFD.
    if (this.utf8 && cells.some((c) => c.includes('\uFFFD')))
      this.report.add('encoding-error', {
        row,
        field: this.fields[cells.findIndex((c) => c.includes('\uFFFD'))]?.name ?? '',
      });
    const out: string[] = new Array<string>(width);
    for (let i = 0; i < width; i++) {
      const field = this.fields[i]!;
      const cell = cells[i] ?? '';
      if (this.missing.has(cell) || this.missing.has(cell.trim())) {
        out[i] = '';
        if (this.missingCount[i]!++ < 5) this.missingExamples[i]!.push(row);
        if (field.constraints?.['required'] === true)
          this.report.add('constraint-error', { row, field: field.name, value: cell, message: 'required' });
        continue;
      }
      const value = castCell(field.type, cell);
      if (value === undefined) {
        this.report.add('type-error', { row, field: field.name, value: cell, message: field.type });
        out[i] = '';
        continue;
      }
      this.checkConstraints(field, i, cell, value, row);
      out[i] = this.text[i] ? `"${value.replace(/\u0000/g, '').replace(/"/g, '""')}"` : value;
    }
    this.rows++;
    const line = out.join(',') + '\n';
    this.buffer.push(line);
    this.bufferChars += line.length;
    if (this.bufferChars >= writeBatchChars) await this.flush();
  }

  private checkConstraints(field: SchemaField, i: number, cell: string, value: string, row: number): void {
    const c = field.constraints;
    if (!c) return;
    const fail = (rule: string) =>
      this.report.add('constraint-error', { row, field: field.name, value: cell, message: rule });
    if (Array.isArray(c['enum']) && !c['enum'].map(String).includes(cell.trim())) fail('enum');
    if (this.patterns[i] && !this.patterns[i]!.test(cell)) fail('pattern');
    if (typeof c['minLength'] === 'number' && cell.length < c['minLength']) fail('minLength');
    if (typeof c['maxLength'] === 'number' && cell.length > c['maxLength']) fail('maxLength');
    if (field.type === 'integer' || field.type === 'number') {
      if (typeof c['minimum'] === 'number' && Number(value) < c['minimum']) fail('minimum');
      if (typeof c['maximum'] === 'number' && Number(value) > c['maximum']) fail('maximum');
    }
  }

  private async flush(): Promise<void> {
    if (!this.buffer.length) return;
    const text = this.buffer.join('');
    this.buffer = [];
    this.bufferChars = 0;
    await this.writer.write(text);
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.writer.finish();
    this.fields.forEach((field, i) => {
      const count = this.missingCount[i]!;
      if (!count) return;
      this.report.add('missing-value', { row: this.missingExamples[i]![0]!, field: field.name }, count);
    });
  }

  async abort(): Promise<void> {
    await this.writer.abort();
  }
}

/** Duplicate primary keys (and `unique` fields) are found in the loaded table, not in memory. */
async function checkKeys(
  deps: CatalogueDeps,
  staging: string,
  plan: Plan,
  report: ReportBuilder,
): Promise<boolean> {
  const db = deps.kernel.database.db;
  const key = (
    typeof plan.schema.primaryKey === 'string' ? [plan.schema.primaryKey] : (plan.schema.primaryKey ?? [])
  ).filter((k) => plan.names.includes(k));
  let duplicate = false;
  if (key.length) {
    const found = await duplicateKeys(db, staging, key);
    duplicate = found.groups > 0;
    if (found.groups) {
      found.examples.forEach((e, i) =>
        report.add(
          'duplicate-primary-key',
          { row: e.row, field: key.join(', '), value: e.key, message: `${e.count} rows` },
          i === 0 ? found.groups : 0,
        ),
      );
    }
  }
  for (const field of plan.schema.fields) {
    if (field.constraints?.['unique'] !== true || (key.length === 1 && key[0] === field.name)) continue;
    const found = await duplicateKeys(db, staging, [field.name]);
    found.examples.forEach((e, i) =>
      report.add(
        'constraint-error',
        { row: e.row, field: field.name, value: e.key, message: 'unique' },
        i === 0 ? found.groups : 0,
      ),
    );
  }
  if (key.length) plan.schema.primaryKey = key;
  else delete plan.schema.primaryKey;
  return duplicate;
}

/**
 * Which columns get an index (the rule, in order, up to `maxIndexes`):
 * 1. the primary key (unique when it has no duplicates);
 * 2. columns declared `unique` or with an `enum` constraint;
 * 3. date and datetime columns (range filters and sorting);
 * 4. low-cardinality columns in the sample: at most 1,000 distinct values, no more than half the
 *    values distinct, and short values (≤ 200 characters) — the columns people filter on
 *    (region, status, category). Booleans are left out (an index rarely helps them).
 * Every loaded table also has `_id` (primary key) and a GIN index on the full-text column.
 */
export function chooseIndexes(
  plan: Plan,
  duplicateKey: boolean,
): Array<{ columns: string[]; unique?: boolean }> {
  const chosen: Array<{ columns: string[]; unique?: boolean }> = [];
  const taken = new Set<string>();
  const take = (columns: string[], unique = false) => {
    const id = columns.join('\u0000');
    if (taken.has(id) || chosen.length >= maxIndexes) return;
    taken.add(id);
    chosen.push(unique ? { columns, unique } : { columns });
  };
  const key =
    typeof plan.schema.primaryKey === 'string' ? [plan.schema.primaryKey] : (plan.schema.primaryKey ?? []);
  if (key.length) take(key, !duplicateKey);
  const fields = plan.schema.fields;
  for (const f of fields)
    if (f.constraints?.['unique'] === true || Array.isArray(f.constraints?.['enum'])) take([f.name]);
  for (const f of fields) if (f.type === 'date' || f.type === 'datetime') take([f.name]);
  fields.forEach((f, i) => {
    const s = plan.stats[i];
    if (!s || f.type === 'boolean' || !s.values) return;
    if (s.distinct <= 1000 && s.distinct <= s.values / 2 && s.maxLength <= 200) take([f.name]);
  });
  return chosen;
}

async function buildIndexes(
  deps: CatalogueDeps,
  staging: string,
  tag: string,
  plan: Plan,
  duplicateKey: boolean,
): Promise<void> {
  const db = deps.kernel.database.db;
  await createIndex(db, staging, `${tag}_q`, ['_full_text'], { gin: true });
  let n = 0;
  for (const index of chooseIndexes(plan, duplicateKey)) {
    // A filter index also holds `_id`, the default order and the keyset cursor: "city = X, the
    // next 100 after _id N" reads 100 entries instead of every row of that city.
    const columns = index.unique ? index.columns : [...index.columns, '_id'];
    try {
      await createIndex(db, staging, `${tag}_${n++}`, columns, { unique: index.unique ?? false });
    } catch (error) {
      // A value too long for a B-tree entry, for example: the column stays unindexed, the load goes on.
      deps.kernel.logger.warn(
        { err: error, table: staging, columns: index.columns },
        'datastore index skipped',
      );
    }
  }
}
