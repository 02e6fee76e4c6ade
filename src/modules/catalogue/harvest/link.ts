import { eq } from 'drizzle-orm';
import { record, type ActionContext } from '../../../kernel/audit/index.js';
import type { Database } from '../../../kernel/db/index.js';
import { datasets } from '../schema.js';
import type { Dataset } from '../types.js';
import { harvestEvents } from './events.js';
import type { HarvestSource } from './types.js';

/**
 * Ties a dataset just created by a harvest to its source record, so the next harvest updates it
 * instead of creating it again. Its own audited transaction, right after the creation.
 */
export async function linkDataset(database: Database, ctx: ActionContext, dataset: Dataset, source: HarvestSource, identifier: string): Promise<void> {
  await database.transaction(async (tx) => {
    await tx.update(datasets).set({ harvestSourceId: source.id, sourceIdentifier: identifier }).where(eq(datasets.id, dataset.id));
    await record(tx, ctx, {
      action: harvestEvents.datasetLinked,
      organizationId: dataset.organizationId,
      targetType: 'dataset',
      targetId: dataset.id,
      details: { source: source.name, identifier },
    });
  });
}
