import type { ValidationReport } from '../schema.js';

/** Kinds of problem a validation report lists. `missing-value` is information, not an error. */
export const problemKinds = [
  'parse-error',
  'encoding-error',
  'blank-header',
  'duplicate-header',
  'missing-field',
  'extra-field',
  'extra-cell',
  'missing-cell',
  'type-error',
  'constraint-error',
  'duplicate-primary-key',
  'missing-value',
] as const;
export type ProblemKind = (typeof problemKinds)[number];

const informational = new Set<string>(['missing-value']);
const examplesKept = 5;

export type Example = ValidationReport['problems'][number]['examples'][number];

/**
 * Collects problems while a file streams past: a count per kind (and per field, for cell
 * problems) and the first few examples, so the report stays small whatever the file's size.
 */
export class ReportBuilder {
  private readonly problems = new Map<string, { kind: ProblemKind; count: number; examples: Example[] }>();

  add(kind: ProblemKind, example: Example, count = 1): void {
    const key = `${kind}\u0000${example.field ?? ''}`;
    let entry = this.problems.get(key);
    if (!entry) {
      entry = { kind, count: 0, examples: [] };
      this.problems.set(key, entry);
    }
    entry.count += count;
    if (entry.examples.length < examplesKept) entry.examples.push(cleanExample(example));
  }

  has(kind: ProblemKind): boolean {
    return [...this.problems.values()].some((p) => p.kind === kind);
  }

  /** The report: problems in the order of `problemKinds`, then by field. */
  build(rows: number): ValidationReport {
    const problems = [...this.problems.values()].sort(
      (a, b) => problemKinds.indexOf(a.kind) - problemKinds.indexOf(b.kind),
    );
    return {
      valid: problems.every((p) => informational.has(p.kind)),
      rows,
      checkedAt: new Date().toISOString(),
      problems,
    };
  }
}

/** Examples keep short values: a report is shown on a page and stored in a row. */
function cleanExample(example: Example): Example {
  const out: Example = {};
  if (example.row !== undefined) out.row = example.row;
  if (example.field !== undefined) out.field = example.field;
  if (example.value !== undefined)
    out.value = example.value.length > 80 ? `${example.value.slice(0, 79)}…` : example.value;
  if (example.message !== undefined) out.message = example.message.slice(0, 300);
  return out;
}
