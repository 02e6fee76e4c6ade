/**
 * catalogue: the open data catalogue's two heavy paths (issue #3), in one run.
 *
 *   search     CKAN `package_search` and the search page over `--datasets` generated bilingual
 *              datasets, against the same SQL run directly (catalogue/search.ts)
 *   datastore  loading a `--rows`-row CSV against a bare COPY of the same file, peak memory, and
 *              `datastore_search` with keyset paging (catalogue/datastore.ts)
 */
import { run as runDatastore } from './catalogue/datastore.js';
import { run as runSearch } from './catalogue/search.js';
import type { BenchOptions } from './support/workload.js';

export const description =
  'package_search over 100,000 bilingual datasets; datastore load and keyset queries (PGlite and PostgreSQL)';

export async function run(options: BenchOptions): Promise<void> {
  console.log('--- search');
  await runSearch(options);
  console.log('\n--- datastore');
  await runDatastore(options);
}
