import { alertDecider, alertStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { AcknowledgeAlertRequest } from './acknowledge-alert.request.dto.js';

export const acknowledgeAlert = useCase({
  name: 'AcknowledgeAlert',
  request: AcknowledgeAlertRequest,
  roles: WRITERS,
  async execute(transaction, { alertId, note }) {
    const on = transaction.today();
    await transaction.decide(
      alertDecider,
      alertStream(alertId),
      { type: 'AcknowledgeAlert', alertId, note: note ?? null, acknowledgedOn: on },
      on,
    );
  },
});
