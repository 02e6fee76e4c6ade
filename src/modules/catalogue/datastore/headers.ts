import type { ReportBuilder } from './report.js';
import { reservedColumns } from './types.js';

/** PostgreSQL truncates identifiers to 63 bytes; names are cut on a character boundary before that. */
function fitIdentifier(name: string): string {
  let out = name;
  while (Buffer.byteLength(out) > 63) out = out.slice(0, -1);
  return out;
}

/**
 * Column names from a header row: trimmed, blank ones named `field_<n>`, names the datastore
 * uses itself (`_id`, `_full_text`) and repeated names made unique with a suffix. Each change is
 * reported as a header problem (row 1, the header).
 */
export function columnNames(header: string[], report: ReportBuilder): string[] {
  const used = new Set<string>();
  return header.map((raw, i) => {
    let name = fitIdentifier(raw.trim().replace(/\u0000/g, ''));
    if (!name) {
      name = `field_${i + 1}`;
      report.add('blank-header', { row: 1, field: name, message: `column ${i + 1}` });
    }
    const base = name;
    for (
      let n = 2;
      used.has(name.toLowerCase()) || (reservedColumns as readonly string[]).includes(name);
      n++
    )
      name = fitIdentifier(`${base}`.slice(0, 58)) + `_${n}`;
    if (name !== base)
      report.add('duplicate-header', { row: 1, field: name, value: base, message: `column ${i + 1}` });
    used.add(name.toLowerCase());
    return name;
  });
}
