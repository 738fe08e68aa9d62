import { Command } from '@nestjs/cqrs';
import { type RequestContext } from '../../ledger/request-context.js';
import { type ImportBudget } from '../import-limits.js';
import { type ValidRow } from '../validate-rows.js';
import { type ImportRecorded } from './import-recorded.js';

/** Records a batch of validated commands atomically: every row's facts, or none. */
export class ImportCommands extends Command<ImportRecorded> {
  constructor(
    readonly rows: ValidRow[],
    readonly context: RequestContext,
    /** The time the batch has left, spent in slices that let other requests through. */
    readonly budget: ImportBudget,
  ) {
    super();
  }
}
