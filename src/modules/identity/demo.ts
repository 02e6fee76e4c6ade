import { randomBytes } from 'node:crypto';
import { record } from '../../kernel/audit/index.js';
import { system, type Actor } from '../../kernel/auth/actor.js';
import { hashPassword } from '../../kernel/auth/passwords.js';
import type { Kernel } from '../../kernel/module.js';
import { identityEvents } from './audit.js';
import { findAccountByEmail, insertAccount } from './data/accounts.js';
import { setRoles } from './data/memberships.js';
import type { IdentityApi } from './index.js';

const ctx = { actor: system as Actor, requestId: 'demo-seed' };

/** Ontario-flavoured demo organizations (names as the Government of Ontario publishes them). */
const organizations = [
  { slug: 'transportation', name: { en: 'Ministry of Transportation', fr: 'Ministère des Transports' }, acronym: { en: 'MTO', fr: 'MTO' }, kind: 'ministry' as const },
  { slug: 'health', name: { en: 'Ministry of Health', fr: 'Ministère de la Santé' }, acronym: { en: 'MOH', fr: 'MSAN' }, kind: 'ministry' as const },
  { slug: 'finance', name: { en: 'Ministry of Finance', fr: 'Ministère des Finances' }, acronym: { en: 'FIN', fr: 'FIN' }, kind: 'ministry' as const },
  {
    slug: 'public-business-service-delivery',
    name: { en: 'Ministry of Public and Business Service Delivery and Procurement', fr: 'Ministère des Services au public et aux entreprises et de l’Approvisionnement' },
    acronym: { en: 'MPBSDP', fr: 'MSPEA' },
    kind: 'ministry' as const,
  },
];

const people = [
  { email: 'superadmin@trillium.example', displayName: 'Alex Tremblay', locale: 'en' as const, superadmin: true, memberships: [] as Array<[string, string[]]>, label: 'superadmin' },
  { email: 'org-admin@trillium.example', displayName: 'Priya Singh', locale: 'en' as const, superadmin: false, memberships: [['transportation', ['admin']]] as Array<[string, string[]]>, label: 'organization admin (Ministry of Transportation)' },
  { email: 'staff@trillium.example', displayName: 'Jordan Lee', locale: 'en' as const, superadmin: false, memberships: [['transportation', ['editor']]] as Array<[string, string[]]>, label: 'staff member (editor, Ministry of Transportation)' },
  { email: 'resident@trillium.example', displayName: 'Marie Gagnon', locale: 'fr' as const, superadmin: false, memberships: [] as Array<[string, string[]]>, label: 'resident' },
];

/**
 * Demo organizations and one account of each kind. Passwords are random and returned once, for
 * the start-up output; they are never stored anywhere but as hashes.
 */
export async function seedIdentityDemo(api: IdentityApi, kernel: Kernel): Promise<string[]> {
  const bySlug = new Map<string, string>();
  for (const o of organizations) bySlug.set(o.slug, (await api.ensureOrganization(ctx, o)).id);
  const agency = await api.ensureOrganization(ctx, {
    slug: 'serviceontario',
    name: { en: 'ServiceOntario', fr: 'ServiceOntario' },
    kind: 'agency',
    parentId: bySlug.get('public-business-service-delivery') ?? null,
  });
  bySlug.set('serviceontario', agency.id);

  const lines = ['Demo accounts (passwords shown once; change them or run `trillium user create` for your own):'];
  const width = Math.max(...people.map((p) => p.label.length));
  for (const person of people) {
    // No leading "-" or "_": a password that looks like an option is easy to mistype in a terminal.
    const password = randomBytes(9).toString('base64url').replace(/^[-_]/, 'T');
    const created = await kernel.database.transaction(async (tx) => {
      if (await findAccountByEmail(tx, person.email)) return false;
      const account = await insertAccount(tx, {
        email: person.email,
        displayName: person.displayName,
        passwordHash: await hashPassword(password),
        locale: person.locale,
        superadmin: person.superadmin,
        emailVerifiedAt: new Date(),
      });
      for (const [slug, roles] of person.memberships) await setRoles(tx, account.id, bySlug.get(slug)!, roles, null);
      await record(tx, ctx, { action: identityEvents.accountRegistered, targetType: 'account', targetId: account.id, subjectId: account.id, details: { via: 'demo' } });
      return true;
    });
    if (created) lines.push(`  ${person.label.padEnd(width)}  ${person.email}  password: ${password}`);
  }
  return lines.length > 1 ? lines : [];
}
