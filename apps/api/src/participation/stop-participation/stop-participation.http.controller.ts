import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { StopParticipationRequest } from './stop-participation.request.dto.js';
import { stopParticipation } from './stop-participation.use-case.js';

class StopParticipationBody extends OmitType(StopParticipationRequest, ['participantId']) {}

@ApiTags('Participants')
@Controller('participants/:participantId/stops')
export class StopParticipationController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...stopParticipation.roles)
  @ApiCommand(
    "Record that an active participant stopped a scheme, credited to the enrollment's organization.",
  )
  stop(
    @Param('participantId', new EntityIdPipe('participantId')) participantId: string,
    @Body() body: StopParticipationBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(
      new RecordFacts(stopParticipation, { ...body, participantId }, context),
    );
  }
}
