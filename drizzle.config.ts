import { defineConfig } from 'drizzle-kit';

// drizzle-kit reads this file's default export; everything else in Trillium uses named exports.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/kernel/*/schema.ts', './src/modules/*/schema.ts'],
  out: './drizzle',
  schemaFilter: ['kernel', 'identity', 'catalogue', 'services'],
});
