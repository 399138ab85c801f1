import type { Tx } from '../../adapters/db/client.js';
import type { ServiceDeps } from '../deps.js';
import type { PaymentEvent } from '../ports/payment-gateway.js';
import type { EventOutcome } from './once.js';
import { settlePayment } from './settle-payment.js';

type Paid = Extract<PaymentEvent, { kind: 'paid' }>;

/** checkout.session.completed (paid) and async_payment_succeeded: Stripe's way into the one settle path. */
export function checkoutPaid(deps: Pick<ServiceDeps, 'now' | 'logger' | 'payments' | 'processors'>) {
  const settle = settlePayment(deps);
  return async (tx: Tx, event: Paid): Promise<EventOutcome> => {
    // Money on a session the order no longer uses (left for another method, and paid before it closed)
    // is still the traveller's: it settles the order, or goes back by the one refund rule.
    return settle(
      tx,
      {
        processor: 'stripe',
        eventId: event.id,
        orderId: event.orderId,
        pageId: event.sessionId,
        paymentId: event.paymentIntentId ?? event.sessionId,
        method: null,
        paid: event.paid,
      },
      {
        orderData: { stripePaymentIntentId: event.paymentIntentId, stripeSessionId: event.sessionId },
        refundable: event.paymentIntentId !== null,
      },
    );
  };
}
