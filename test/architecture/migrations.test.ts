import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { root } from './source.js';

it('has a committed migration for every schema change (drizzle-kit generate finds nothing new)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trillium-drift-'));
  fs.cpSync(path.join(root, 'drizzle'), path.join(tmp, 'drizzle'), { recursive: true });
  const original = fs.readFileSync(path.join(root, 'drizzle.config.ts'), 'utf8');
  const config = path.join(root, `drizzle.drift-${process.pid}.config.ts`);
  fs.writeFileSync(config, original.replace("out: './drizzle'", `out: ${JSON.stringify(path.join(tmp, 'drizzle'))}`));
  try {
    execFileSync(path.join(root, 'node_modules/.bin/drizzle-kit'), ['generate', `--config=${config}`, '--name=drift'], { cwd: root, stdio: 'pipe' });
  } finally {
    fs.rmSync(config, { force: true });
  }
  const before = fs.readdirSync(path.join(root, 'drizzle')).filter((f) => f.endsWith('.sql'));
  const after = fs.readdirSync(path.join(tmp, 'drizzle')).filter((f) => f.endsWith('.sql'));
  fs.rmSync(tmp, { recursive: true, force: true });
  expect(after.filter((f) => !before.includes(f)), 'schema.ts changed without a migration: run `npm run db:generate`').toEqual([]);
});
