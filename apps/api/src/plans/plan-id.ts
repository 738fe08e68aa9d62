import { Injectable, type PipeTransform } from '@nestjs/common';
import { parsePlanId } from '#domain';
import { type ValidationOptions, ValidateBy } from 'class-validator';
import { InvalidRequest } from '../http-errors/request-validation.js';
import { ENTITY_ID } from '../validation/validators.js';

const PLAN_ID_RULE = 'must read <unitId>.<scheme>.<metric>.<year>';

function isPlanId(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const parts = parsePlanId(value);
  return !!parts && ENTITY_ID.test(parts.unitId);
}

/** e.g. `HP.voluntary-social-insurance.participants.2024`. */
export const IsPlanId = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isPlanId',
      validator: {
        validate: isPlanId,
        defaultMessage: () => `$property ${PLAN_ID_RULE}`,
      },
    },
    options,
  );

/** Checks the `:planId` of `/plans/:planId/...`. */
@Injectable()
export class PlanIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isPlanId(value)) throw new InvalidRequest([{ field: 'planId', reason: PLAN_ID_RULE }]);
    return value;
  }
}

export const PLAN_ID_EXAMPLE = 'HP.voluntary-social-insurance.participants.2024';
