import type { Tx } from '../../adapters/db/client.js';
import type { ServiceDeps } from '../deps.js';
import { recordStripeRefund } from '../ledger.js';
import type { PaymentEvent } from '../ports/payment-gateway.js';
import { markRefunded } from '../refunds.js';
import type { EventOutcome } from './once.js';
import { orderForPayment } from './session-order.js';

type Refunded = Extract<PaymentEvent, { kind: 'refunded' }>;

/**
 * charge.refunded: a refund made in Stripe's Dashboard (or Kuota's own, coming back). The money is
 * written to the ledger whatever the order says (recorded once, whoever reports it first); a full
 * refund marks the order refunded and tells the traveller, a partial one leaves the order as it is.
 */
export function chargeRefunded(deps: Pick<ServiceDeps, 'now' | 'logger'>) {
  return async (tx: Tx, event: Refunded): Promise<EventOutcome> => {
    const order = await orderForPayment(tx, event);
    const recorded = event.paymentIntentId
      ? await recordStripeRefund(tx, {
          paymentId: event.paymentIntentId,
          orderId: order?.id ?? null,
          refundedTotal: event.refundedMinor,
          occurredAt: deps.now(),
        })
      : false;
    if (!order) return recorded ? 'applied' : 'ignored';
    if (!event.fully) {
      deps.logger.info({ eventId: event.id, orderId: order.id }, 'partial refund; the order stays as it is');
      return recorded ? 'applied' : 'ignored';
    }
    // An order paid twice keeps its first payment: the refund of the second is not the order's.
    if (event.paymentIntentId && order.stripePaymentIntentId !== event.paymentIntentId)
      return recorded ? 'applied' : 'no_change';
    return (await markRefunded(tx, order, order.state === 'refunding' ? 'top_up_failed' : 'operator', deps.now())) ||
      recorded
      ? 'applied'
      : 'no_change';
  };
}
