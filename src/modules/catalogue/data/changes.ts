import type { Db } from '../../../kernel/db/index.js';
import { refreshSearch } from './datasets.js';
import { refreshQuality } from './quality.js';

/**
 * Everything derived from a dataset and its resources, recomputed after any change to either:
 * the search document, the list of formats and the quality assessment.
 */
export async function afterDatasetChange(db: Db, datasetId: string): Promise<void> {
  await refreshSearch(db, datasetId);
  await refreshQuality(db, datasetId);
}
