import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { system } from '../../../kernel/auth/actor.js';
import { authorize, can, definePermission } from '../../../kernel/auth/policy.js';
import { InputError, NotFound } from '../../../kernel/errors/index.js';
import { defaultLocale, type Locale } from '../../../kernel/i18n/index.js';
import type { JobQueue } from '../../../kernel/jobs/index.js';
import { barChart, type BarChart } from '../../../kernel/views/charts.js';
import type { Organization } from '../../identity/index.js';
import { findDataset, toDataset, type DatasetRow } from '../data/datasets.js';
import { allLicences } from '../data/reference.js';
import { getSetting, monthlyFigures, putSetting, resourceFigures, topDatasets, usageLines, type DatasetFigures, type MonthFigures, type UsageLine } from '../data/usage.js';
import { metricsPublisherInput } from '../inputs/metrics-publisher.input.js';
import { cataloguePermissions } from '../policies/index.js';
import type { Dataset } from '../types.js';
import { createDataset, editDataset, publishDataset, type CatalogueDeps } from './datasets.js';
import { putFileResource } from './open-data.js';

/** Superadmins choose who publishes the catalogue's own usage figures, and may publish them at once. */
export const manageMetrics = definePermission('catalogue.metrics.manage', 'platform:admin', (actor) => actor.superadmin);

/** Audit action recorded when a superadmin chooses the publishing organization. */
export const metricsEvents = { publisherChosen: 'catalogue.metrics.publisher_chosen' } as const;

/** The open dataset the catalogue publishes about its own use. */
export const usageDatasetName = 'catalogue-usage-metrics';
export const usageFileName = 'catalogue-usage-metrics.csv';
export const usageJob = 'catalogue.publish-usage-metrics';
const publisherKey = 'usageMetrics.organizationId';

/** How many months the metrics pages show (the current one included). */
export const monthsShown = 12;

/** `YYYY-MM` of a date, in UTC like the days counted. */
export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** The month `n` months before `month` (`YYYY-MM`). */
export function monthsBefore(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return monthOf(d);
}

/**
 * Views and downloads by month as bars, labelled in the person's language (the page draws it as
 * SVG beside the same figures in a table).
 */
function monthlyChart(deps: CatalogueDeps, ctx: ActionContext, months: MonthFigures[]): BarChart {
  const label = (key: string) => deps.kernel.messages.t(ctx.locale ?? defaultLocale, key);
  return barChart({
    categories: months.map((m) => m.month),
    series: [
      { id: 'views', label: label('catalogue.metrics.views'), values: months.map((m) => m.views) },
      { id: 'downloads', label: label('catalogue.metrics.downloads'), values: months.map((m) => m.downloads) },
    ],
  });
}

export interface DatasetMetrics {
  dataset: Dataset;
  months: MonthFigures[];
  totals: { views: number; downloads: number };
  /** Per resource since it was added (null when the actor may not see the resources). */
  resources: Array<{ id: string; name: Dataset['title']; format: string; views: number; downloads: number }> | null;
  chart: BarChart;
}

/** Views and downloads of one dataset by month, for anyone who may see the dataset. */
export async function datasetMetrics(deps: CatalogueDeps, ctx: ActionContext, idOrName: string, now = new Date()): Promise<DatasetMetrics> {
  const db = deps.kernel.database.db;
  const row = await findDataset(db, idOrName);
  if (!row || !can(ctx.actor, cataloguePermissions.viewDataset, row)) throw new NotFound();
  const to = monthOf(now);
  const months = await monthlyFigures(db, monthsBefore(to, monthsShown - 1), to, row.id);
  const resources = can(ctx.actor, cataloguePermissions.viewResources, row) ? await resourceFigures(db, row.id) : null;
  return {
    dataset: toDataset(row),
    months,
    totals: { views: months.reduce((s, m) => s + m.views, 0), downloads: months.reduce((s, m) => s + m.downloads, 0) },
    resources,
    chart: monthlyChart(deps, ctx, months),
  };
}

export interface CatalogueMetrics {
  months: MonthFigures[];
  totals: { views: number; downloads: number };
  mostViewed: DatasetFigures[];
  mostDownloaded: DatasetFigures[];
  chart: BarChart;
  /** The open dataset of these figures, once published. */
  usageDataset: { name: string; title: Dataset['title'] } | null;
  /** Who publishes it (chosen, or the first organization created). */
  publisher: Organization | null;
  publisherChosen: boolean;
  canManage: boolean;
  /** The organizations a superadmin may choose from. */
  organizations: Organization[];
}

