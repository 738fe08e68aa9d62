import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { MergeUnitsRequest } from './merge-units.request.dto.js';
import { mergeUnits } from './merge-units.use-case.js';

@ApiTags('Administrative units')
@Controller('units/merges')
export class MergeUnitsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...mergeUnits.roles)
  @ApiCommand('Merge several units into one from an effective date, in one commit.')
  merge(
    @Body() body: MergeUnitsRequest,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(mergeUnits, body, context));
  }
}
