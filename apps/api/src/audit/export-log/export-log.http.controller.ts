import { Controller, Get, Logger, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotImplementedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { type Response } from 'express';
import { once } from 'node:events';
import { EventStore, exportLine } from '#event-store';
import { Roles } from '../../auth/auth.decorators.js';
import { ErrorResponseDto } from '../../http-errors/error-response.dto.js';
import { ExportLogQuery } from './export-log.query.dto.js';

@ApiTags('Audit')
@ApiBearerAuth()
@Controller('audit/log/export')
export class ExportLogController {
  private readonly logger = new Logger('ExportLog');

  constructor(private readonly store: EventStore) {}

  @Get()
  @Roles('admin', 'auditor')
  @ApiOperation({
    summary:
      'The event log as NDJSON, one full envelope a line with its hash and previous hash, in ' +
      'position order, streamed page by page up to the head at the start of the request. ' +
      '`npm run cli -- import-log` restores a whole export into an empty store.',
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'One event a line.' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Only admins and auditors.' })
  @ApiNotImplementedResponse({
    type: ErrorResponseDto,
    description: 'The KurrentDB event store keeps no hash chain.',
  })
  async export(@Query() query: ExportLogQuery, @Res() response: Response): Promise<void> {
    const pages = this.store
      .exportLog({
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      })
      [Symbol.asyncIterator]();
    // The first page is read before the answer starts, so a refusal still gets its status.
    let page = await pages.next();
    response.status(200).type('application/x-ndjson');
    try {
      while (!page.done) {
        const lines = page.value.map((event) => `${exportLine(event)}\n`).join('');
        if (!response.write(lines)) await drained(response);
        if (response.destroyed) return void (await pages.return?.());
        page = await pages.next();
      }
      response.end();
    } catch (error) {
      // Too late for a status: cut the connection, so the client cannot take a partial export
      // for a whole one.
      this.logger.error(`Export failed: ${(error as Error).message}`, (error as Error).stack);
      response.destroy(error as Error);
    }
  }
}

/** Resolves when the client can take more, or has gone. */
async function drained(response: Response): Promise<void> {
  const settled = new AbortController();
  await Promise.race([
    once(response, 'drain', { signal: settled.signal }),
    once(response, 'close', { signal: settled.signal }),
  ]).finally(() => settled.abort());
}
