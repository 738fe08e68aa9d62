import { type ValidRow, validateRows } from '../../../api/src/imports/validate-rows.js';
import { useCases } from '../../../api/src/use-cases.js';
import { type ImportSummary, recordInBatches } from '../import-file.js';
import { type LedgerClient } from '../ledger-client.js';
import { demoScenario } from './scenario.js';

/** Records the demo scenario; running it again appends nothing (every batch is keyed). */
export async function loadDemo(client: () => LedgerClient): Promise<ImportSummary> {
  const rows = demoScenario().map(({ command, ...fields }, index) => ({
    line: index + 1,
    command,
    fields,
  }));
  const { valid, problems } = validateRows(rows, useCases);
  if (problems.length > 0) {
    throw new Error(
      `The demo scenario is invalid (a bug): ${JSON.stringify(problems.slice(0, 3))}`,
    );
  }
  return recordInBatches(valid as ValidRow[], 1_000, client);
}