/** Catalogue-wide figures: monthly totals and the most used datasets over the months shown. Public. */
export async function catalogueMetrics(deps: CatalogueDeps, ctx: ActionContext, now = new Date()): Promise<CatalogueMetrics> {
  const db = deps.kernel.database.db;
  const to = monthOf(now);
  const from = monthsBefore(to, monthsShown - 1);
  const [months, mostViewed, mostDownloaded, usage, publisher] = await Promise.all([
    monthlyFigures(db, from, to),
    topDatasets(db, 'views', `${from}-01`, 10),
    topDatasets(db, 'downloads', `${from}-01`, 10),
    findDataset(db, usageDatasetName),
    metricsPublisher(deps),
  ]);
  const canManage = can(ctx.actor, manageMetrics, undefined);
  return {
    months,
    totals: { views: months.reduce((s, m) => s + m.views, 0), downloads: months.reduce((s, m) => s + m.downloads, 0) },
    mostViewed,
    mostDownloaded,
    chart: monthlyChart(deps, ctx, months),
    usageDataset: usage && usage.state === 'published' ? { name: usage.name, title: usage.title } : null,
    publisher: publisher.organization,
    publisherChosen: publisher.chosen,
    canManage,
    organizations: canManage ? await deps.identity.listOrganizations() : [],
  };
}

/** The chosen publishing organization, or else the first organization created. */
async function metricsPublisher(deps: CatalogueDeps): Promise<{ organization: Organization | null; chosen: boolean }> {
  const chosenId = await getSetting<string>(deps.kernel.database.db, publisherKey);
  const chosen = chosenId ? await deps.identity.getOrganization(chosenId) : null;
  if (chosen) return { organization: chosen, chosen: true };
  const first = [...(await deps.identity.listOrganizations())].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.slug.localeCompare(b.slug))[0];
  return { organization: first ?? null, chosen: false };
}

