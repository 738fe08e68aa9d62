import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { RecordArrearsRequest } from './record-arrears.request.dto.js';
import { recordArrears } from './record-arrears.use-case.js';

class RecordArrearsBody extends OmitType(RecordArrearsRequest, ['employerId']) {}

@ApiTags('Debt')
@Controller('employers/:employerId/arrears')
export class RecordArrearsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...recordArrears.roles)
  @ApiCommand(
    "Record an employer's arrears for a contribution period; recording the period again " +
      'restates it and keeps the previous figures.',
  )
  record(
    @Param('employerId', new EntityIdPipe('employerId')) employerId: string,
    @Body() body: RecordArrearsBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(recordArrears, { ...body, employerId }, context));
  }
}
