import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { productionSources, relative, root } from './source.js';

/**
 * The architecture's rules, checked on the source itself (ESLint checks them too, while you type):
 * the kernel knows no module; modules meet only through index.ts; configuration is read in one
 * place; named exports only.
 */
const sources = productionSources(/\.ts$/);
const importPattern = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(importPattern)].map((m) => m[1] ?? m[2]!).filter((s) => s.startsWith('.'));
}

const kernelDir = path.join(root, 'src/kernel') + path.sep;
const modulesDir = path.join(root, 'src/modules') + path.sep;
const moduleOf = (file: string) => (file.startsWith(modulesDir) ? file.slice(modulesDir.length).split(path.sep)[0] : undefined);

describe('architecture', () => {
  it('the kernel imports nothing outside the kernel', () => {
    const offenders = sources
      .filter((f) => f.startsWith(kernelDir))
      .flatMap((f) => importsOf(f).map((s) => [f, path.resolve(path.dirname(f), s)] as const))
      .filter(([, target]) => !target.startsWith(kernelDir))
      .map(([f, target]) => `${relative(f)} → ${relative(target)}`);
    expect(offenders).toEqual([]);
  });

  it('modules use other modules only through their index.ts', () => {
    const offenders = sources
      .filter((f) => moduleOf(f))
      .flatMap((f) => importsOf(f).map((s) => [f, path.resolve(path.dirname(f), s)] as const))
      .filter(([f, target]) => {
        const other = moduleOf(target);
        if (other && other !== moduleOf(f)) return path.basename(target) !== 'index.js' || path.dirname(target) !== path.join(modulesDir, other);
        return !other && !target.startsWith(kernelDir);
      })
      .map(([f, target]) => `${relative(f)} → ${relative(target)}`);
    expect(offenders).toEqual([]);
  });

  it('reads process.env only in src/kernel/config', () => {
    const offenders = sources
      .filter((f) => !f.startsWith(path.join(root, 'src/kernel/config') + path.sep))
      .filter((f) => /process\.env\b/.test(fs.readFileSync(f, 'utf8')))
      .map(relative);
    expect(offenders).toEqual([]);
  });

  it('uses named exports only', () => {
    const offenders = sources.filter((f) => /^export default\b/m.test(fs.readFileSync(f, 'utf8'))).map(relative);
    expect(offenders).toEqual([]);
  });

  it('gives every module the same shape', () => {
    const problems: string[] = [];
    for (const name of fs.readdirSync(modulesDir)) {
      for (const required of ['README.md', 'index.ts', 'module.ts', 'schema.ts', 'locales/en.json', 'locales/fr.json', 'views', 'actions', 'routes', 'inputs', 'policies']) {
        if (!fs.existsSync(path.join(modulesDir, name, required))) problems.push(`${name} lacks ${required}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps each module’s tables in a PostgreSQL schema named after it', () => {
    const problems: string[] = [];
    for (const name of fs.readdirSync(modulesDir)) {
      const schema = fs.readFileSync(path.join(modulesDir, name, 'schema.ts'), 'utf8');
      if (!schema.includes(`pgSchema('${name}')`)) problems.push(`${name}/schema.ts must declare pgSchema('${name}')`);
      if (/\bpgTable\(/.test(schema)) problems.push(`${name}/schema.ts must not create tables in the public schema`);
    }
    expect(problems).toEqual([]);
  });
});
