import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { kernelDirectory } from '../../src/kernel/index.js';
import { definedInputs } from '../../src/kernel/input/index.js';
import { loadCatalogs, placeholders, type Catalog, type Message } from '../../src/kernel/i18n/index.js';
import { enabledModules } from '../../src/modules.js';
import { filesUnder, productionSources } from './source.js';

/**
 * Messages are checked like code: every key exists in English and French with the same
 * placeholders and plural forms, every key used exists, and every key defined is used.
 * Dynamic keys are written as a literal prefix ending in a dot (`'roles.' + role`).
 */
let catalogs: ReturnType<typeof loadCatalogs>;
let source: string;

beforeAll(async () => {
  // Load every input so their message keys are known (inputs are defined when imported).
  for (const file of filesUnder('src/modules', /\.input\.ts$/)) await import(file);
  catalogs = loadCatalogs([
    { directory: path.join(kernelDirectory, 'locales'), prefix: '' },
    ...enabledModules.map((m) => ({ directory: path.join(m.directory, 'locales'), prefix: m.id })),
  ]);
  source = productionSources().map((f) => fs.readFileSync(f, 'utf8')).join('\n');
});

function keys(catalog: Catalog): string[] {
  return [...catalog.keys()].sort();
}

function usedKeys(): Set<string> {
  const all = keys(catalogs.en);
  const used = new Set<string>();
  const literals = new Set([...source.matchAll(/['"`]([a-zA-Z][\w.-]*)['"`$]/g)].map((m) => m[1]!));
  for (const input of definedInputs()) for (const spec of Object.values(input.fields)) for (const key of Object.values(spec.messages)) used.add(key!);
  for (const key of all) {
    if (literals.has(key)) used.add(key);
    // A dynamic family: 'admin.jobs.status.' + status
    for (let i = key.lastIndexOf('.'); i > 0; i = key.lastIndexOf('.', i - 1)) if (literals.has(key.slice(0, i + 1))) used.add(key);
    // Audit action names are described by `<module>.events.<rest>`.
    const event = key.match(/^(\w+)\.events\.(.+)$/);
    if (event && literals.has(`${event[1]}.${event[2]}`)) used.add(key);
    // Emails are sent by key; their subject and body are `<key>.subject` and `<key>.body`.
    const email = key.match(/^(.+)\.(subject|body)$/);
    if (email && literals.has(email[1]!)) used.add(key);
  }
  return used;
}

describe('messages', () => {
  it('have the same keys in English and French', () => {
    const en = keys(catalogs.en);
    const fr = keys(catalogs.fr);
    expect(en.filter((k) => !catalogs.fr.has(k)), 'missing in French').toEqual([]);
    expect(fr.filter((k) => !catalogs.en.has(k)), 'missing in English').toEqual([]);
  });

  it('have the same placeholders in both languages, and no empty text', () => {
    const problems: string[] = [];
    for (const [key, en] of catalogs.en) {
      const fr = catalogs.fr.get(key);
      if (!fr) continue;
      if (placeholders(en).join() !== placeholders(fr).join()) problems.push(`${key}: {${placeholders(en)}} vs {${placeholders(fr)}}`);
      const texts = (m: Message) => (typeof m === 'string' ? [m] : Object.values(m));
      if ([...texts(en), ...texts(fr)].some((t) => !t?.trim())) problems.push(`${key}: empty text`);
    }
    expect(problems).toEqual([]);
  });

  it('give plural messages the forms each language needs', () => {
    const problems: string[] = [];
    for (const [locale, catalog] of Object.entries(catalogs)) {
      for (const [key, message] of catalog) {
        if (typeof message === 'string') continue;
        for (const form of ['one', 'other']) if (!(form in message)) problems.push(`${locale} ${key} lacks "${form}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('define every key the code and templates use', () => {
    const wanted = new Set<string>();
    for (const m of source.matchAll(/\bt\(\s*'([\w.-]+)'/g)) wanted.add(m[1]!);
    for (const m of source.matchAll(/new (?:NotAllowed|NotFound|Conflict)\(\s*'([\w.-]+)'/g)) wanted.add(m[1]!);
    for (const m of source.matchAll(/InputError\.field\(\s*'[^']*',\s*'[^']*',\s*'([\w.-]+)'/g)) wanted.add(m[1]!);
    for (const m of source.matchAll(/(?:labelKey|titleKey|descriptionKey|messageKey):\s*'([\w.-]+)'/g)) wanted.add(m[1]!);
    for (const input of definedInputs()) for (const spec of Object.values(input.fields)) for (const key of Object.values(spec.messages)) wanted.add(key!);
    // Emails are sent by key: each needs a subject and a body.
    for (const m of source.matchAll(/key: '([\w.]+\.emails\.\w+)'/g)) wanted.add(`${m[1]}.subject`).add(`${m[1]}.body`);
    // Audit actions are shown to people (activity pages): each needs a description, and each
    // purpose of a personal-data read is itself a message.
    const auditCatalogues = filesUnder('src/modules', /^audit\.ts$/).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const actions = [...auditCatalogues.matchAll(/'(\w+\.[\w.]+)'/g), ...source.matchAll(/action: '(\w+\.[\w.]+)'/g)].map((m) => m[1]!);
    for (const action of actions) wanted.add(action.includes('.purpose.') ? action : action.replace(/^(\w+)\./, '$1.events.'));
    // A literal ending in a dot is a dynamic family ('roles.' + id): it must name at least one key.
    const missing = [...wanted].filter((k) => (k.endsWith('.') ? !keys(catalogs.en).some((key) => key.startsWith(k)) : !catalogs.en.has(k)));
    expect(missing.sort()).toEqual([]);
  });

  it('use every key they define', () => {
    const used = usedKeys();
    expect(keys(catalogs.en).filter((k) => !used.has(k))).toEqual([]);
  });
});
