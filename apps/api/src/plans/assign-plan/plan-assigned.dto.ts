import { ApiProperty } from '@nestjs/swagger';
import { Recorded } from '../../ledger/recorded.js';
import { PLAN_ID_EXAMPLE } from '../plan-id.js';

/** What assigning a plan answers: where its facts sit, and the id to revise or allocate it by. */
export class PlanAssigned extends Recorded {
  @ApiProperty({
    description: 'The new plan: <unitId>.<scheme>.<metric>.<year>, for /plans/:planId/….',
    example: PLAN_ID_EXAMPLE,
  })
  planId!: string;
}
