import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { system } from '../../../kernel/auth/actor.js';
import type { CatalogueDeps } from '../actions/datasets.js';
import { allLicences } from '../data/reference.js';
import { applyRecord, type HarvestContext } from './apply.js';
import { ckanSource } from './ckan.js';
import { findSource, saveReport } from './data.js';
import { dcatSource } from './dcat.js';
import { harvestEvents } from './events.js';
import { defaultLimits, HarvestError, type FetchLimits } from './fetch.js';
import type { RecordSource } from './record.js';
import type { HarvestItem, HarvestReason, HarvestReport, HarvestSource } from './types.js';

export interface HarvestOptions {
  limits: FetchLimits;
  /** Rows asked of a CKAN source per page. */
  rows: number;
  /** Items kept in the report (the counts cover everything). */
  maxItems: number;
}

export const defaultHarvestOptions: HarvestOptions = { limits: defaultLimits, rows: 100, maxItems: 2000 };

/** What a harvest reports as it goes (a job's `progress`). */
export type Progress = (done: number, total?: number | null, message?: string) => Promise<void>;

function sourceReader(source: HarvestSource, options: HarvestOptions): RecordSource {
  return source.kind === 'ckan' ? ckanSource(source.url, options.limits, { rows: options.rows }) : dcatSource(source.url, options.limits);
}

/** The failure as the report explains it (codes have messages; anything else is "unexpected"). */
function failureReason(error: unknown): HarvestReason {
  if (error instanceof HarvestError) return { key: `catalogue.harvest.failure.${error.code}`, params: { url: error.url, detail: error.detail } };
  return { key: 'catalogue.harvest.failure.unexpected', params: { url: '', detail: error instanceof Error ? error.message.slice(0, 300) : String(error) } };
}

/**
 * Harvests one source: reads its records page by page and applies each through the catalogue's
 * actions, as the system actor. Progress is reported after every record. The report (what was
 * created, updated, skipped or failed, and why) is saved on the source whether the harvest
 * succeeds or not; a harvest that cannot read its source fails, after saving what it did.
 */
export async function runHarvest(deps: CatalogueDeps, sourceId: string, job: { id: string; progress: Progress }, options: HarvestOptions = defaultHarvestOptions): Promise<HarvestReport | null> {
  const db = deps.kernel.database.db;
  const source = await findSource(db, sourceId);
  if (!source) return null;
  const ctx: ActionContext = { actor: system, requestId: `harvest:${job.id}` };
  const h: HarvestContext = { deps, ctx, source, licences: await allLicences(db), organizations: new Map() };
  const report: HarvestReport = {
    status: 'succeeded',
    jobId: job.id,
    startedAt: new Date().toISOString(),
    finishedAt: '',
    total: null,
    counts: { created: 0, updated: 0, skipped: 0, failed: 0, drafts: 0 },
    items: [],
    omitted: 0,
  };
  const add = (item: HarvestItem) => {
    report.counts[item.outcome]++;
    if (item.draft) report.counts.drafts++;
    if (report.items.length < options.maxItems) report.items.push(item);
    else report.omitted++;
  };
  const seen = new Set<string>();
  let done = 0;
  let failure: unknown;
  try {
    await job.progress(0, null, source.url);
    for await (const page of sourceReader(source, options)) {
      if (page.total !== null) report.total = page.total;
      for (const read of page.records) {
        done++;
        if ('rejected' in read) {
          add({ identifier: read.rejected.identifier, ...(read.rejected.title ? { title: read.rejected.title } : {}), outcome: 'skipped', reasons: [{ key: `catalogue.harvest.reasons.${read.rejected.reason}` }] });
        } else if (seen.has(read.record.identifier)) {
          // Sources that change while they are read can give the same record twice.
          add({ identifier: read.record.identifier, title: read.record.title, outcome: 'skipped', reasons: [{ key: 'catalogue.harvest.reasons.duplicate' }] });
        } else {
          seen.add(read.record.identifier);
          add(await applyRecord(h, read.record));
        }
        const label = 'record' in read ? read.record.identifier : read.rejected.identifier;
        await job.progress(done, Math.max(report.total ?? 0, done), label.slice(0, 200));
      }
    }
  } catch (error) {
    failure = error;
    report.status = 'failed';
    report.error = failureReason(error);
  }
  report.finishedAt = new Date().toISOString();
  await deps.kernel.database.transaction(async (tx) => {
    await saveReport(tx, source.id, report);
    await record(tx, ctx, {
      action: failure ? harvestEvents.failed : harvestEvents.finished,
      targetType: 'harvest_source',
      targetId: source.id,
      details: { source: source.name, jobId: job.id, counts: report.counts, ...(report.error ? { error: report.error.key } : {}) },
    });
  });
  if (failure) throw failure;
  return report;
}
