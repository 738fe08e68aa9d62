export const ROLES = ['admin', 'manager', 'agent', 'auditor', 'viewer'] as const;

/**
 * admin: everything; manager: records every fact; agent: records participation for its own
 * organization; auditor: reads everything, writes nothing; viewer: reads the dashboards.
 */
export type Role = (typeof ROLES)[number];

/** Who is making a request, from a verified bearer token. */
export type Actor = {
  /** The token's subject: recorded as the actor of every event the request appends. */
  id: string;
  roles: Role[];
  /** For agents: the collection organization they work for. */
  organizationId: string | null;
};

export const WRITERS: readonly Role[] = ['admin', 'manager'];
export const FIELD_WRITERS: readonly Role[] = ['admin', 'manager', 'agent'];
export const READERS: readonly Role[] = ['admin', 'manager', 'agent', 'auditor', 'viewer'];

export function hasAnyRole(actor: Actor, roles: readonly Role[]): boolean {
  return actor.roles.some((role) => roles.includes(role));
}
