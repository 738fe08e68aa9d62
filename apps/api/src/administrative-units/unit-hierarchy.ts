import {
  type AdministrativeUnit,
  type RegisteredUnit,
  administrativeUnitDecider,
  requireActiveUnit,
  unitStream,
} from '#domain';
import { type LedgerTransaction } from '../ledger/ledger-transaction.js';

/** Deeper than any real hierarchy; stops a walk over corrupt data. */
const MAX_DEPTH = 64;

/** The unit, registered and not merged away, or an error naming `field`. */
export async function activeUnit(
  transaction: LedgerTransaction,
  unitId: string,
  field: string,
): Promise<RegisteredUnit> {
  return requireActiveUnit(
    await transaction.state(administrativeUnitDecider, unitStream(unitId)),
    unitId,
    field,
  );
}

/** The unit's id followed by its parent's, up to the root. */
export async function lineOf(transaction: LedgerTransaction, unitId: string): Promise<string[]> {
  const line: string[] = [];
  let current: string | null = unitId;
  while (current && line.length < MAX_DEPTH && !line.includes(current)) {
    line.push(current);
    const unit: AdministrativeUnit = await transaction.state(
      administrativeUnitDecider,
      unitStream(current),
    );
    current = unit.status === 'unregistered' ? null : unit.parentId;
  }
  return line;
}
