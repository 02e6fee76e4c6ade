import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { configReference } from '../../src/kernel/config/index.js';
import { root } from './source.js';

it('docs/reference/config.md matches the declarations (run `npm run docs:config`)', () => {
  const file = path.join(root, 'docs/reference/config.md');
  expect(fs.existsSync(file), 'docs/reference/config.md is missing').toBe(true);
  expect(fs.readFileSync(file, 'utf8')).toBe(configReference());
});
