import type { Bilingual } from '../../../kernel/i18n/index.js';
import type { JobView } from '../../../kernel/jobs/index.js';

export const harvestKinds = ['ckan', 'dcat'] as const;
export type HarvestKind = (typeof harvestKinds)[number];

/** A catalogue Trillium imports datasets from. */
export interface HarvestSource {
  id: string;
  name: string;
  title: Bilingual;
  kind: HarvestKind;
  url: string;
  /** Owner of harvested datasets whose record names no organization. */
  organizationId: string;
  createdAt: Date;
  lastJobId: string | null;
  lastRunAt: Date | null;
  lastReport: HarvestReport | null;
}

export const harvestOutcomes = ['created', 'updated', 'skipped', 'failed'] as const;
export type HarvestOutcome = (typeof harvestOutcomes)[number];

/** Why something happened to a record: a message key, its parameters, and dataset fields it names. */
export interface HarvestReason {
  key: string;
  params?: Record<string, string | number>;
  /** Form fields (`titleFr`, …) the reason is about, shown with their labels. */
  fields?: string[];
}

export interface HarvestItem {
  identifier: string;
  /** The Trillium dataset (when there is one). */
  name?: string;
  title?: Bilingual;
  outcome: HarvestOutcome;
  /** True when the dataset was left as a draft. */
  draft?: boolean;
  reasons: HarvestReason[];
}

/** What one harvest did, record by record (kept on the source, shown on its page). */
export interface HarvestReport {
  status: 'succeeded' | 'failed';
  jobId: string;
  startedAt: string;
  finishedAt: string;
  /** Records the source said it had, when it said. */
  total: number | null;
  counts: Record<HarvestOutcome, number> & { drafts: number };
  items: HarvestItem[];
  /** Items not kept in `items` (the list is capped; the counts are not). */
  omitted: number;
  /** Why the harvest stopped, when it failed. */
  error?: HarvestReason;
}

/** A harvest source with its recent runs, as its page and the API show it. */
export interface HarvestSourceDetail {
  source: HarvestSource;
  organization: { slug: string; name: Bilingual } | null;
  /** The newest run, with its progress. */
  job: JobView | null;
  runs: JobView[];
}
