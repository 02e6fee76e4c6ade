import { and, asc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { countAll, type Db } from '../../../kernel/db/index.js';
import { serviceRecords } from '../schema.js';

export type ServiceRow = typeof serviceRecords.$inferSelect;
export type NewServiceRow = typeof serviceRecords.$inferInsert;

/** A service by its code (case-insensitive) or id. */
export async function findService(db: Db, codeOrId: string): Promise<ServiceRow | null> {
  const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(codeOrId);
  const [row] = await db
    .select()
    .from(serviceRecords)
    .where(byId ? eq(serviceRecords.id, codeOrId) : sql`lower(${serviceRecords.code}) = lower(${codeOrId})`)
    .limit(1);
  return row ?? null;
}

/** Services with these codes (exact), for batch ingest. */
export async function servicesByCodes(db: Db, codes: string[]): Promise<ServiceRow[]> {
  if (codes.length === 0) return [];
  return db.select().from(serviceRecords).where(inArray(serviceRecords.code, codes));
}

export async function servicesByIds(db: Db, ids: string[]): Promise<ServiceRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(serviceRecords).where(inArray(serviceRecords.id, ids));
}

export interface ServiceFilter {
  q?: string;
  organizationIds?: string[];
  channel?: string;
  serviceType?: string;
  onlineApplication?: boolean;
  status?: string;
}

function conditions(filter: ServiceFilter): SQL | undefined {
  const parts: SQL[] = [];
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(
      or(
        ilike(sql`${serviceRecords.name}->>'en'`, like),
        ilike(sql`${serviceRecords.name}->>'fr'`, like),
        ilike(serviceRecords.code, like),
        ilike(sql`${serviceRecords.programName}->>'en'`, like),
        ilike(sql`${serviceRecords.programName}->>'fr'`, like),
      ) as SQL,
    );
  }
  if (filter.organizationIds) parts.push(filter.organizationIds.length ? inArray(serviceRecords.organizationId, filter.organizationIds) : sql`false`);
  if (filter.channel) parts.push(sql`${filter.channel} = any(${serviceRecords.channels})`);
  if (filter.serviceType) parts.push(sql`${filter.serviceType} = any(${serviceRecords.serviceTypes})`);
  if (filter.onlineApplication) parts.push(sql`${serviceRecords.onlineEnablement}->>'application' = 'yes'`);
  if (filter.status) parts.push(eq(serviceRecords.status, filter.status as ServiceRow['status']));
  return parts.length ? and(...parts) : undefined;
}

/** A page of services by name in the reader's language, and how many match. */
export async function listServices(db: Db, filter: ServiceFilter, locale: 'en' | 'fr', limit: number, offset: number): Promise<{ rows: ServiceRow[]; total: number }> {
  const where = conditions(filter);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(serviceRecords)
      .where(where)
      .orderBy(asc(sql`lower(${serviceRecords.name}->>${locale})`), asc(serviceRecords.code))
      .limit(limit)
      .offset(offset),
    db.select({ n: countAll() }).from(serviceRecords).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/** Every service of the filter, for exports (the inventory is thousands of rows, not millions). */
export async function allServices(db: Db, filter: ServiceFilter = {}): Promise<ServiceRow[]> {
  return db.select().from(serviceRecords).where(conditions(filter)).orderBy(asc(serviceRecords.code));
}

export async function insertService(db: Db, values: NewServiceRow): Promise<ServiceRow> {
  const [row] = await db.insert(serviceRecords).values(values).returning();
  return row!;
}

export async function updateService(db: Db, id: string, values: Partial<NewServiceRow>): Promise<ServiceRow> {
  const [row] = await db
    .update(serviceRecords)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(serviceRecords.id, id))
    .returning();
  return row!;
}

/** Inserts or updates services by code (imports); returns how many were new. */
export async function upsertServices(db: Db, values: NewServiceRow[]): Promise<{ created: number; updated: number }> {
  let created = 0;
  for (let i = 0; i < values.length; i += 500) {
    const chunk = values.slice(i, i + 500);
    const result = await db
      .insert(serviceRecords)
      .values(chunk)
      .onConflictDoUpdate({
        target: serviceRecords.code,
        set: {
          organizationId: sql`excluded.organization_id`,
          name: sql`excluded.name`,
          description: sql`excluded.description`,
          programCode: sql`excluded.program_code`,
          programName: sql`excluded.program_name`,
          serviceTypes: sql`excluded.service_types`,
          clientTypes: sql`excluded.client_types`,
          channels: sql`excluded.channels`,
          onlineEnablement: sql`excluded.online_enablement`,
          chargesFee: sql`excluded.charges_fee`,
          url: sql`excluded.url`,
          source: sql`excluded.source`,
          updatedAt: sql`now()`,
        },
      })
      .returning({ inserted: sql<boolean>`xmax = 0` });
    created += result.filter((r) => r.inserted).length;
  }
  return { created, updated: values.length - created };
}
