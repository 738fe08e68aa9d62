import { type OpenAPIObject } from '@nestjs/swagger';

const UNAUTHORIZED = {
  description: 'No valid bearer token.',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } },
};

/**
 * Says for every operation whether it needs a token: the public ones (`security: []`) as
 * plainly as the others, and that one without a valid token answers 401, as the guard that
 * covers every route but the public ones does. Linters and generated clients read both.
 */
export function documentSecurity(document: OpenAPIObject): OpenAPIObject {
  for (const methods of Object.values(document.paths)) {
    for (const operation of Object.values(methods) as {
      security?: object[];
      responses?: object;
    }[]) {
      if (typeof operation !== 'object' || !operation || !('responses' in operation)) continue;
      if (!operation.security?.length) {
        operation.security = [];
        continue;
      }
      operation.responses = { ...operation.responses };
      (operation.responses as Record<string, unknown>)['401'] ??= UNAUTHORIZED;
    }
  }
  return document;
}
