import type { Bilingual, Locale } from '../../kernel/i18n/index.js';
import type { OrganizationKind } from './schema.js';

/** An organization as other modules and the API see it. */
export interface Organization {
  id: string;
  slug: string;
  name: Bilingual;
  acronym: Bilingual;
  kind: OrganizationKind;
  parentId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An account as its owner, administrators and the API see it (never the password hash). */
export interface Account {
  id: string;
  email: string;
  displayName: string;
  locale: Locale;
  superadmin: boolean;
  status: 'active' | 'deactivated';
  emailVerified: boolean;
  createdAt: Date;
  lastSignInAt: Date | null;
}

export interface MembershipView {
  organizationId: string;
  organizationSlug: string;
  organizationName: Bilingual;
  roles: string[];
}

export interface Member {
  accountId: string;
  displayName: string;
  email: string;
  status: 'active' | 'deactivated';
  roles: string[];
}

export interface Invitation {
  id: string;
  organizationId: string;
  email: string;
  roles: string[];
  expiresAt: Date;
  createdAt: Date;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
