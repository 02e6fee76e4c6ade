import { catalogueEvents } from '../audit.js';

/** The harvest's audit actions, from the catalogue's audit catalogue. */
export const harvestEvents = {
  sourceCreated: catalogueEvents.harvestSourceCreated,
  started: catalogueEvents.harvestStarted,
  sourceUpdated: catalogueEvents.harvestSourceUpdated,
  datasetLinked: catalogueEvents.harvestDatasetLinked,
  finished: catalogueEvents.harvestFinished,
  failed: catalogueEvents.harvestFailed,
} as const;
