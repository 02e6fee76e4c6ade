import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { authorize } from '../../../kernel/auth/policy.js';
import { servicesEvents } from '../audit.js';
import { upsertCountReports, upsertStandardResults, upsertStandards } from '../data/reports.js';
import { servicesByCodes, upsertServices } from '../data/services.js';
import { parseServiceInventory, parseServiceStandards, type ParseProblem } from '../inventory/gc-inventory.js';
import { servicesPermissions } from '../policies/index.js';
import type { ServicesDeps } from './deps.js';

export interface ImportReport {
  services: { created: number; updated: number };
  counts: number;
  standards: number;
  problems: ParseProblem[];
}

/**
 * Imports the Government of Canada Service Inventory (and, if given, its service standards file):
 * organizations are created by their slug when missing, services matched on their service ID, the
 * fiscal year's applications per channel stored as count reports (ND and NA stay distinct from
 * zero), standards matched on their ID with their results. Re-importing updates in place.
 */
export async function importGcInventory(deps: ServicesDeps, ctx: ActionContext, files: { inventory: string | Buffer; standards?: string | Buffer }): Promise<ImportReport> {
  authorize(ctx.actor, servicesPermissions.managePublishing, undefined);
  const inventory = parseServiceInventory(files.inventory);
  const standards = files.standards ? parseServiceStandards(files.standards) : { standards: [], problems: [] };
  const organizations = new Map<string, string>();
  for (const s of inventory.services) {
    if (organizations.has(s.organization.slug)) continue;
    const org = await deps.identity.ensureOrganization(ctx, { slug: s.organization.slug, name: s.organization.name, kind: 'agency' });
    organizations.set(s.organization.slug, org.id);
  }
  const source = (year: string) => `gc-service-inventory:${year}`;
  const report = await deps.kernel.database.transaction(async (tx) => {
    const services = await upsertServices(
      tx,
      inventory.services.map((s) => ({
        code: s.code,
        organizationId: organizations.get(s.organization.slug)!,
        name: s.name,
        description: s.description,
        programCode: s.programCode,
        programName: s.programName,
        serviceTypes: s.serviceTypes,
        clientTypes: s.clientTypes,
        channels: s.channels,
        onlineEnablement: s.onlineEnablement,
        chargesFee: s.chargesFee,
        url: s.url,
        source: source(s.fiscalYear),
      })),
    );
    const ids = new Map((await servicesByCodes(tx, inventory.services.map((s) => s.code))).map((r) => [r.code, r.id]));
    const counts = inventory.services.flatMap((s) =>
      s.volumes.map((v) => ({ serviceId: ids.get(s.code)!, periodStart: s.periodStart, periodEnd: s.periodEnd, channel: v.channel, started: null, completed: v.completed, missing: v.missing, source: source(s.fiscalYear), reportedBy: ctx.actor.accountId })),
    );
    await upsertCountReports(tx, counts);
    const known = standards.standards.filter((s) => ids.has(s.serviceCode));
    const standardIds = await upsertStandards(
      tx,
      known.map((s) => ({ serviceId: ids.get(s.serviceCode)!, code: s.code, name: s.name, type: s.type, channel: s.channel, target: s.target === null ? null : s.target.toFixed(4), url: s.url })),
    );
    await upsertStandardResults(
      tx,
      known
        .filter((s) => s.totalVolume !== null || s.volumeMeetingTarget !== null)
        .map((s) => ({ standardId: standardIds.get(`${ids.get(s.serviceCode)}/${s.code}`)!, periodStart: s.periodStart, periodEnd: s.periodEnd, volumeMeetingTarget: s.volumeMeetingTarget, totalVolume: s.totalVolume })),
    );
    const problems = [...inventory.problems, ...standards.problems, ...standards.standards.filter((s) => !ids.has(s.serviceCode)).map((s) => ({ row: 0, message: `Standard ${s.code}: unknown service ${s.serviceCode}` }))];
    await record(tx, ctx, { action: servicesEvents.inventoryImported, details: { ...services, counts: counts.length, standards: known.length, problems: problems.length } });
    return { services, counts: counts.length, standards: known.length, problems };
  });
  deps.dashboards.changed();
  return report;
}
