import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../../kernel/db/index.js';
import type { Bilingual } from '../../../kernel/i18n/index.js';
import { groups, licences } from '../schema.js';
import type { Group, Licence } from '../types.js';

export async function allLicences(db: Db): Promise<Licence[]> {
  return db.select({ id: licences.id, title: licences.title, url: licences.url, open: licences.open }).from(licences).orderBy(asc(licences.position), asc(licences.id));
}

export async function upsertLicence(db: Db, licence: Licence & { position: number }): Promise<void> {
  await db.insert(licences).values(licence).onConflictDoUpdate({ target: licences.id, set: { title: licence.title, url: licence.url, open: licence.open, position: licence.position } });
}

export async function allGroups(db: Db): Promise<Group[]> {
  return db.select({ id: groups.id, name: groups.name, title: groups.title, description: groups.description }).from(groups).orderBy(asc(groups.name));
}

export async function findGroup(db: Db, name: string): Promise<Group | null> {
  const [row] = await db.select({ id: groups.id, name: groups.name, title: groups.title, description: groups.description }).from(groups).where(eq(groups.name, name)).limit(1);
  return row ?? null;
}

export async function insertGroup(db: Db, values: { name: string; title: Bilingual; description: Bilingual }): Promise<Group> {
  const [row] = await db.insert(groups).values(values).returning({ id: groups.id, name: groups.name, title: groups.title, description: groups.description });
  return row!;
}

export async function updateGroup(db: Db, name: string, values: { title: Bilingual; description: Bilingual }): Promise<Group> {
  const [row] = await db.update(groups).set(values).where(eq(groups.name, name)).returning({ id: groups.id, name: groups.name, title: groups.title, description: groups.description });
  return row!;
}
