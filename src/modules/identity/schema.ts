import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Bilingual } from '../../kernel/i18n/index.js';

/** The identity module's own PostgreSQL schema. Other modules refer to these rows by id only. */
export const identity = pgSchema('identity');

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const organizationKinds = ['ministry', 'agency', 'municipality', 'partner', 'other'] as const;
export type OrganizationKind = (typeof organizationKinds)[number];

export const organizations = identity.table(
  'organizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    name: jsonb('name').$type<Bilingual>().notNull(),
    acronym: jsonb('acronym').$type<Bilingual>().notNull().default({}),
    kind: text('kind', { enum: organizationKinds }).notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => organizations.id, { onDelete: 'set null' }),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [index('organizations_parent_idx').on(t.parentId)],
);

export const accountStatuses = ['active', 'deactivated'] as const;

export const accounts = identity.table(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    locale: text('locale', { enum: ['en', 'fr'] }).notNull().default('en'),
    superadmin: boolean('superadmin').notNull().default(false),
    status: text('status', { enum: accountStatuses }).notNull().default('active'),
    emailVerifiedAt: at('email_verified_at'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
    lastSignInAt: at('last_sign_in_at'),
    deactivatedAt: at('deactivated_at'),
  },
  (t) => [
    // One account per address, whatever its capitalisation.
    uniqueIndex('accounts_email_idx').on(sql`lower(${t.email})`),
    index('accounts_name_trgm_idx').using('gin', sql`(${t.displayName} || ' ' || ${t.email}) gin_trgm_ops`),
  ],
);

export const memberships = identity.table(
  'memberships',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    grantedBy: uuid('granted_by'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.organizationId, t.role] }), index('memberships_org_idx').on(t.organizationId)],
);

export const emailTokenPurposes = ['verify_email', 'reset_password'] as const;

/** One-time links sent by email. Only the hash is stored. */
export const emailTokens = identity.table(
  'email_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: emailTokenPurposes }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [index('email_tokens_account_idx').on(t.accountId, t.purpose)],
);

export const invitations = identity.table(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    roles: text('roles').array().notNull(),
    invitedBy: uuid('invited_by'),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: at('expires_at').notNull(),
    acceptedAt: at('accepted_at'),
    acceptedAccountId: uuid('accepted_account_id'),
    revokedAt: at('revoked_at'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('invitations_org_idx').on(t.organizationId),
    // At most one open invitation per address and organization.
    uniqueIndex('invitations_open_idx').on(t.organizationId, sql`lower(${t.email})`).where(sql`accepted_at is null and revoked_at is null`),
  ],
);
