/** A role an account can hold in an organization. */
export interface RoleDefinition {
  id: string;
  /** Message keys for the role's name and what it allows. */
  labelKey: string;
  descriptionKey: string;
  /** Roles with a rank include every lower-ranked role (admin ⊃ editor ⊃ viewer). */
  rank?: number;
}

/** An API token scope: the kind of access a machine client can be granted. */
export interface ScopeDefinition {
  id: string;
  labelKey: string;
}

/** The organization roles every installation has; modules add their own through `defineModule`. */
export const baseRoles: RoleDefinition[] = [
  { id: 'admin', labelKey: 'roles.admin.label', descriptionKey: 'roles.admin.description', rank: 3 },
  { id: 'editor', labelKey: 'roles.editor.label', descriptionKey: 'roles.editor.description', rank: 2 },
  { id: 'viewer', labelKey: 'roles.viewer.label', descriptionKey: 'roles.viewer.description', rank: 1 },
];

/** Registry of roles and scopes, filled from the kernel's base roles and every enabled module. */
export class AccessCatalog {
  private readonly roleMap = new Map<string, RoleDefinition>();
  private readonly scopeMap = new Map<string, ScopeDefinition>();

  constructor(roles: RoleDefinition[] = baseRoles, scopes: ScopeDefinition[] = []) {
    for (const r of roles) this.addRole(r);
    for (const s of scopes) this.addScope(s);
  }

  addRole(role: RoleDefinition) {
    if (this.roleMap.has(role.id)) throw new Error(`Role "${role.id}" is defined twice`);
    this.roleMap.set(role.id, role);
  }

  addScope(scope: ScopeDefinition) {
    if (this.scopeMap.has(scope.id)) throw new Error(`Scope "${scope.id}" is defined twice`);
    this.scopeMap.set(scope.id, scope);
  }

  get roles(): RoleDefinition[] {
    return [...this.roleMap.values()];
  }

  get scopes(): ScopeDefinition[] {
    return [...this.scopeMap.values()];
  }

  role(id: string): RoleDefinition | undefined {
    return this.roleMap.get(id);
  }

  isRole(id: string): boolean {
    return this.roleMap.has(id);
  }

  isScope(id: string): boolean {
    return this.scopeMap.has(id);
  }
}

const rankOf = new Map(baseRoles.map((r) => [r.id, r.rank ?? 0]));

/**
 * Roles with those a higher-ranked role already includes left out: `admin, viewer` is `admin`
 * (an administrator can do everything a viewer can). Roles without a rank (a module's own) stay.
 */
export function withoutImpliedRoles(roles: readonly string[]): string[] {
  const unique = [...new Set(roles)];
  const top = Math.max(0, ...unique.map((r) => rankOf.get(r) ?? 0));
  return unique.filter((r) => !rankOf.has(r) || rankOf.get(r) === top);
}
