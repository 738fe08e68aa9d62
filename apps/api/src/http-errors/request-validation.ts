import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldError } from './error-response.js';

/** A request body, query or parameters that failed validation, with every field at fault. */
export class InvalidRequest extends BadRequestException {
  constructor(readonly fields: FieldError[]) {
    super(`Invalid request: ${fields.map(({ field, reason }) => `${field} ${reason}`).join('; ')}`);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new InvalidRequest(fieldErrorsOf(errors)),
  });
}

/** Flattens class-validator's tree into one entry per failed rule, named by the field's path. */
export function fieldErrorsOf(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = pathOf(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field: field || '(body)',
      reason: withoutSubject(message, error.property),
    }));
    return [...own, ...fieldErrorsOf(error.children ?? [], field)];
  });
}

function pathOf(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** class-validator starts its messages with the property's name, which `field` already gives. */
function withoutSubject(message: string, property: string): string {
  for (const subject of [`property ${property} `, `${property} `]) {
    if (message.startsWith(subject)) return message.slice(subject.length);
  }
  return message;
}
