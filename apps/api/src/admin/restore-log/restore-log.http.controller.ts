import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiNotImplementedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { type ChainedEvent, EventStore, InvalidRestore, parseExportedEvent } from '#event-store';
import { Roles } from '../../auth/auth.decorators.js';
import { ErrorResponseDto } from '../../http-errors/error-response.dto.js';
import { InvalidBatch } from '../../imports/batch-errors.js';
import { LogRestoredDto } from './log-restored.dto.js';

/** Events per request; the import-log CLI sends chunks of 1000. */
export const MAX_RESTORE_EVENTS = 10_000;

@ApiTags('Administration')
@ApiBearerAuth()
@Controller('admin/log/restore')
export class RestoreLogController {
  constructor(private readonly store: EventStore) {}

  @Post()
  @Roles('admin')
  // Not a command recording a new fact: the same chunk sent again answers the same.
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Restore a chunk of an export (GET /audit/log/export) at the head of the log, keeping ' +
      'positions, record times and hashes. The chunk must continue the chain exactly where the ' +
      'log ends; a chunk restored before writes nothing, so a restore can be run again.',
  })
  @ApiConsumes('application/x-ndjson')
  @ApiBody({ description: `NDJSON: lines of an export, at most ${MAX_RESTORE_EVENTS}.` })
  @ApiOkResponse({ type: LogRestoredDto, description: 'Restored, or found restored before.' })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'A line is malformed or does not hash right; its line and field are named.',
  })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'The chunk does not continue the log at its head; nothing was written.',
  })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No valid bearer token.' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Only admins restore.' })
  @ApiNotImplementedResponse({
    type: ErrorResponseDto,
    description: 'The KurrentDB event store keeps no hash chain.',
  })
  async restore(@Body() body: unknown): Promise<LogRestoredDto> {
    const { events, lines } = eventsOf(body);
    try {
      return await this.store.restoreLog(events);
    } catch (error) {
      if (error instanceof InvalidRestore) throw refusal(lines[error.index] ?? 0, error);
      throw error;
    }
  }
}

/** The chunk's events, and the line each came from (blank lines are skipped, not counted out). */
function eventsOf(body: unknown): { events: ChainedEvent[]; lines: number[] } {
  if (typeof body !== 'string') {
    throw invalid(0, 'body', 'must be NDJSON (Content-Type: application/x-ndjson)');
  }
  const events: ChainedEvent[] = [];
  const lines: number[] = [];
  for (const [index, text] of body.split(/\r?\n/).entries()) {
    if (text.trim() === '') continue;
    const line = index + 1;
    if (events.length === MAX_RESTORE_EVENTS) {
      throw invalid(line, 'body', `holds more than ${MAX_RESTORE_EVENTS} events`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw invalid(line, 'line', `is not valid JSON: ${(error as Error).message}`);
    }
    try {
      events.push(parseExportedEvent(value, events.length));
    } catch (error) {
      if (error instanceof InvalidRestore) throw refusal(line, error);
      throw error;
    }
    lines.push(line);
  }
  if (events.length === 0) throw invalid(0, 'body', 'holds no events');
  return { events, lines };
}

function refusal(line: number, { field, reason }: InvalidRestore): InvalidBatch {
  return invalid(line, field, reason);
}

function invalid(line: number, field: string, reason: string): InvalidBatch {
  return new InvalidBatch([
    {
      line,
      error: 'invalid_event',
      message: `${field} ${reason}`,
      fields: [{ field, reason }],
    },
  ]);
}
