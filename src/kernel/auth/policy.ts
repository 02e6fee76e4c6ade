import { NotAllowed } from '../errors/index.js';
import { baseRoles } from './roles.js';
import type { Actor } from './actor.js';

/**
 * A permission: a named thing an actor may do to a resource, and the rule that decides it.
 * Modules keep theirs in `policies/`; actions check them with `authorize` before doing anything.
 */
export interface Permission<R = void> {
  /** Stable name, e.g. `identity.organization.update` (used in docs and tests). */
  readonly action: string;
  /** API-token scope required when the actor is a token, e.g. `identity:write`. */
  readonly scope: string;
  readonly allow: (actor: Actor, resource: R) => boolean;
}

export function definePermission<R = void>(action: string, scope: string, allow: (actor: Actor, resource: R) => boolean): Permission<R> {
  return Object.freeze({ action, scope, allow });
}

/** `can(actor, action, resource)`: true when the actor may perform the permission's action on the resource. */
export function can<R>(actor: Actor, permission: Permission<R>, resource: R): boolean {
  if (actor.kind === 'system') return true;
  if (actor.scopes && !actor.scopes.includes(permission.scope)) return false;
  return permission.allow(actor, resource);
}

/** Throws `NotAllowed` unless `can(...)`. The first line of every action. */
export function authorize<R>(actor: Actor, permission: Permission<R>, resource: R): void {
  if (!can(actor, permission, resource)) throw new NotAllowed();
}

const rankOf = new Map(baseRoles.map((r) => [r.id, r.rank ?? 0]));

/**
 * Whether the actor holds `role` in the organization. Ranked roles include lower ones, so an admin
 * also counts as an editor and a viewer. Superadmins hold every role everywhere.
 */
export function hasRole(actor: Actor, organizationId: string | null | undefined, role: string): boolean {
  if (actor.superadmin) return true;
  if (!organizationId) return false;
  const wanted = rankOf.get(role);
  return actor.memberships.some(
    (m) => m.organizationId === organizationId && (m.role === role || (wanted !== undefined && (rankOf.get(m.role) ?? 0) >= wanted)),
  );
}

/** Whether the actor holds any role in any organization (that is, works for one). */
export function isStaff(actor: Actor): boolean {
  return actor.superadmin || actor.memberships.length > 0;
}
