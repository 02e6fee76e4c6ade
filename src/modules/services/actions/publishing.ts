import { stringify } from 'csv-stringify/sync';
import type { ActionContext } from '../../../kernel/audit/index.js';
import type { Locale } from '../../../kernel/i18n/index.js';
import { record } from '../../../kernel/audit/index.js';
import { system } from '../../../kernel/auth/actor.js';
import { authorize } from '../../../kernel/auth/policy.js';
import type { JobQueue } from '../../../kernel/jobs/index.js';
import type { Organization } from '../../identity/index.js';
import { servicesEvents } from '../audit.js';
import { allServices, type ServiceRow } from '../data/services.js';
import { servicesPermissions } from '../policies/index.js';
import { onlinePoints } from '../schema.js';
import type { ServicesDeps } from './deps.js';
import { figuresFor, kpisOf, totals, totalsOf } from './kpis.js';
import { parsePeriod, trendMonths } from './periods.js';

export const inventoryDatasetName = 'service-inventory';
export const kpiDatasetName = 'service-kpis';
export const publishJob = 'services.publish-open-data';
/** Open Government Licence – Ontario (a built-in licence). */
const licenceId = 'ogl-ontario-1.0';
const english: Locale = 'en';
const french: Locale = 'fr';

/** The inventory as CSV: one row per service, codes as in the GC Service Inventory. */
export function inventoryCsv(rows: ServiceRow[], organizations: Map<string, Organization>): string {
  return stringify(
    rows.map((r) => ({
      service_id: r.code,
      organization: organizations.get(r.organizationId)?.slug ?? '',
      name_en: r.name.en ?? '',
      name_fr: r.name.fr ?? '',
      description_en: r.description.en ?? '',
      description_fr: r.description.fr ?? '',
      program_id: r.programCode ?? '',
      program_name_en: r.programName?.en ?? '',
      program_name_fr: r.programName?.fr ?? '',
      service_types: r.serviceTypes.join(','),
      client_types: r.clientTypes.join(','),
      channels: r.channels.join(','),
      ...Object.fromEntries(onlinePoints.map((p) => [`online_${p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`, r.onlineEnablement[p] ?? ''])),
      charges_fee: r.chargesFee === null ? '' : r.chargesFee ? 'yes' : 'no',
      url_en: r.url?.en ?? '',
      url_fr: r.url?.fr ?? '',
      status: r.status,
    })),
    { header: true, record_delimiter: '\r\n' },
  );
}

const kpiColumns = ['service_id', 'organization', 'period', 'start', 'end', 'source', 'started', 'completed', 'completed_online', 'cost', 'cost_per_transaction', 'digital_take_up', 'completion_rate', 'satisfaction_responses', 'satisfaction_normalised_mean', 'satisfaction_share_satisfied'] as const;

/**
 * The KPIs of every service with figures, per month for the last 12 months, for the rolling 12
 * months and for the last two fiscal years: one query per kind of figure, for all services at once.
 */
export async function kpiCsv(deps: ServicesDeps, rows: ServiceRow[], organizations: Map<string, Organization>, now: Date): Promise<{ csv: string; lines: number }> {
  const tz = deps.kernel.config.timeZone;
  const rolling = parsePeriod('12m', now, tz);
  const fy = Number(rolling.end.slice(0, 4)) - (Number(rolling.end.slice(5, 7)) >= 4 ? 0 : 1);
  const periods = [...trendMonths(rolling).map((m) => parsePeriod(m.month, now, tz)), rolling, parsePeriod(`FY${fy - 1}-${fy}`, now, tz), parsePeriod(`FY${fy - 2}-${fy - 1}`, now, tz)];
  const all = await totals(deps.kernel.database.db, {}, periods, undefined, true);
  const withFigures = new Set([...all.events, ...all.reported, ...all.costs, ...all.ratings].map((r) => r.serviceId));
  const lines: Array<Record<string, string | number>> = [];
  const value = (v: number | null) => (v === null ? '' : Number(v.toFixed(6)));
  for (const service of rows.filter((r) => withFigures.has(r.id))) {
    const mine = totalsOf(all, service.id);
    periods.forEach((period, i) => {
      const f = figuresFor(mine, i);
      if (f.source === 'none' && f.cost === null && f.satisfaction.responses === 0) return;
      const k = kpisOf(f, null);
      lines.push({
        service_id: service.code,
        organization: organizations.get(service.organizationId)?.slug ?? '',
        period: period.code === '12m' ? `${period.start}/${period.end}` : period.code,
        start: period.start,
        end: period.end,
        source: f.source,
        started: f.started,
        completed: f.completed,
        completed_online: f.completedOnline,
        cost: f.cost === null ? '' : f.cost,
        cost_per_transaction: value(k.costPerTransaction),
        digital_take_up: value(k.digitalTakeUp),
        completion_rate: value(k.completionRate),
        satisfaction_responses: f.satisfaction.responses,
        satisfaction_normalised_mean: value(k.satisfaction.normalisedMean),
        satisfaction_share_satisfied: value(k.satisfaction.satisfiedShare),
      });
    });
  }
  return { csv: stringify(lines, { header: true, columns: [...kpiColumns], record_delimiter: '\r\n' }), lines: lines.length };
}

