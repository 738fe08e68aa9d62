import { type UnitInScope } from '#domain';
import { activeUnit, lineOf } from '../administrative-units/unit-hierarchy.js';
import { type LedgerTransaction } from '../ledger/ledger-transaction.js';

/** The active unit with its level and its line up to the root, for the milestone to judge. */
export async function unitInScope(
  transaction: LedgerTransaction,
  unitId: string,
): Promise<UnitInScope> {
  const { level } = await activeUnit(transaction, unitId, 'unitId');
  return { unitId, level, line: await lineOf(transaction, unitId) };
}
