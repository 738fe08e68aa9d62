/**
 * What kind of refusal an error is, so the API can answer it without knowing every error:
 * `conflict` — the fact clashes with what is recorded (already enrolled, already launched);
 * `rejected` — the request breaks a business rule (a stop larger than the stock);
 * `unknown` — it names something that was never recorded (an unknown unit).
 */
export type RefusalKind = 'conflict' | 'rejected' | 'unknown';

/** A command the domain refuses. `field` names the request field at fault, where there is one. */
export abstract class DomainError extends Error {
  abstract readonly kind: RefusalKind;
  readonly field?: string;

  constructor(message: string, field?: string) {
    super(message);
    this.name = new.target.name;
    this.field = field;
  }
}

/** The request names an entity (unit, organization, agent, plan...) that was never recorded. */
export class UnknownEntity extends DomainError {
  readonly kind = 'unknown';

  constructor(
    readonly entity: string,
    readonly id: string,
    field?: string,
  ) {
    super(`Unknown ${entity} '${id}'`, field);
  }
}

/** The entity the request would create is already recorded. */
export class AlreadyRecorded extends DomainError {
  readonly kind = 'conflict';

  constructor(
    readonly entity: string,
    readonly id: string,
    field?: string,
  ) {
    super(`${capitalize(entity)} '${id}' is already recorded`, field);
  }
}

/** A business rule refuses the command; the message says which. */
export class RuleViolation extends DomainError {
  readonly kind = 'rejected';
}

/** The command clashes with the entity's current state (closed, cancelled, not active...). */
export class StateConflict extends DomainError {
  readonly kind = 'conflict';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
