/**
 * Derives demo/data/service-inventory-sample.csv from the Government of Canada Service Inventory
 * (../shared/data/services/gc-service-inventory/si_2024.csv, OGL-Canada 2.0): the first 400
 * services with bilingual names and descriptions whose organization is in transitional_orgs.jsonl.
 * The source file is not changed; run with `npx tsx scripts/derive-demo-data.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.resolve(root, '../shared/data/services/gc-service-inventory/si_2024.csv');
const organizations = new Set(
  fs
    .readFileSync(path.join(root, 'demo/data/transitional_orgs.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { name: string }).name),
);
const rows = parse(fs.readFileSync(source), { columns: true, bom: true }) as Array<Record<string, string>>;
const columns = ['service_id', 'service_name_en', 'service_name_fr', 'service_description_en', 'service_description_fr', 'service_type', 'program_name_en', 'program_name_fr', 'num_applications_total', 'owner_org'];
const kept = rows
  .filter((r) => r['service_name_en'] && r['service_name_fr'] && r['service_description_en'] && r['service_description_fr'] && organizations.has(r['owner_org'] ?? ''))
  .slice(0, 400)
  .map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? ''])));
fs.writeFileSync(path.join(root, 'demo/data/service-inventory-sample.csv'), stringify(kept, { header: true, columns }));
console.log(`wrote ${kept.length} services`);
