import { type OpenAPIObject } from '@nestjs/swagger';
import { PLAN_ID_EXAMPLE } from './plans/plan-id.js';

const ERROR_RESPONSE = {
  'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } },
};

const UNAUTHORIZED = { description: 'No valid bearer token.', content: ERROR_RESPONSE };

/** What every route answers to a request it cannot read, public ones included (configure-app.ts). */
const MALFORMED_REQUEST = {
  description:
    'The request cannot be read: a query parameter or JSON body holding a NUL character, a ' +
    'lone surrogate or a prototype key, or nested too deep; or a body that is not valid JSON ' +
    'or UTF-8 text.',
  content: ERROR_RESPONSE,
};
const UNSUPPORTED_BODY = {
  description: 'The request has a body in a media type the route does not read.',
  content: ERROR_RESPONSE,
};

const FORBIDDEN = {
  description:
    'The token may not do this: it lacks the role the route needs, or it is a stream token, ' +
    'which is good only for the change feeds.',
  content: ERROR_RESPONSE,
};

/** The body parsers' limits (configure-app.ts), on every route that takes a body. */
const TOO_LARGE = {
  description:
    'The body is larger than the route reads (1 MB of JSON; 32 MB on /imports and ' +
    '/admin/log/restore), or an import holds more rows than IMPORT_MAX_ROWS.',
  content: ERROR_RESPONSE,
};

/** Express answers a GET whose ETag the client already holds (If-None-Match) with no body. */
const NOT_MODIFIED = {
  description: 'Not modified: the answer has the ETag sent in If-None-Match.',
};

/** A read as known at a time before the history kept (KNOWN_AT_HISTORY_DAYS, known-at-retention.ts). */
const BEYOND_RETENTION = {
  description:
    'knownAt is before the oldest history kept (KNOWN_AT_HISTORY_DAYS): ' +
    '`known_at_beyond_retention`, naming the horizon.',
  content: ERROR_RESPONSE,
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

/** A change feed (feed-controller.ts): its stream is never answered with 304. */
const isEventStream = (operation: Operation) => {
  const ok = operation.responses['200'] as { content?: object } | undefined;
  return ok?.content !== undefined && 'text/event-stream' in ok.content;
};

type Parameter = { name: string; in: string; required?: boolean; example?: unknown };
type Operation = {
  security?: object[];
  requestBody?: object;
  responses: Record<string, unknown>;
  parameters?: Parameter[];
};

/**
 * What the decorators leave unsaid, said once for every operation: whether it needs a token
 * (public ones say `security: []`) and that one without a valid token answers 401, as the
 * guard on every route but the public ones does; the 400 and 415 that every route answers to a
 * request it cannot read; the 410 of a read as known at a time before the history kept; an example for each path parameter; and that
 * `Last-Event-ID` is optional (Nest documents every `@Headers()` parameter as required).
 * Linters and generated clients read all of these.
 */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  for (const methods of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(methods) as [string, Operation][]) {
      if (typeof operation !== 'object' || !operation?.responses) continue;
      if (operation.security?.length) {
        operation.responses['401'] ??= UNAUTHORIZED;
        operation.responses['403'] ??= FORBIDDEN;
      } else {
        operation.security = [];
      }
      operation.responses['400'] ??= MALFORMED_REQUEST;
      operation.responses['415'] ??= UNSUPPORTED_BODY;
      if (operation.requestBody) operation.responses['413'] ??= TOO_LARGE;
      if (method === 'get' && !isEventStream(operation)) {
        operation.responses['304'] ??= NOT_MODIFIED;
      }
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'query' && parameter.name === 'knownAt') {
          operation.responses['410'] ??= BEYOND_RETENTION;
        }
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
  for (const schema of Object.values(document.components?.schemas ?? {}))
    allowNulls(schema as Schema);
  return document;
}

type Schema = {
  nullable?: boolean;
  type?: string;
  enum?: unknown[];
  allOf?: object[];
  anyOf?: object[];
  properties?: Record<string, Schema>;
  items?: Schema;
};

/** Matches null only (OpenAPI 3.0 has no null type: a nullable type whose one value is null). */
const NULL_ONLY = { type: 'object', nullable: true, enum: [null] };

/**
 * `nullable` adds null only to the values of `type` in the same schema (OpenAPI 3.0.3): an
 * `allOf` beside it or an `enum` without null still refuses null. Nest writes a nullable
 * object property as `{ nullable, type: object, allOf: [{ $ref }] }` and a nullable enum
 * without null, so validators (Ajv, Redocly) refused the nulls the service answers. Such a
 * property becomes `anyOf: [{ $ref }, null]`, and a nullable enum lists null.
 */
function allowNulls(schema: Schema): void {
  for (const property of Object.values(schema.properties ?? {})) {
    if (property.nullable && property.allOf?.length === 1) {
      property.anyOf = [property.allOf[0], NULL_ONLY];
      delete property.allOf;
      delete property.type;
      delete property.nullable;
    }
    if (property.nullable && property.enum && !property.enum.includes(null)) {
      property.enum = [...property.enum, null];
    }
    allowNulls(property);
    if (property.items) allowNulls(property.items);
  }
}
