import { defineConfig } from 'vitest/config';

// Three suites: `unit` (module, kernel and route tests on PGlite, or PostgreSQL when DATABASE_URL is
// set; `npm test`), `architecture` (repository rules; part of `npm run check`) and `browser`
// (Playwright in Debian's Chromium; `npm run test:browser`).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        test: { name: 'architecture', include: ['test/architecture/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
