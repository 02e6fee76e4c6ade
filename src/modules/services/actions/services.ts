import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { authorize, can } from '../../../kernel/auth/policy.js';
import { InputError, NotAllowed, NotFound } from '../../../kernel/errors/index.js';
import type { Bilingual, Locale } from '../../../kernel/i18n/index.js';
import type { Organization } from '../../identity/index.js';
import { servicesEvents } from '../audit.js';
import { findService, insertService, listServices, updateService, type ServiceFilter, type ServiceRow } from '../data/services.js';
import { serviceInput } from '../inputs/service.input.js';
import { servicesPermissions } from '../policies/index.js';
import { onlinePoints, type Channel, type OnlineEnablement } from '../schema.js';
import type { Service } from '../types.js';
import type { ServicesDeps } from './deps.js';

const bilingual = (en: string | undefined, fr: string | undefined): Bilingual | null => (en || fr ? { en: en ?? '', fr: fr ?? '' } : null);

/** A service row with its organization, as actions return it. */
export function toService(row: ServiceRow, organization: Organization | null | undefined): Service {
  return {
    id: row.id,
    code: row.code,
    organization: { id: row.organizationId, slug: organization?.slug ?? '', name: organization?.name ?? { en: '', fr: '' } },
    name: row.name,
    description: row.description,
    program: { code: row.programCode, name: row.programName },
    serviceTypes: row.serviceTypes,
    clientTypes: row.clientTypes,
    channels: row.channels as Channel[],
    onlineEnablement: row.onlineEnablement,
    chargesFee: row.chargesFee,
    feeDescription: row.feeDescription,
    url: row.url,
    status: row.status,
    source: row.source,
    updatedAt: row.updatedAt,
  };
}

/** Services with their organizations, in one lookup. */
export async function withOrganizations(deps: ServicesDeps, rows: ServiceRow[]): Promise<Service[]> {
  const organizations = await deps.identity.organizationsByIds([...new Set(rows.map((r) => r.organizationId))]);
  const byId = new Map(organizations.map((o) => [o.id, o]));
  return rows.map((r) => toService(r, byId.get(r.organizationId)));
}

/** A service by code or id, or 404. The inventory is public. */
export async function existingService(deps: ServicesDeps, codeOrId: string): Promise<ServiceRow> {
  const row = await findService(deps.kernel.database.db, codeOrId);
  if (!row) throw new NotFound('services.errors.unknownService', { service: codeOrId });
  return row;
}

export async function getService(deps: ServicesDeps, codeOrId: string): Promise<Service> {
  const row = await existingService(deps, codeOrId);
  return toService(row, await deps.identity.getOrganization(row.organizationId));
}

export interface ServiceList {
  items: Service[];
  total: number;
  organization: Organization | null;
}

/** The public inventory, filtered and paged. An unknown organization matches nothing. */
export async function findServices(
  deps: ServicesDeps,
  query: { q?: string; organization?: string; channel?: Channel; type?: string; online?: boolean; locale: Locale },
  limit: number,
  offset: number,
): Promise<ServiceList> {
  const organization = query.organization ? await deps.identity.getOrganization(query.organization) : null;
  const filter: ServiceFilter = {
    ...(query.q ? { q: query.q } : {}),
    ...(query.organization ? { organizationIds: organization ? [organization.id] : [] } : {}),
    ...(query.channel ? { channel: query.channel } : {}),
    ...(query.type ? { serviceType: query.type } : {}),
    ...(query.online ? { onlineApplication: true } : {}),
  };
  const { rows, total } = await listServices(deps.kernel.database.db, filter, query.locale, limit, offset);
  return { items: await withOrganizations(deps, rows), total, organization };
}

/** The row's columns from the form's fields. */
function valuesOf(input: ReturnType<typeof serviceInput.parse>) {
  const onlineEnablement: OnlineEnablement = {};
  for (const point of onlinePoints) if (input[point]) onlineEnablement[point] = input[point];
  return {
    code: input.code,
    organizationId: input.organizationId,
    name: { en: input.nameEn, fr: input.nameFr },
    description: { en: input.descriptionEn, fr: input.descriptionFr },
    programCode: input.programCode ?? null,
    programName: bilingual(input.programNameEn, input.programNameFr),
    serviceTypes: input.serviceTypes ?? [],
    clientTypes: input.clientTypes ?? [],
    channels: input.channels ?? [],
    onlineEnablement,
    chargesFee: input.chargesFee === undefined ? null : input.chargesFee === 'yes',
    feeDescription: bilingual(input.feeDescriptionEn, input.feeDescriptionFr),
    url: bilingual(input.urlEn, input.urlFr),
    status: input.status ?? ('active' as const),
  };
}

