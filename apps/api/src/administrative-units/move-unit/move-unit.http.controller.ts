import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { MoveUnitRequest } from './move-unit.request.dto.js';
import { moveUnit } from './move-unit.use-case.js';

class MoveUnitBody extends OmitType(MoveUnitRequest, ['unitId']) {}

@ApiTags('Administrative units')
@Controller('units/:unitId/move')
export class MoveUnitController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...moveUnit.roles)
  @ApiCommand('Move a unit under another parent from a date (cycles are refused).')
  move(
    @Param('unitId', new EntityIdPipe('unitId')) unitId: string,
    @Body() body: MoveUnitBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(moveUnit, { ...body, unitId }, context));
  }
}
