import { type RowProblem } from '../imports/command-rows.js';

/** One request field at fault, e.g. `{ field: 'period.end', reason: 'must be after period.start' }`. */
export type FieldError = { field: string; reason: string };

/** The body of every failed request. */
export type ErrorResponse = {
  statusCode: number;
  /** A stable, machine-readable code such as `validation_failed`. */
  error: string;
  message: string;
  /** The fields at fault, for `validation_failed` and for refusals that concern one field. */
  fields?: FieldError[];
  /** For a batch: each row at fault, by its line. */
  rows?: RowProblem[];
  correlationId?: string;
};