/** The form's fields from a service (to edit it). */
export function formOf(s: Service): Record<string, unknown> {
  return {
    code: s.code,
    organizationId: s.organization.id,
    nameEn: s.name.en,
    nameFr: s.name.fr,
    descriptionEn: s.description.en,
    descriptionFr: s.description.fr,
    programCode: s.program.code,
    programNameEn: s.program.name?.en,
    programNameFr: s.program.name?.fr,
    serviceTypes: s.serviceTypes,
    clientTypes: s.clientTypes,
    channels: s.channels,
    ...s.onlineEnablement,
    chargesFee: s.chargesFee === null ? undefined : s.chargesFee ? 'yes' : 'no',
    feeDescriptionEn: s.feeDescription?.en,
    feeDescriptionFr: s.feeDescription?.fr,
    urlEn: s.url?.en,
    urlFr: s.url?.fr,
    status: s.status,
  };
}

async function checkOrganization(deps: ServicesDeps, organizationId: string): Promise<Organization> {
  const organization = await deps.identity.getOrganization(organizationId);
  if (!organization) throw InputError.field('organizationId', 'invalid', 'services.inventory.errors.organizationId.required');
  return organization;
}

/** An organization's editor adds a service to the inventory. */
export async function createService(deps: ServicesDeps, ctx: ActionContext, raw: unknown): Promise<Service> {
  const input = serviceInput.parse(raw);
  authorize(ctx.actor, servicesPermissions.createService, { organizationId: input.organizationId });
  const organization = await checkOrganization(deps, input.organizationId);
  const db = deps.kernel.database.db;
  if (await findService(db, input.code)) throw InputError.field('code', 'taken', 'services.inventory.errors.code.taken');
  const created = await deps.kernel.database.transaction(async (tx) => {
    const row = await insertService(tx, valuesOf(input));
    await record(tx, ctx, { action: servicesEvents.serviceCreated, organizationId: row.organizationId, targetType: 'service', targetId: row.id, details: { code: row.code } });
    return toService(row, organization);
  });
  deps.dashboards.changed();
  return created;
}

/** An editor changes a service; moving it to another organization needs editor rights in both. */
export async function editService(deps: ServicesDeps, ctx: ActionContext, codeOrId: string, raw: unknown): Promise<Service> {
  const existing = await existingService(deps, codeOrId);
  authorize(ctx.actor, servicesPermissions.editService, existing);
  const input = serviceInput.parse(raw);
  authorize(ctx.actor, servicesPermissions.editService, { organizationId: input.organizationId });
  const organization = await checkOrganization(deps, input.organizationId);
  const other = await findService(deps.kernel.database.db, input.code);
  if (other && other.id !== existing.id) throw InputError.field('code', 'taken', 'services.inventory.errors.code.taken');
  const updated = await deps.kernel.database.transaction(async (tx) => {
    const row = await updateService(tx, existing.id, valuesOf(input));
    await record(tx, ctx, { action: servicesEvents.serviceUpdated, organizationId: row.organizationId, targetType: 'service', targetId: row.id, details: { code: row.code } });
    return toService(row, organization);
  });
  deps.dashboards.changed();
  return updated;
}

/** Whether the actor runs this service (sees the staff links). */
export function runsService(ctx: ActionContext, row: { organizationId: string }): { edit: boolean; feedback: boolean; assess: boolean } {
  return {
    edit: can(ctx.actor, servicesPermissions.editService, row),
    feedback: can(ctx.actor, servicesPermissions.readFeedback, row),
    assess: can(ctx.actor, servicesPermissions.assess, row),
  };
}

/** Organizations in which the actor may add services (the form offers them). */
export async function serviceOrganizations(deps: ServicesDeps, ctx: ActionContext): Promise<Organization[]> {
  const all = await deps.identity.listOrganizations();
  const allowed = all.filter((o) => can(ctx.actor, servicesPermissions.createService, { organizationId: o.id }));
  if (allowed.length === 0) throw new NotAllowed();
  return allowed;
}
