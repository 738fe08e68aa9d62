import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiForbiddenResponse, ApiTags } from '@nestjs/swagger';
import { localDateAt } from '#domain';
import { GetRenewalWorklist, type ReadAnswer, type RenewalWorklist } from '#projections';
import { type Actor, type Role, hasAnyRole } from '../../auth/actor.js';
import { CurrentActor } from '../../auth/auth.decorators.js';
import { NotPermitted } from '../../auth/not-permitted.js';
import { Clock } from '../../clock.js';
import { ErrorResponseDto } from '../../http-errors/error-response.dto.js';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { RenewalWorklistAnswer, RenewalWorklistQuery } from './get-renewal-worklist.dto.js';
import { readOptions } from '../../read-models/read-query.dto.js';

/** Roles that may read any agent's worklist; agents read only those of their organization. */
const READ_ANY_WORKLIST: readonly Role[] = ['admin', 'manager', 'auditor', 'viewer'];

@ApiTags('Performance')
@Controller('agents/:agentId/renewals')
export class GetRenewalWorklistController {
  constructor(
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiRead(
    "An agent's renewal worklist: its active participants whose paid-until date falls within " +
      'the next days, and those already lapsed, paged.',
    RenewalWorklistAnswer,
    'Participants credited to the agent (by enrollment or resumption), enrolled by asOf and ' +
      'not stopped: due when paid until a day from asOf to asOf + within, lapsed when paid ' +
      'until before asOf. A token with only the agent role reads the worklists of the agents ' +
      'of its own organization (the organization of the agent’s latest assignment); other ' +
      'roles read any.',
  )
  @ApiForbiddenResponse({
    type: ErrorResponseDto,
    description: 'An agent token of another organization than the agent’s.',
  })
  async get(
    @Param('agentId', new EntityIdPipe('agentId')) agentId: string,
    @Query() query: RenewalWorklistQuery,
    @CurrentActor() actor: Actor,
  ): Promise<ReadAnswer<RenewalWorklist>> {
    const answer = await this.queries.execute(
      new GetRenewalWorklist(
        agentId,
        query.asOf ?? localDateAt(this.clock.now()),
        query.within,
        { limit: query.limit, offset: query.offset },
        readOptions(query),
      ),
    );
    const { organizationId } = answer.data.agent;
    if (!hasAnyRole(actor, READ_ANY_WORKLIST) && actor.organizationId !== organizationId) {
      throw new NotPermitted(
        `Agents read only the worklists of their own organization's agents: the token is for ` +
          `'${actor.organizationId ?? 'no organization'}', agent '${agentId}' works for ` +
          `'${organizationId ?? 'no organization'}'`,
      );
    }
    return answer;
  }
}
