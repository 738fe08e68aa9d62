import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { WriteOffArrearsRequest } from './write-off-arrears.request.dto.js';
import { writeOffArrears } from './write-off-arrears.use-case.js';

class WriteOffArrearsBody extends OmitType(WriteOffArrearsRequest, ['employerId']) {}

@ApiTags('Debt')
@Controller('employers/:employerId/write-offs')
export class WriteOffArrearsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...writeOffArrears.roles)
  @ApiCommand('Write off arrears classified unrecoverable, by decision.')
  writeOff(
    @Param('employerId', new EntityIdPipe('employerId')) employerId: string,
    @Body() body: WriteOffArrearsBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(
      new RecordFacts(writeOffArrears, { ...body, employerId }, context),
    );
  }
}
