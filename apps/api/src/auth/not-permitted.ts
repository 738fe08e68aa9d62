/** The token is valid but does not allow this request; the message says what is missing. */
export class NotPermitted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotPermitted';
  }
}

/** Agents write only for their own organization; other writers are not limited. */
export function assertActsFor(
  actor: { roles: string[]; organizationId: string | null },
  organizationId: string,
): void {
  if (actor.roles.includes('admin') || actor.roles.includes('manager')) return;
  if (actor.organizationId !== organizationId) {
    throw new NotPermitted(
      `Agents record facts only for their own organization: the token is for ` +
        `'${actor.organizationId ?? 'no organization'}', the request is for '${organizationId}'`,
    );
  }
}
