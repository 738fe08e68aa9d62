import { SingleBar, Presets } from 'cli-progress';
import { instanceToPlain } from 'class-transformer';
import { type RowProblem } from '../../api/src/imports/command-rows.js';
import { type ValidRow, validateRows } from '../../api/src/imports/validate-rows.js';
import { useCases } from '../../api/src/use-cases.js';
import { type LedgerClient, ServiceRefusal } from './ledger-client.js';
import { type FileFormat, readCommandFile } from './read-command-file.js';

export type ImportOptions = {
  path: string;
  format: FileFormat;
  /** For files whose rows do not name their command. */
  command?: string;
  batchSize: number;
  dryRun: boolean;
};

export type ImportSummary = {
  rows: number;
  batches: number;
  recordedBatches: number;
  alreadyRecordedBatches: number;
  position: number | null;
};

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
    throw new ImportFailed(
      `${invalid.length} invalid row(s) in ${options.path}; nothing was sent`,
      invalid,
    );
  }
  if (options.dryRun)
    return {
      rows: valid.length,
      batches: chunk(valid, options.batchSize).length,
      recordedBatches: 0,
      alreadyRecordedBatches: 0,
      position: null,
    };
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
  const summary: ImportSummary = {
    rows: valid.length,
    batches: batches.length,
    recordedBatches: 0,
    alreadyRecordedBatches: 0,
    position: null,
  };
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
    for (const batch of batches) {
      const body = batch.map(({ useCase, request }) =>
        JSON.stringify({ command: useCase.name, ...instanceToPlain(request) }),
      );
      try {
        const recorded = await service.importBatch(body.join('\n'));
        summary.position = recorded.position;
        if (recorded.alreadyRecorded) summary.alreadyRecordedBatches += 1;
        else summary.recordedBatches += 1;
      } catch (error) {
        if (!(error instanceof ServiceRefusal)) throw error;
        const rows = error.rows.map((row) => ({
          ...row,
          line: batch[row.line - 1]?.line ?? row.line,
        }));
        const done = summary.recordedBatches + summary.alreadyRecordedBatches;
        throw new ImportFailed(
          `The service refused a batch (${error.status} ${error.error}): ${error.message}. ` +
            `${done} earlier batch(es) of ${batchSize} rows are recorded; fix the file in ` +
            'place and run the import again: recorded batches are skipped.',
          rows,
          summary,
        );
      }
      bar.increment(batch.length);
    }
  } finally {
    bar.stop();
  }
  return summary;
}

function chunk(rows: ValidRow[], size: number): ValidRow[][] {
  const batches: ValidRow[][] = [];
  for (let start = 0; start < rows.length; start += size)
    batches.push(rows.slice(start, start + size));
  return batches;
}
