import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { FIELD_WRITERS } from '../../auth/actor.js';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { useCases } from '../../use-cases.js';
import { BatchTooLarge, InvalidBatch } from '../batch-errors.js';
import {
  type CommandRow,
  MAX_BATCH_ROWS,
  type RowProblem,
  rowsOfArray,
  rowsOfNdjson,
} from '../command-rows.js';
import { ImportBudget, ImportLimits } from '../import-limits.js';
import { validateRowsInTurns } from '../validate-rows.js';
import { ImportCommands } from './import-commands.command.js';
import { ImportRecorded } from './import-recorded.js';

/** One schema per command a row may name: its name, and the body its own route takes. */
const ROW_SCHEMAS = [...useCases.values()].map(({ name, request }) => ({
  title: name,
  allOf: [
    {
      type: 'object',
      required: ['command'],
      properties: { command: { type: 'string', enum: [name] } },
    },
    { $ref: getSchemaPath(request) },
  ],
}));

@ApiTags('Imports')
@ApiExtraModels(...[...useCases.values()].map(({ request }) => request))
@Controller('imports')
export class ImportCommandsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly limits: ImportLimits,
  ) {}

  @Post()
  @Roles(...FIELD_WRITERS)
  @ApiCommand(
    'Record a batch of commands atomically: every row, or none. Each row is a command name ' +
      'and the fields its own route takes. A batch posted twice is recorded once.',
  )
  @ApiConsumes('application/json', 'application/x-ndjson')
  @ApiBody({
    description:
      `A JSON array, or NDJSON (one object per line), of at most ${MAX_BATCH_ROWS} rows ` +
      '(IMPORT_MAX_ROWS may set fewer: more answer 413). A batch still being checked and ' +
      'decided after IMPORT_TIME_LIMIT_MS answers 422 and records nothing.',
    schema: {
      type: 'array',
      maxItems: MAX_BATCH_ROWS,
      items: { oneOf: ROW_SCHEMAS },
      example: [
        {
          command: 'RegisterUnit',
          unitId: 'HP',
          name: 'Hai Phong',
          level: 'city',
          effectiveDate: '2024-01-01',
        },
        {
          command: 'RegisterUnit',
          unitId: 'HP-LC',
          name: 'Le Chan',
          level: 'district',
          parentId: 'HP',
          effectiveDate: '2024-01-01',
        },
      ],
    },
  })
  @ApiCreatedResponse({ type: ImportRecorded })
  async import(
    @Body() body: unknown,
    @CommandContext() context: RequestContext,
  ): Promise<ImportRecorded> {
    const budget = new ImportBudget(this.limits.timeLimitMs);
    const parsed = rowsOf(body, this.limits.maxRows);
    const { valid, problems } = await validateRowsInTurns(parsed.rows, useCases, budget);
    const all = [...parsed.problems, ...problems].sort((a, b) => a.line - b.line);
    if (all.length > 0) throw new InvalidBatch(all);
    return this.commands.execute(new ImportCommands(valid, context, budget));
  }
}

function rowsOf(body: unknown, maxRows: number): { rows: CommandRow[]; problems: RowProblem[] } {
  if (typeof body === 'string') {
    // Counted before parsing: a batch over the limit costs a scan, not a parse.
    const rows = body.split('\n').filter((line) => line.trim() !== '').length;
    if (rows > maxRows) throw new BatchTooLarge(rows, maxRows);
    return nonEmpty(rowsOfNdjson(body));
  }
  if (Array.isArray(body)) {
    if (body.length > maxRows) throw new BatchTooLarge(body.length, maxRows);
    return nonEmpty(rowsOfArray(body));
  }
  return { rows: [], problems: [problem('The body must be a JSON array or NDJSON of commands')] };
}

function nonEmpty(parsed: { rows: CommandRow[]; problems: RowProblem[] }) {
  if (parsed.rows.length + parsed.problems.length > 0) return parsed;
  return { rows: [], problems: [problem('The batch holds no commands')] };
}

function problem(message: string): RowProblem {
  return { line: 0, error: 'validation_failed', message };
}
