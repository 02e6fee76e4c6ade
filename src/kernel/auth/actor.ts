import type { Locale } from '../i18n/index.js';

/** A role held in one organization. */
export interface Membership {
  organizationId: string;
  role: string;
}

/**
 * Who is asking. Resolved once per request (session cookie or API token) and handed to actions,
 * which decide with `can()` what this actor may do.
 */
export interface Actor {
  kind: 'anonymous' | 'account' | 'token' | 'system';
  accountId: string | null;
  displayName: string | null;
  email: string | null;
  locale: Locale | null;
  superadmin: boolean;
  memberships: readonly Membership[];
  /** Scopes an API token was granted; `null` means not limited by scopes (a browser session). */
  scopes: readonly string[] | null;
  sessionId: string | null;
  tokenId: string | null;
}

export const anonymous: Actor = Object.freeze({
  kind: 'anonymous',
  accountId: null,
  displayName: null,
  email: null,
  locale: null,
  superadmin: false,
  memberships: [],
  scopes: null,
  sessionId: null,
  tokenId: null,
});

/** The platform itself, acting from the command line, a job or the demo seed. */
export const system: Actor = Object.freeze({ ...anonymous, kind: 'system', superadmin: true });

/** What the account provider (the identity module) tells the kernel about an account. */
export interface AccountProfile {
  accountId: string;
  displayName: string;
  email: string;
  locale: Locale;
  superadmin: boolean;
  active: boolean;
  memberships: Membership[];
}

/**
 * Implemented by the module that owns accounts (identity). The kernel stays ignorant of modules:
 * it only asks this interface who an account is.
 */
export interface AccountDirectory {
  profile(accountId: string): Promise<AccountProfile | null>;
  /** The ID of the account with this email address, or null (the audit log's filters use it). */
  idForEmail?(email: string): Promise<string | null>;
  /** Paths (after the locale) of the sign-in, sign-out and account pages, for the header. */
  paths: { signIn: string; signOut: string; account: string };
}

export function isSignedIn(actor: Actor): boolean {
  return actor.kind === 'account' || actor.kind === 'token';
}
