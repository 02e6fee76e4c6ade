/**
 * The catalogue module's public surface: what other modules may use to find datasets and to
 * publish their own open results. Everything else in this folder is private to the module.
 */
import type { ActionContext } from '../../kernel/audit/index.js';
import type { Bilingual } from '../../kernel/i18n/index.js';
import type { Dataset, Keywords, UpdateFrequency } from './types.js';
import type { OpenDataFile } from './actions/open-data.js';

export type { Dataset, Resource, Licence, Group, SearchResult, DatasetRequest, TableSchema, Keywords, UpdateFrequency } from './types.js';
export type { OpenDataFile };
export { cataloguePermissions } from './policies/index.js';

/** A dataset another module publishes as open data (e.g. service KPIs, consultation results). */
export interface OpenDataDescription {
  name: string;
  organizationId: string;
  title: Required<Bilingual>;
  description: Required<Bilingual>;
  keywords: Keywords;
  licenceId: string;
  updateFrequency?: UpdateFrequency;
  /** Files published as the dataset's resources (replaced by file name when their content changes). */
  files?: OpenDataFile[];
}

export interface CatalogueApi {
  /** A dataset by id or name, whatever its state, or null. */
  getDataset(idOrName: string): Promise<Dataset | null>;
  /**
   * Creates or updates, then publishes, an open dataset on behalf of another module. The actor
   * must be allowed to edit the organization's datasets (the system actor is).
   */
  publishOpenData(ctx: ActionContext, description: OpenDataDescription): Promise<Dataset>;
}

export { catalogueModule } from './module.js';
