import { type RowProblem } from './command-rows.js';

/** Rows that are malformed or invalid: nothing of the batch was recorded. */
export class InvalidBatch extends Error {
  constructor(readonly rows: RowProblem[]) {
    super(
      `${rows.length} row${rows.length === 1 ? '' : 's'} of the batch ${rows.length === 1 ? 'is' : 'are'} ` +
        `invalid; nothing was recorded. First: line ${rows[0].line}: ${rows[0].message}`,
    );
    this.name = 'InvalidBatch';
  }
}

/** A row the domain or the authorisation refused: the whole batch was rolled back. */
export class BatchRowRefused extends Error {
  constructor(
    readonly line: number,
    readonly command: string,
    readonly refusal: Error,
  ) {
    super(`Line ${line} (${command}) was refused; nothing was recorded: ${refusal.message}`, {
      cause: refusal,
    });
    this.name = 'BatchRowRefused';
  }
}

/** More rows than IMPORT_MAX_ROWS: nothing was read further, nothing recorded. */
export class BatchTooLarge extends Error {
  constructor(rows: number, maxRows: number) {
    super(
      `The batch holds ${rows} rows; the most is ${maxRows} (IMPORT_MAX_ROWS). Nothing was ` +
        'recorded: send it in smaller batches, as the import CLI does with --batch-size',
    );
    this.name = 'BatchTooLarge';
  }
}

/** The batch ran past IMPORT_TIME_LIMIT_MS before its append: nothing was recorded. */
export class BatchTimeLimitExceeded extends Error {
  constructor(timeLimitMs: number, done: number, total: number) {
    super(
      `The batch was still being checked and decided after ${timeLimitMs} ms ` +
        `(IMPORT_TIME_LIMIT_MS), at row ${done} of ${total}. Nothing was recorded: ` +
        'send it in smaller batches',
    );
    this.name = 'BatchTimeLimitExceeded';
  }
}
