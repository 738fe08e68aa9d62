import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { SetDenominatorsRequest } from './set-denominators.request.dto.js';
import { setDenominators } from './set-denominators.use-case.js';

class SetDenominatorsBody extends OmitType(SetDenominatorsRequest, ['unitId']) {}

@ApiTags('Administrative units')
@Controller('units/:unitId/denominators')
export class SetDenominatorsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...setDenominators.roles)
  @ApiCommand(
    "Set a unit's yearly denominators (population, working-age population, labour force) with their source.",
  )
  set(
    @Param('unitId', new EntityIdPipe('unitId')) unitId: string,
    @Body() body: SetDenominatorsBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(setDenominators, { ...body, unitId }, context));
  }
}
