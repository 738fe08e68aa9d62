import { type Role } from '../auth/actor.js';
import { type LedgerTransaction } from './ledger-transaction.js';

/**
 * One thing a user can record: the request it takes (a class-validator DTO, also used to
 * validate import rows), who may run it, and how it decides. `name` is the command's name in
 * imports, e.g. `{"command": "EnrollParticipant", ...}`.
 */
export type UseCase<Request extends object = object> = {
  name: string;
  request: new () => Request;
  roles: readonly Role[];
  execute(transaction: LedgerTransaction, request: Request): Promise<void>;
  /**
   * The streams `execute` will read, as far as the request names them: a batch reads all its
   * rows' streams in one query before deciding. One left out is read when first needed.
   */
  reads?(request: Request): string[];
  /**
   * The streams `execute` most often creates (a new participant's): a single command decides
   * first as if they were empty, without reading them; if one exists, the commit's check
   * fails and the command is decided again on what it reads.
   */
  creates?(request: Request): string[];
};

export function useCase<Request extends object>(definition: UseCase<Request>): UseCase<Request> {
  return definition;
}
