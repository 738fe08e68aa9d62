import { type OpenAPIObject } from '@nestjs/swagger';
import { PLAN_ID_EXAMPLE } from './plans/plan-id.js';

const UNAUTHORIZED = {
  description: 'No valid bearer token.',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } },
};

/** One example per path parameter, from the demo scenario where it has one. */
const PATH_EXAMPLES: Record<string, string> = {
  unitId: 'HP',
  planId: PLAN_ID_EXAMPLE,
  campaignId: 'DN-PEAK-2025-12',
  milestoneId: 'HP-3P-2024',
  organizationId: 'VNPOST-HP',
  agentId: 'A-LM-01',
  pointId: 'P-LM-1',
  participantId: '9200000001',
  employerId: '3600252847',
  projection: 'participation',
  id: '0b8c1c0e-6d1f-4a53-9b55-0f0c3d9a4e21',
  alertId: 'milestone-at-risk.HP-3P-2024.2024-10-20',
  eventId: '0b8c1c0e-6d1f-4a53-9b55-0f0c3d9a4e21',
};

type Parameter = { name: string; in: string; required?: boolean; example?: unknown };
type Operation = {
  security?: object[];
  responses: Record<string, unknown>;
  parameters?: Parameter[];
};

/**
 * What the decorators leave unsaid, said once for every operation: whether it needs a token
 * (public ones say `security: []`) and that one without a valid token answers 401, as the
 * guard on every route but the public ones does; an example for each path parameter; and that
 * `Last-Event-ID` is optional (Nest documents every `@Headers()` parameter as required).
 * Linters and generated clients read all of these.
 */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  for (const methods of Object.values(document.paths)) {
    for (const operation of Object.values(methods) as Operation[]) {
      if (typeof operation !== 'object' || !operation?.responses) continue;
      if (operation.security?.length) operation.responses['401'] ??= UNAUTHORIZED;
      else operation.security = [];
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'path') parameter.example ??= PATH_EXAMPLES[parameter.name];
        if (parameter.in === 'header' && parameter.name.toLowerCase() === 'last-event-id') {
          Object.assign(parameter, {
            name: 'Last-Event-ID',
            required: false,
            description: 'The id of the last message received: the feed resumes after it.',
          });
        }
      }
    }
  }
  return document;
}
