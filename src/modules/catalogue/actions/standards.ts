import { record, type ActionContext } from '../../../kernel/audit/index.js';
import { authorize, can } from '../../../kernel/auth/policy.js';
import { Conflict, InputError, NotFound, type FieldError } from '../../../kernel/errors/index.js';
import type { Bilingual } from '../../../kernel/i18n/index.js';
import type { Organization } from '../../identity/index.js';
import { catalogueEvents } from '../audit.js';
import { allStandardVersions, datasetsUsing, findStandard, findStandardVersion, insertStandard, latestStandards, versionsOf, type StandardRow } from '../data/standards.js';
import { standardInput } from '../inputs/standard.input.js';
import { cataloguePermissions } from '../policies/index.js';
import type { TableSchema } from '../schema.js';
import type { CatalogueDeps } from './datasets.js';

/** Field types of the Frictionless Table Schema specification (v1, and `list` from v2). */
export const tableSchemaTypes = [
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
  'list',
  'date',
  'time',
  'datetime',
  'year',
  'yearmonth',
  'duration',
  'geopoint',
  'geojson',
  'any',
] as const;

/** One registered version of a data standard, as pages and the API show it. */
export interface DataStandard {
  id: string;
  name: string;
  version: string;
  title: Bilingual;
  description: Bilingual;
  schema: TableSchema;
  organization: { id: string; slug: string; name: Bilingual } | null;
  createdAt: Date;
}

export interface StandardSummary extends DataStandard {
  /** How many versions are registered under this name. */
  versions: number;
}

export interface StandardDetail {
  standard: DataStandard;
  /** Every version of the name, newest first. */
  versions: Array<{ id: string; version: string; createdAt: Date }>;
  /** Published datasets with a resource that declares it conforms to this version. */
  usedBy: Array<{ name: string; title: Bilingual }>;
  /** True when this is the most recently registered version. */
  latest: boolean;
  canRegisterVersion: boolean;
}

function toStandard(row: StandardRow, organizations: Organization[]): DataStandard {
  const organization = organizations.find((o) => o.id === row.organizationId);
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    title: row.title,
    description: row.description,
    schema: row.schema,
    organization: organization ? { id: organization.id, slug: organization.slug, name: organization.name } : null,
    createdAt: row.createdAt,
  };
}

const schemaProblem = (messageKey: string, params?: Record<string, string | number>): FieldError => ({ field: 'schema', rule: 'tableSchema', messageKey, ...(params ? { params } : {}) });

/**
 * Checks that a value is a well-formed Frictionless Table Schema: an object with a non-empty list
 * of fields, each with a unique name and (when given) a known type; constraints are objects; the
 * primary key and foreign keys name existing fields; missing values are texts. Returns the first
 * problem, named for a person, or null.
 */
