import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every file under `dir` (relative to the repository) whose name matches. */
export function filesUnder(dir: string, match: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (match.test(entry.name)) out.push(full);
    }
  };
  walk(path.join(root, dir));
  return out;
}

export const relative = (file: string) => path.relative(root, file);

/** Production source files (tests and test helpers excluded). */
export function productionSources(extensions = /\.(ts|njk)$/): string[] {
  return filesUnder('src', extensions).filter((f) => !f.endsWith('.test.ts') && !f.includes(`${path.sep}test${path.sep}`));
}