/** The first organization created publishes the platform-wide datasets (like the catalogue's usage figures). */
async function publisher(deps: ServicesDeps): Promise<Organization | null> {
  const all = await deps.identity.listOrganizations();
  return [...all].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.slug.localeCompare(b.slug))[0] ?? null;
}

/**
 * Publishes the inventory and the KPIs as open datasets through the catalogue's public interface;
 * a file is replaced only when its content changed.
 */
export async function publishServicesOpenData(deps: ServicesDeps, ctx: ActionContext, now = new Date()): Promise<{ published: boolean; services: number; kpiLines: number }> {
  authorize(ctx.actor, servicesPermissions.managePublishing, undefined);
  const organization = await publisher(deps);
  if (!organization) return { published: false, services: 0, kpiLines: 0 };
  const rows = await allServices(deps.kernel.database.db);
  const organizations = new Map((await deps.identity.organizationsByIds([...new Set(rows.map((r) => r.organizationId))])).map((o) => [o.id, o]));
  const kpis = await kpiCsv(deps, rows, organizations, now);
  const inBoth = (key: string) => ({ en: deps.kernel.messages.t(english, key), fr: deps.kernel.messages.t(french, key) });
  const keywords = (key: string) => {
    const k = inBoth(key);
    return { en: k.en.split(',').map((s) => s.trim()), fr: k.fr.split(',').map((s) => s.trim()) };
  };
  await deps.catalogue.publishOpenData(ctx, {
    name: inventoryDatasetName,
    organizationId: organization.id,
    title: inBoth('services.openData.inventory.title'),
    description: inBoth('services.openData.inventory.description'),
    keywords: keywords('services.openData.inventory.keywords'),
    licenceId,
    updateFrequency: 'daily',
    files: [{ fileName: 'service-inventory.csv', name: inBoth('services.openData.inventory.file'), description: inBoth('services.openData.inventory.fileDescription'), format: 'CSV', content: inventoryCsv(rows, organizations) }],
  });
  await deps.catalogue.publishOpenData(ctx, {
    name: kpiDatasetName,
    organizationId: organization.id,
    title: inBoth('services.openData.kpis.title'),
    description: inBoth('services.openData.kpis.description'),
    keywords: keywords('services.openData.kpis.keywords'),
    licenceId,
    updateFrequency: 'daily',
    files: [{ fileName: 'service-kpis.csv', name: inBoth('services.openData.kpis.file'), description: inBoth('services.openData.kpis.fileDescription'), format: 'CSV', content: kpis.csv }],
  });
  await deps.kernel.database.transaction((tx) => record(tx, ctx, { action: servicesEvents.openDataPublished, organizationId: organization.id, details: { services: rows.length, kpiLines: kpis.lines } }));
  return { published: true, services: rows.length, kpiLines: kpis.lines };
}

export const digestJob = 'services.weekly-digest';
/** Why a team member's email address is read: to send them their service's weekly feedback digest. */
export const digestPurpose = 'services.feedback.purpose.digest';

const registered = new WeakSet<JobQueue>();

/** Registers the daily open data job and the weekly feedback digest (once per kernel). */
export function registerServicesJobs(deps: ServicesDeps, sendDigest: (deps: ServicesDeps, ctx: ActionContext, now?: Date) => Promise<unknown>): void {
  const jobs = deps.kernel.jobs;
  if (registered.has(jobs)) return;
  registered.add(jobs);
  jobs.register(publishJob, async (job) => publishServicesOpenData(deps, { actor: system, requestId: `job:${job.id}` }));
  jobs.every(publishJob, 24 * 60);
  jobs.register(digestJob, async (job) => sendDigest(deps, { actor: system, requestId: `job:${job.id}` }));
  jobs.every(digestJob, 7 * 24 * 60);
}

