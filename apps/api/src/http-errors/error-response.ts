/** One request field at fault, e.g. `{ field: 'period.end', reason: 'must be after period.start' }`. */
export type FieldError = { field: string; reason: string };

/** The body of every failed request. */
export type ErrorResponse = {
  statusCode: number;
  /** A stable, machine-readable code such as `validation_failed`. */
  error: string;
  message: string;
  /** Only for `validation_failed`. */
  fields?: FieldError[];
  correlationId?: string;
};
