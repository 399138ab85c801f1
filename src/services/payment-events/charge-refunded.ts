import type { Tx } from '../../adapters/db/client.js';
import type { ServiceDeps } from '../deps.js';
import type { PaymentEvent } from '../ports/payment-gateway.js';
import { markRefunded } from '../refunds.js';
import type { EventOutcome } from './once.js';
import { orderForPayment } from './session-order.js';

type Refunded = Extract<PaymentEvent, { kind: 'refunded' }>;

/**
 * charge.refunded: a refund made in Stripe's Dashboard (or Kuota's own, coming back). A full refund
 * marks the order refunded and tells the traveller; a partial one leaves the order as it is.
 */
export function chargeRefunded(deps: Pick<ServiceDeps, 'now' | 'logger'>) {
  return async (tx: Tx, event: Refunded): Promise<EventOutcome> => {
    const order = await orderForPayment(tx, event);
    if (!order) return 'ignored';
    if (!event.fully) {
      deps.logger.info({ eventId: event.id, orderId: order.id }, 'partial refund; the order stays as it is');
      return 'ignored';
    }
    return (await markRefunded(tx, order, order.state === 'refunding' ? 'top_up_failed' : 'operator', deps.now()))
      ? 'applied'
      : 'no_change';
  };
}