export function tableSchemaProblem(value: unknown): FieldError | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return schemaProblem('catalogue.standards.errors.schema.object');
  const schema = value as Record<string, unknown>;
  if (!Array.isArray(schema['fields']) || schema['fields'].length === 0) return schemaProblem('catalogue.standards.errors.schema.fields');
  const fields = schema['fields'] as unknown[];
  if (fields.length > 1000) return schemaProblem('catalogue.standards.errors.schema.tooManyFields', { limit: 1000 });
  const names = new Set<string>();
  for (const [index, item] of fields.entries()) {
    const position = index + 1;
    if (!item || typeof item !== 'object' || Array.isArray(item)) return schemaProblem('catalogue.standards.errors.schema.fieldObject', { position });
    const f = item as Record<string, unknown>;
    if (typeof f['name'] !== 'string' || !f['name'].trim()) return schemaProblem('catalogue.standards.errors.schema.fieldName', { position });
    const name = f['name'];
    if (names.has(name)) return schemaProblem('catalogue.standards.errors.schema.fieldDuplicate', { name });
    names.add(name);
    if (f['type'] !== undefined && !(typeof f['type'] === 'string' && (tableSchemaTypes as readonly string[]).includes(f['type']))) {
      return schemaProblem('catalogue.standards.errors.schema.fieldType', { name, type: String(f['type']), types: tableSchemaTypes.join(', ') });
    }
    if (f['format'] !== undefined && typeof f['format'] !== 'string') return schemaProblem('catalogue.standards.errors.schema.fieldFormat', { name });
    if (f['constraints'] !== undefined && (!f['constraints'] || typeof f['constraints'] !== 'object' || Array.isArray(f['constraints']))) {
      return schemaProblem('catalogue.standards.errors.schema.constraints', { name });
    }
  }
  const keyNames = (key: unknown): string[] | null => (typeof key === 'string' ? [key] : Array.isArray(key) && key.every((k) => typeof k === 'string') ? (key as string[]) : null);
  if (schema['primaryKey'] !== undefined) {
    const key = keyNames(schema['primaryKey']);
    if (!key?.length) return schemaProblem('catalogue.standards.errors.schema.primaryKeyShape');
    const unknown = key.find((k) => !names.has(k));
    if (unknown !== undefined) return schemaProblem('catalogue.standards.errors.schema.primaryKey', { name: unknown });
  }
  if (schema['foreignKeys'] !== undefined) {
    if (!Array.isArray(schema['foreignKeys'])) return schemaProblem('catalogue.standards.errors.schema.foreignKeyShape');
    for (const fk of schema['foreignKeys'] as unknown[]) {
      const key = fk && typeof fk === 'object' ? keyNames((fk as Record<string, unknown>)['fields']) : null;
      const reference = fk && typeof fk === 'object' ? (fk as Record<string, unknown>)['reference'] : null;
      if (!key?.length || !reference || typeof reference !== 'object') return schemaProblem('catalogue.standards.errors.schema.foreignKeyShape');
      const unknown = key.find((k) => !names.has(k));
      if (unknown !== undefined) return schemaProblem('catalogue.standards.errors.schema.foreignKey', { name: unknown });
    }
  }
  if (schema['missingValues'] !== undefined && !(Array.isArray(schema['missingValues']) && schema['missingValues'].every((v) => typeof v === 'string'))) {
    return schemaProblem('catalogue.standards.errors.schema.missingValues');
  }
  return null;
}

/** Parses the schema text (or takes the API's object) and checks it, or throws InputError on `schema`. */
function readTableSchema(value: string | object): TableSchema {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new InputError([schemaProblem('catalogue.standards.errors.schema.json')]);
    }
  }
  const problem = tableSchemaProblem(parsed);
  if (problem) throw new InputError([problem]);
  return parsed as TableSchema;
}

/** The latest version of every standard. Public. */
export async function listStandards(deps: CatalogueDeps): Promise<StandardSummary[]> {
  const found = await latestStandards(deps.kernel.database.db);
  const organizations = await deps.identity.organizationsByIds([...new Set(found.map((s) => s.organizationId))]);
  return found.map((row) => ({ ...toStandard(row, organizations), versions: row.versions }));
}

/** Every version of every standard, for choosing the one a resource conforms to. */
export async function standardChoices(deps: CatalogueDeps): Promise<Array<{ id: string; name: string; version: string; title: Bilingual }>> {
  return (await allStandardVersions(deps.kernel.database.db)).map((s) => ({ id: s.id, name: s.name, version: s.version, title: s.title }));
}

/**
 * A standard by name (its latest version) or by the id of one version, or one version by name and
 * version. Public.
 */
