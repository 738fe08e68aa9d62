import { type RowProblem } from '../../api/src/imports/command-rows.js';

/** What an import did, counted in the file's rows and in the batches that carried them. */
export type ImportSummary = {
  rows: number;
  batches: number;
  recordedBatches: number;
  recordedRows: number;
  alreadyRecordedBatches: number;
  alreadyRecordedRows: number;
  position: number | null;
};

/** A batch the service refused: which one, and why. */
export type BatchRefusal = {
  batch: number;
  status: number;
  error: string;
  message: string;
  rows: RowProblem[];
};

const PLURALS: Record<string, string> = { batch: 'batches', row: 'rows' };

export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : (PLURALS[noun] ?? `${noun}s`)}`;
}

export function describeImport(summary: ImportSummary, path: string, dryRun: boolean): string {
  const sent = `${count(summary.rows, 'row')} of ${path} in ${count(summary.batches, 'batch')}`;
  if (dryRun) return `Checked ${sent}; nothing was sent`;
  const recorded = `${count(summary.recordedRows, 'row')} recorded now`;
  const before = `${count(summary.alreadyRecordedRows, 'row')} already recorded`;
  return (
    `Imported ${sent}: ${recorded} (${count(summary.recordedBatches, 'batch')}), ` +
    `${before} (${count(summary.alreadyRecordedBatches, 'batch')})` +
    (summary.position === null ? '' : `; log position ${summary.position}`)
  );
}

export function describeInvalidRows(invalid: number, path: string): string {
  return `${count(invalid, 'invalid row')} in ${path}; nothing was sent. Fix ${invalid === 1 ? 'it' : 'them'} and run the import again.`;
}

/**
 * Why a batch was refused, with advice for that kind of refusal: a token problem is fixed
 * with a token, a refused row in the file, a conflict or a failure of the service by
 * running again.
 */
export function describeRefusal(refusal: BatchRefusal, summary: ImportSummary): string {
  const kept =
    summary.recordedBatches + summary.alreadyRecordedBatches === 0
      ? 'Nothing of the file is recorded.'
      : `The ${count(summary.recordedRows + summary.alreadyRecordedRows, 'row')} of the ` +
        `${count(summary.recordedBatches + summary.alreadyRecordedBatches, 'batch')} before it ` +
        'are recorded, and the next run skips them.';
  const which = `batch ${refusal.batch} of ${summary.batches}`;
  if (refusal.status === 401 || refusal.status === 403) {
    return (
      `The service refused the token at ${which} (${refusal.status} ${refusal.error}): ` +
      `${refusal.message} ${kept} The file is not at fault: fix the token, then run the import again.`
    );
  }
  if (refusal.rows.length > 0) {
    return (
      `The service refused ${count(refusal.rows.length, 'row')} of ${which}, so nothing of ` +
      `that batch was recorded. ${kept} Fix the file in place and run the import again.`
    );
  }
  const retry = refusal.status >= 500 || refusal.status === 409 || refusal.status === 429;
  return (
    `The service refused ${which} (${refusal.status} ${refusal.error}): ${refusal.message} ${kept} ` +
    (retry
      ? 'Run the import again: recorded batches are skipped.'
      : 'Check the command and the file, then run the import again.')
  );
}

/** One line per row, under the file's own line number. */
export function describeRow(row: RowProblem): string {
  const fields = row.fields?.map(({ field, reason }) => `${field} ${reason}`).join('; ');
  return `  line ${row.line}${row.command ? ` (${row.command})` : ''}: ${fields ?? row.message}`;
}