/** A superadmin chooses the organization that publishes the catalogue's usage figures. */
export async function chooseMetricsPublisher(deps: CatalogueDeps, ctx: ActionContext, raw: unknown): Promise<Organization> {
  authorize(ctx.actor, manageMetrics, undefined);
  const input = metricsPublisherInput.parse(raw);
  const organization = await deps.identity.getOrganization(input.organizationId);
  if (!organization) throw InputError.field('organizationId', 'invalid', 'catalogue.metrics.errors.organizationId.required');
  await deps.kernel.database.transaction(async (tx) => {
    await putSetting(tx, publisherKey, organization.id, ctx.actor.accountId);
    await record(tx, ctx, { action: metricsEvents.publisherChosen, organizationId: organization.id, targetType: 'organization', targetId: organization.id });
  });
  return organization;
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The published file's columns, in order. */
export const usageColumns = ['month', 'dataset', 'title_en', 'title_fr', 'organization', 'views', 'downloads'] as const;

/** RFC 4180 CSV (UTF-8, CRLF line ends) of the usage lines. */
export function usageCsv(lines: UsageLine[]): string {
  const out = [usageColumns.join(',')];
  for (const l of lines) out.push([l.month, l.dataset, l.titleEn, l.titleFr, l.organization, l.views, l.downloads].map(csvCell).join(','));
  return `${out.join('\r\n')}\r\n`;
}

/** The dataset's form fields from its row (to move it to another organization and keep the rest). */
function formOf(row: DatasetRow, organizationId: string): Record<string, unknown> {
  return {
    name: row.name,
    organizationId,
    titleEn: row.title.en,
    titleFr: row.title.fr,
    descriptionEn: row.description.en,
    descriptionFr: row.description.fr,
    keywordsEn: row.keywords.en.join(', '),
    keywordsFr: row.keywords.fr.join(', '),
    groups: row.groups,
    licenceId: row.licenceId ?? undefined,
    accessLevel: row.accessLevel,
    exemptionReasonEn: row.exemptionReason.en,
    exemptionReasonFr: row.exemptionReason.fr,
    contactName: row.contact.name,
    contactEmail: row.contact.email,
    updateFrequency: row.updateFrequency ?? undefined,
    temporalStart: row.temporalStart ?? undefined,
    temporalEnd: row.temporalEnd ?? undefined,
    spatialEn: row.spatial.en,
    spatialFr: row.spatial.fr,
  };
}

export interface UsagePublication {
  published: boolean;
  /** Why nothing was published: no organization exists yet, or the dataset was deleted on purpose. */
  skipped?: 'noOrganization' | 'deleted';
  dataset?: string;
  /** Lines in the file (one per dataset and month). */
  lines?: number;
  /** False when the figures were the same as the file already published. */
  changed?: boolean;
}

/**
 * Publishes the monthly views and downloads of every published dataset (complete months) as an
 * open dataset of the catalogue itself, through the catalogue's own actions: the dataset is created
 * and published the first time, then its CSV file is replaced when the figures change. A dataset
 * someone deleted is left alone; one taken back to draft gets its file, but is not published again.
 */
export async function publishUsageMetrics(deps: CatalogueDeps, ctx: ActionContext, now = new Date()): Promise<UsagePublication> {
  authorize(ctx.actor, manageMetrics, undefined);
  const { kernel } = deps;
  const db = kernel.database.db;
  const { organization } = await metricsPublisher(deps);
  if (!organization) return { published: false, skipped: 'noOrganization' };
  let dataset = await findDataset(db, usageDatasetName);
  if (dataset?.state === 'deleted') return { published: false, skipped: 'deleted' };

  const text = (locale: Locale, key: string) => kernel.messages.t(locale, key);
  if (!dataset) {
    const licence = (await allLicences(db)).find((l) => l.open);
    await createDataset(deps, ctx, {
      name: usageDatasetName,
      organizationId: organization.id,
      titleEn: text('en', 'catalogue.metrics.usageDataset.title'),
      titleFr: text('fr', 'catalogue.metrics.usageDataset.title'),
      descriptionEn: text('en', 'catalogue.metrics.usageDataset.description'),
      descriptionFr: text('fr', 'catalogue.metrics.usageDataset.description'),
      keywordsEn: text('en', 'catalogue.metrics.usageDataset.keywords'),
      keywordsFr: text('fr', 'catalogue.metrics.usageDataset.keywords'),
      ...(licence ? { licenceId: licence.id } : {}),
      accessLevel: 'open',
      updateFrequency: 'monthly',
    });
    dataset = (await findDataset(db, usageDatasetName))!;
  } else if (dataset.organizationId !== organization.id) {
    await editDataset(deps, ctx, dataset.id, formOf(dataset, organization.id));
    dataset = (await findDataset(db, usageDatasetName))!;
  }

  const lines = await usageLines(db, monthOf(now));
  const changed = await putFileResource(deps, ctx, dataset.id, {
    fileName: usageFileName,
    name: { en: text('en', 'catalogue.metrics.usageDataset.resourceName'), fr: text('fr', 'catalogue.metrics.usageDataset.resourceName') },
    description: { en: text('en', 'catalogue.metrics.usageDataset.resourceDescription'), fr: text('fr', 'catalogue.metrics.usageDataset.resourceDescription') },
    format: 'CSV',
    content: usageCsv(lines),
  });
  // Published the first time only: a dataset someone took back to draft stays a draft.
  if (dataset.state === 'draft' && !dataset.publishedAt) await publishDataset(deps, ctx, dataset.id);
  return { published: true, dataset: dataset.name, lines: lines.length, changed };
}

/** A superadmin publishes the figures now rather than waiting for the daily job; returns the job id. */
export async function requestUsagePublication(deps: CatalogueDeps, ctx: ActionContext): Promise<string> {
  authorize(ctx.actor, manageMetrics, undefined);
  return deps.kernel.jobs.enqueue(deps.kernel.database.db, usageJob, {}, { uniqueKey: usageJob, ownerId: ctx.actor.accountId });
}

const registered = new WeakSet<JobQueue>();

/**
 * Registers the job that publishes the usage figures, and runs it once a day (once across all
 * processes). Safe to call more than once for the same kernel.
 */
export function registerMetricsJobs(deps: CatalogueDeps): void {
  const jobs = deps.kernel.jobs;
  if (registered.has(jobs)) return;
  registered.add(jobs);
  jobs.register(usageJob, async (job) => {
    await job.progress(0, 1, 'publishing');
    const result = await publishUsageMetrics(deps, { actor: system, requestId: `job:${job.id}` });
    await job.progress(1, 1);
    return result;
  });
  jobs.every(usageJob, 24 * 60);
}
