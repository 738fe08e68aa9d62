import { Injectable, type PipeTransform } from '@nestjs/common';
import { InvalidRequest } from '../../http-errors/request-validation.js';
import { ALERT_ID } from './acknowledge-alert.request.dto.js';

/** Checks the `:alertId` of `/alerts/:alertId/acknowledgements`: path ids skip body validation. */
@Injectable()
export class AlertIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!ALERT_ID.test(value)) {
      throw new InvalidRequest([
        { field: 'alertId', reason: 'alertId must name an alert, as GET /alerts lists them' },
      ]);
    }
    return value;
  }
}
