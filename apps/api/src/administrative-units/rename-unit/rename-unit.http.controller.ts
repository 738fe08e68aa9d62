import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { RenameUnitRequest } from './rename-unit.request.dto.js';
import { renameUnit } from './rename-unit.use-case.js';

class RenameUnitBody extends OmitType(RenameUnitRequest, ['unitId']) {}

@ApiTags('Administrative units')
@Controller('units/:unitId/rename')
export class RenameUnitController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...renameUnit.roles)
  @ApiCommand('Rename a unit from a date; the previous name stays in its history.')
  rename(
    @Param('unitId', new EntityIdPipe('unitId')) unitId: string,
    @Body() body: RenameUnitBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(renameUnit, { ...body, unitId }, context));
  }
}