export async function getStandard(deps: CatalogueDeps, ctx: ActionContext, nameOrId: string, version?: string): Promise<StandardDetail> {
  const db = deps.kernel.database.db;
  let row: StandardRow | null | undefined;
  if (version !== undefined) row = await findStandardVersion(db, nameOrId, version);
  else row = (await findStandard(db, nameOrId)) ?? (await versionsOf(db, nameOrId))[0];
  if (!row) throw new NotFound();
  const [versions, usedBy, organizations] = await Promise.all([
    versionsOf(db, row.name),
    datasetsUsing(db, [row.id]),
    deps.identity.organizationsByIds([row.organizationId]),
  ]);
  return {
    standard: toStandard(row, organizations),
    versions: versions.map((v) => ({ id: v.id, version: v.version, createdAt: v.createdAt })),
    usedBy: usedBy.map((u) => ({ name: u.name, title: u.title })),
    latest: versions[0]?.id === row.id,
    canRegisterVersion: can(ctx.actor, cataloguePermissions.registerStandard, { organizationId: row.organizationId }),
  };
}

/**
 * The organizations the actor may register standards for (the form offers these), or NotAllowed.
 * With `from`, the form starts from that version (a new version of it).
 */
export async function prepareNewStandard(deps: CatalogueDeps, ctx: ActionContext, from?: string): Promise<{ organizations: Organization[]; values: Record<string, unknown> }> {
  const organizations = (await deps.identity.listOrganizations()).filter((o) => can(ctx.actor, cataloguePermissions.registerStandard, { organizationId: o.id }));
  if (!organizations.length) authorize(ctx.actor, cataloguePermissions.registerStandard, { organizationId: '' });
  const base = from ? await findStandard(deps.kernel.database.db, from) : null;
  if (base && organizations.some((o) => o.id === base.organizationId)) {
    return {
      organizations,
      values: {
        organizationId: base.organizationId,
        name: base.name,
        titleEn: base.title.en,
        titleFr: base.title.fr,
        descriptionEn: base.description.en,
        descriptionFr: base.description.fr,
        schema: JSON.stringify(base.schema, null, 2),
      },
    };
  }
  return { organizations, values: { organizationId: organizations[0]?.id } };
}

/**
 * An editor registers a version of a standard for their organization. A name belongs to the
 * organization that first registered it; each version is kept as registered (a change is a new
 * version).
 */
export async function registerStandard(deps: CatalogueDeps, ctx: ActionContext, raw: unknown): Promise<DataStandard> {
  const input = standardInput.parse(raw);
  authorize(ctx.actor, cataloguePermissions.registerStandard, { organizationId: input.organizationId });
  const schema = readTableSchema(input.schema);
  const organization = await deps.identity.getOrganization(input.organizationId);
  if (!organization) throw InputError.field('organizationId', 'invalid', 'catalogue.standards.errors.organizationId.required');
  return deps.kernel.database.transaction(async (tx) => {
    const previous = await versionsOf(tx, input.name);
    if (previous.some((v) => v.organizationId !== input.organizationId)) throw new Conflict('catalogue.standards.errors.name.taken', {}, 'name');
    const row = await insertStandard(tx, {
      name: input.name,
      version: input.version,
      title: { en: input.titleEn, fr: input.titleFr },
      description: { ...(input.descriptionEn ? { en: input.descriptionEn } : {}), ...(input.descriptionFr ? { fr: input.descriptionFr } : {}) },
      schema,
      organizationId: input.organizationId,
      createdBy: ctx.actor.accountId,
    });
    if (!row) throw new Conflict('catalogue.standards.errors.version.taken', { version: input.version }, 'version');
    await record(tx, ctx, {
      action: catalogueEvents.standardRegistered,
      organizationId: row.organizationId,
      targetType: 'data_standard',
      targetId: row.id,
      details: { name: row.name, version: row.version, fields: schema.fields.length },
    });
    return toStandard(row, [organization]);
  });
}

/**
 * Checks that a resource's declared standard exists (for the resource form and API): throws an
 * InputError on `standardId` otherwise.
 */
export async function checkStandardId(deps: CatalogueDeps, standardId: string | undefined | null): Promise<void> {
  if (standardId && !(await findStandard(deps.kernel.database.db, standardId))) {
    throw InputError.field('standardId', 'invalid', 'catalogue.errors.resource.standardId.invalid');
  }
}
