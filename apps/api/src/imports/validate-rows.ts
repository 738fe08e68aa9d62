import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { type FieldError } from '../http-errors/error-response.js';
import { fieldErrorsOf } from '../http-errors/request-validation.js';
import { type UseCase } from '../ledger/use-case.js';
import { RequestCheck } from '../validation/request-check.js';
import { unsafeJsonIn } from '../validation/unsafe-json.js';
import { type CommandRow, type RowProblem } from './command-rows.js';
import { type ImportBudget } from './import-limits.js';

export type ValidRow = { line: number; useCase: UseCase; request: object };

export type RowConversion = {
  /**
   * Converts strings to the types the request class declares (CSV cells are all strings):
   * class-transformer's implicit conversion, which reads each property's design type.
   */
  fromText?: boolean;
};

/** Checks every row against its command's request class, exactly as the HTTP routes do. */
export function validateRows(
  rows: CommandRow[],
  useCases: ReadonlyMap<string, UseCase>,
  { fromText = false }: RowConversion = {},
): { valid: ValidRow[]; problems: RowProblem[] } {
  const valid: ValidRow[] = [];
  const problems: RowProblem[] = [];
  for (const { line, command, fields } of rows) {
    const useCase = useCases.get(command);
    if (!useCase) {
      problems.push({
        line,
        command,
        error: 'unknown_command',
        message: `Unknown command '${command}'; known: ${[...useCases.keys()].join(', ')}`,
        fields: [{ field: 'command', reason: `'${command}' is not a command` }],
      });
      continue;
    }
    const unsafe = unsafeJsonIn(fields);
    if (unsafe.length > 0) {
      problems.push(invalidRow(line, command, unsafe));
      continue;
    }
    // Most rows pass: checked with the class's rules looked up once, they skip
    // class-transformer and class-validator's look-ups. The others go the usual way, which
    // says what is wrong.
    const check = fromText ? undefined : RequestCheck.of(useCase.request);
    if (check) {
      const request = check.instance(fields);
      if (check.passes(request)) {
        valid.push({ line, useCase, request });
        continue;
      }
    }
    const request = plainToInstance(useCase.request, fields, {
      enableImplicitConversion: fromText,
    });
    const errors = validateSync(request, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      problems.push(invalidRow(line, command, fieldErrorsOf(errors)));
      continue;
    }
    valid.push({ line, useCase, request });
  }
  return { valid, problems };
}

/** `validateRows` for a request: in slices, giving other requests their turns between them. */
export async function validateRowsInTurns(
  rows: CommandRow[],
  useCases: ReadonlyMap<string, UseCase>,
  budget: ImportBudget,
): Promise<{ valid: ValidRow[]; problems: RowProblem[] }> {
  const valid: ValidRow[] = [];
  const problems: RowProblem[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_CHECK) {
    await budget.turn(start, rows.length);
    const slice = validateRows(rows.slice(start, start + ROWS_PER_CHECK), useCases);
    valid.push(...slice.valid);
    problems.push(...slice.problems);
  }
  return { valid, problems };
}

/** Rows validated between two looks at the clock: a row takes some tens of microseconds. */
const ROWS_PER_CHECK = 50;

function invalidRow(line: number, command: string, reasons: FieldError[]): RowProblem {
  return {
    line,
    command,
    error: 'validation_failed',
    message: reasons.map(({ field, reason }) => `${field} ${reason}`).join('; '),
    fields: reasons,
  };
}
