import type { TransferEvent } from '../../domain/transfer/transfer.events.js';
import type { EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { TransferView } from '../../domain/ports/read-model.port.js';
import { UnapplicableEventError } from './account-view.js';

const TRANSFER_EVENT_TYPES = new Set<string>([
  'TransferRequested',
  'TransferStepClaimed',
  'TransferDebitApplied',
  'TransferDebitRefused',
  'TransferCreditApplied',
  'TransferCreditRefused',
  'TransferRefundApplied',
  'TransferSettled',
]);

/**
 * The transfer as clients see it. While a refused credit is being given back the transfer is still
 * pending and `reason` already holds why; clients are shown `reason` once it has failed.
 */
export const evolveTransferView = (view: TransferView | undefined, envelope: EventEnvelope): TransferView => {
  if (!TRANSFER_EVENT_TYPES.has(envelope.eventType)) {
    throw new UnapplicableEventError(`unknown transfer event type ${envelope.eventType}`);
  }
  if (envelope.version !== (view?.version ?? 0) + 1) {
    throw new UnapplicableEventError(`version ${envelope.version} does not follow ${view?.version ?? 0}`);
  }
  const event = envelope as unknown as TransferEvent;
  if (event.eventType === 'TransferRequested') {
    if (view) throw new UnapplicableEventError('the transfer is requested twice');
    // The accounts' versions seen at acceptance are the process manager's, not the view's.
    const { from, to, amount } = event.data;
    return {
      transferId: envelope.aggregateId,
      from,
      to,
      amount,
      status: 'pending',
      version: envelope.version,
      requestedAt: envelope.timestamp,
      updatedAt: envelope.timestamp,
    };
  }
  if (!view) throw new UnapplicableEventError(`${event.eventType} before the transfer was requested`);
  const { stale: _stale, ...current } = view;
  const next = { ...current, version: envelope.version, updatedAt: envelope.timestamp };
  switch (event.eventType) {
    case 'TransferStepClaimed':
    case 'TransferDebitApplied':
      return next;
    case 'TransferDebitRefused':
      return { ...next, status: 'failed', reason: event.data.reason };
    case 'TransferCreditApplied':
      return { ...next, status: 'completed' };
    case 'TransferCreditRefused':
      return { ...next, reason: event.data.reason };
    case 'TransferRefundApplied':
      return { ...next, status: 'failed' };
    case 'TransferSettled':
      return event.data.status === 'completed'
        ? { ...next, status: 'completed' }
        : { ...next, status: 'failed', reason: event.data.reason ?? next.reason ?? 'refunded' };
    default: {
      const unreachable: never = event;
      throw new UnapplicableEventError(`unknown transfer event ${JSON.stringify(unreachable)}`);
    }
  }
};
