import type { Organization } from '../../identity/index.js';
import { completedBy, type Scope } from '../data/figures.js';
import { servicesByIds } from '../data/services.js';
import { InputError, NotFound } from '../../../kernel/errors/index.js';
import { channels, type Channel } from '../schema.js';
import type { PeriodView, Service } from '../types.js';
import type { ServicesDeps } from './deps.js';
import { kpiReport, type KpiReport } from './kpis.js';
import { currentMonth, parsePeriod, periodChoices } from './periods.js';
import { existingService, toService, withOrganizations } from './services.js';

export type DashboardScope = { kind: 'all' } | { kind: 'organization'; organization: string } | { kind: 'service'; service: string };

export interface Dashboard {
  scope: DashboardScope;
  organization: Organization | null;
  service: Service | null;
  report: KpiReport;
  /** The biggest organizations (all services) or services (one organization) by completed transactions. */
  breakdown: Array<{ organization?: Organization; service?: Service; completed: number }>;
  periods: ReturnType<typeof periodChoices>;
  channels: readonly Channel[];
}

/** How many rows the breakdown table shows. */
const breakdownSize = 25;

/**
 * The public KPI dashboard of every service, one organization's or one service's, for a period and
 * optionally one channel. Figures come from the counters the events update, so they are current.
 */
export async function dashboard(deps: ServicesDeps, scope: DashboardScope, query: { period?: string; channel?: string }, now = new Date()): Promise<Dashboard> {
  const tz = deps.kernel.config.timeZone;
  const period = parsePeriod(query.period, now, tz);
  if (query.channel && !channels.includes(query.channel as Channel)) throw InputError.field('channel', 'invalid', 'services.kpis.errors.channel');
  const channel = (query.channel as Channel | undefined) ?? null;
  const target = scope.kind === 'all' ? '' : scope.kind === 'organization' ? scope.organization : scope.service;
  const key = [scope.kind, target, period.start, period.end, channel ?? '', currentMonth(now, tz).join('-')].join('|');
  return deps.dashboards.get(key, () => computeDashboard(deps, scope, period, channel, now));
}

async function computeDashboard(deps: ServicesDeps, scope: DashboardScope, period: PeriodView, channel: Channel | null, now: Date): Promise<Dashboard> {
  const tz = deps.kernel.config.timeZone;
  const db = deps.kernel.database.db;
  let organization: Organization | null = null;
  let service: Service | null = null;
  let filter: Scope = {};
  if (scope.kind === 'organization') {
    organization = await deps.identity.getOrganization(scope.organization);
    if (!organization) throw new NotFound();
    filter = { organizationId: organization.id };
  } else if (scope.kind === 'service') {
    const row = await existingService(deps, scope.service);
    organization = await deps.identity.getOrganization(row.organizationId);
    service = toService(row, organization);
    filter = { serviceId: row.id };
  }
  const [report, top] = await Promise.all([
    kpiReport(db, filter, period, channel, scope.kind !== 'all'),
    scope.kind === 'service' ? Promise.resolve([]) : completedBy(db, scope.kind === 'all' ? 'organization' : 'service', filter, period, breakdownSize),
  ]);
  let breakdown: Dashboard['breakdown'] = [];
  if (scope.kind === 'all') {
    const organizations = new Map((await deps.identity.organizationsByIds(top.map((t) => t.key))).map((o) => [o.id, o]));
    breakdown = top.flatMap((t) => (organizations.has(t.key) ? [{ organization: organizations.get(t.key)!, completed: t.completed }] : []));
  } else if (scope.kind === 'organization') {
    const services = new Map((await withOrganizations(deps, await servicesByIds(db, top.map((t) => t.key)))).map((s) => [s.id, s]));
    breakdown = top.flatMap((t) => (services.has(t.key) ? [{ service: services.get(t.key)!, completed: t.completed }] : []));
  }
  return { scope, organization, service, report, breakdown, periods: periodChoices(now, tz), channels };
}
