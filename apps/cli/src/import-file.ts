import { SingleBar, Presets } from 'cli-progress';
import { instanceToPlain } from 'class-transformer';
import { type RowProblem } from '../../api/src/imports/command-rows.js';
import { type ValidRow, validateRows } from '../../api/src/imports/validate-rows.js';
import { useCases } from '../../api/src/use-cases.js';
import { type LedgerClient, ServiceRefusal } from './ledger-client.js';
import { type ImportSummary, describeInvalidRows, describeRefusal } from './import-report.js';
import { type FileFormat, readCommandFile } from './read-command-file.js';

export type ImportOptions = {
  path: string;
  format: FileFormat;
  /** For files whose rows do not name their command. */
  command?: string;
  batchSize: number;
  dryRun: boolean;
};

export type { ImportSummary } from './import-report.js';

/** A file the service refused, with what was recorded before the refusal. */
export class ImportFailed extends Error {
  constructor(
    message: string,
    readonly problems: RowProblem[],
    readonly summary?: ImportSummary,
  ) {
    super(message);
    this.name = 'ImportFailed';
  }
}

/**
 * Checks every row locally (the same DTOs as the service), then sends the file in batches.
 * Each batch is atomic and keyed by its content, so re-running a file, even one that failed
 * half-way and was fixed in place, skips the batches already recorded.
 */
export async function importFile(
  options: ImportOptions,
  client: () => LedgerClient,
): Promise<ImportSummary> {
  const file = await readCommandFile(options.path, options.format, options.command);
  const { valid, problems } = validateRows(file.rows, useCases, {
    fromText: file.format === 'csv',
  });
  const invalid = [...file.problems, ...problems].sort((a, b) => a.line - b.line);
  if (invalid.length > 0) {
    throw new ImportFailed(describeInvalidRows(invalid.length, options.path), invalid);
  }
  if (options.dryRun) return emptySummary(valid.length, chunk(valid, options.batchSize).length);
  return recordInBatches(valid, options.batchSize, client);
}

/**
 * Sends validated rows in atomic batches, keyed by their content (the service hashes each
 * batch), with a progress bar. A refusal stops at that batch and names the row's own line.
 */
export async function recordInBatches(
  valid: ValidRow[],
  batchSize: number,
  client: () => LedgerClient,
): Promise<ImportSummary> {
  const batches = chunk(valid, batchSize);
  const summary = emptySummary(valid.length, batches.length);
  if (valid.length === 0) return summary;

  const service = client();
  const bar = new SingleBar(
    {
      format: 'Recording [{bar}] {percentage}% | {value}/{total} rows | {eta_formatted} left',
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  bar.start(valid.length, 0);
  try {
    for (const [index, batch] of batches.entries()) {
      const body = batch.map(({ useCase, request }) =>
        JSON.stringify({ command: useCase.name, ...instanceToPlain(request) }),
      );
      try {
        const recorded = await service.importBatch(body.join('\n'));
        summary.position = recorded.position;
        if (recorded.alreadyRecorded) {
          summary.alreadyRecordedBatches += 1;
          summary.alreadyRecordedRows += batch.length;
        } else {
          summary.recordedBatches += 1;
          summary.recordedRows += batch.length;
        }
      } catch (error) {
        if (!(error instanceof ServiceRefusal)) throw error;
        // The service numbers rows within the batch; the reader knows the file's lines.
        const rows = error.rows.map((row) => ({
          ...row,
          line: batch[row.line - 1]?.line ?? row.line,
        }));
        const refusal = { ...error, batch: index + 1, rows, message: error.message };
        throw new ImportFailed(describeRefusal(refusal, summary), rows, summary);
      }
      bar.increment(batch.length);
    }
  } finally {
    bar.stop();
  }
  return summary;
}

function emptySummary(rows: number, batches: number): ImportSummary {
  return {
    rows,
    batches,
    recordedBatches: 0,
    recordedRows: 0,
    alreadyRecordedBatches: 0,
    alreadyRecordedRows: 0,
    position: null,
  };
}

function chunk(rows: ValidRow[], size: number): ValidRow[][] {
  const batches: ValidRow[][] = [];
  for (let start = 0; start < rows.length; start += size)
    batches.push(rows.slice(start, start + size));
  return batches;
}
