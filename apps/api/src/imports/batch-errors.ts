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
