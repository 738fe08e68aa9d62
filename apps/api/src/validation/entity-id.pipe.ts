import { Injectable, type PipeTransform } from '@nestjs/common';
import { InvalidRequest } from '../http-errors/request-validation.js';
import { ENTITY_ID, ENTITY_ID_RULE } from './validators.js';

/** Checks an id taken from the path, e.g. the `:unitId` of `/units/:unitId/rename`. */
@Injectable()
export class EntityIdPipe implements PipeTransform<string, string> {
  constructor(private readonly field: string) {}

  transform(value: string): string {
    if (!ENTITY_ID.test(value))
      throw new InvalidRequest([{ field: this.field, reason: ENTITY_ID_RULE }]);
    return value;
  }
}
