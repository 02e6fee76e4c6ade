import type { TestApp } from './app.js';
import type { TestAccount } from '../../src/modules/identity/test/factories.js';
import type { Organization } from '../../src/modules/identity/index.js';

/**
 * The authorization matrix's vocabulary. Each module contributes a part (its routes × every actor
 * → expected status) from its own test folder; test/integration/authorization.test.ts runs them
 * all and fails when a route has no entry.
 */
export const actors = ['anonymous', 'resident', 'viewer', 'editor', 'otherAdmin', 'orgAdmin', 'superadmin'] as const;
export type ActorName = (typeof actors)[number];
export type Statuses = Record<ActorName, number>;

/** The same status for everyone. */
export const all = (s: number): Statuses => ({ anonymous: s, resident: s, viewer: s, editor: s, otherAdmin: s, orgAdmin: s, superadmin: s });
/** Signed-in people get `s`; anonymous people are sent to sign in (pages) or told to authenticate (API). */
export const signedIn = (s: number, anonymous: number): Statuses => ({ ...all(s), anonymous });
/** Superadmins only. */
export const superOnly = (s: number, anonymous: number): Statuses => ({ ...all(403), anonymous, superadmin: s });
/** Administrators of organization A (and superadmins). */
export const orgAdmins = (s: number, anonymous: number): Statuses => ({ ...all(403), anonymous, orgAdmin: s, superadmin: s });
/** Editors and administrators of organization A (and superadmins). */
export const orgEditors = (s: number, anonymous: number): Statuses => ({ ...all(403), anonymous, editor: s, orgAdmin: s, superadmin: s });

/**
 * The people and organizations every part shares: organization A (where viewer, editor and orgAdmin
 * hold those roles), organization B (administered by otherAdmin), a resident, a superadmin, and a
 * member of A to act on.
 */
export interface World {
  t: TestApp;
  orgA: Organization;
  orgB: Organization;
  people: Record<Exclude<ActorName, 'anonymous'>, TestAccount>;
  member: TestAccount;
}

export type Value = string | ((actor: ActorName, w: World) => Promise<string> | string);

export interface Case {
  expect: Statuses;
  /** Values for the route's parameters; a function makes a fresh target per request. */
  params?: Record<string, Value>;
  /** JSON body for API routes (pages are posted empty, with a CSRF token). */
  body?: (actor: ActorName, w: World) => unknown;
  /** Query string appended to the URL. */
  query?: string;
}

/** One module's (or the kernel's) share of the matrix. */
export interface MatrixPart {
  name: string;
  /** Creates what the entries refer to; runs once, after the shared world exists. */
  setup?(w: World): Promise<void>;
  entries: Record<string, Case>;
}
