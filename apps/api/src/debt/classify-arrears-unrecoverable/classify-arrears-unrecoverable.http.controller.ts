import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { ClassifyArrearsUnrecoverableRequest } from './classify-arrears-unrecoverable.request.dto.js';
import { classifyArrearsUnrecoverable } from './classify-arrears-unrecoverable.use-case.js';

class ClassifyArrearsUnrecoverableBody extends OmitType(ClassifyArrearsUnrecoverableRequest, [
  'employerId',
]) {}

@ApiTags('Debt')
@Controller('employers/:employerId/unrecoverable-arrears')
export class ClassifyArrearsUnrecoverableController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...classifyArrearsUnrecoverable.roles)
  @ApiCommand(
    "Classify part of an employer's overdue arrears as unrecoverable (bankrupt, dissolved, " +
      'absconded or missing).',
  )
  classify(
    @Param('employerId', new EntityIdPipe('employerId')) employerId: string,
    @Body() body: ClassifyArrearsUnrecoverableBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(
      new RecordFacts(classifyArrearsUnrecoverable, { ...body, employerId }, context),
    );
  }
}
