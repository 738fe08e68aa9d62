import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { PayArrearsRequest } from './pay-arrears.request.dto.js';
import { payArrears } from './pay-arrears.use-case.js';

class PayArrearsBody extends OmitType(PayArrearsRequest, ['employerId']) {}

@ApiTags('Debt')
@Controller('employers/:employerId/payments')
export class PayArrearsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...payArrears.roles)
  @ApiCommand("Record an employer's payment against its overdue arrears.")
  pay(
    @Param('employerId', new EntityIdPipe('employerId')) employerId: string,
    @Body() body: PayArrearsBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(payArrears, { ...body, employerId }, context));
  }
}
