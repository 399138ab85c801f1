import type { Tx } from '../../adapters/db/client.js';
import { statesThatCanMoveTo } from '../../domain/order-state.js';
import type { ServiceDeps } from '../deps.js';
import { recordOrderEvent } from '../order-timeline.js';
import { queueSummaryUpdate } from '../order-updates.js';
import { enqueue } from '../outbox.js';
import type { PaymentEvent } from '../ports/payment-gateway.js';
import type { EventOutcome } from './once.js';
import { orderForSession } from './session-order.js';

type Paid = Extract<PaymentEvent, { kind: 'paid' }>;

/** checkout.session.completed (paid) and async_payment_succeeded: the order is paid, and the traveller hears so at once. */
export function checkoutPaid(deps: Pick<ServiceDeps, 'now' | 'logger' | 'payments'>) {
  return async (tx: Tx, event: Paid): Promise<EventOutcome> => {
    const order = await orderForSession(tx, event, deps.logger);
    if (!order) return 'ignored';
    if (event.paid.amountMinor !== order.amountMinor || event.paid.currency !== order.currency) {
      deps.logger.error(
        { orderId: order.id, paid: event.paid, expected: { amountMinor: order.amountMinor, currency: order.currency } },
        'paid amount differs from the order',
      );
    }
    const { count } = await tx.order.updateMany({
      where: { id: order.id, state: { in: statesThatCanMoveTo('paid') } },
      data: {
        state: 'paid',
        paidAt: deps.now(),
        paidWith: 'stripe',
        stripePaymentIntentId: event.paymentIntentId,
        stripeSessionId: event.sessionId,
      },
    });
    await recordOrderEvent(tx, {
      orderId: order.id,
      kind: 'payment_paid',
      detail: {
        eventId: event.id,
        amountMinor: event.paid.amountMinor,
        currency: event.paid.currency,
        applied: count === 1,
      },
    });
    if (!count && order.paidWith === 'stars' && event.paymentIntentId) {
      // Paid in Stars first: the card payment goes back. Inside the transaction, so a failed refund
      // leaves the event unrecorded and Stripe's retry asks again (the order id is the idempotency key).
      await deps.payments.refund(event.paymentIntentId, order.id);
      await enqueue(tx, {
        userId: order.userId,
        kind: 'card_refunded_paid_twice',
        payload: { orderId: order.id, amountMinor: event.paid.amountMinor, currency: event.paid.currency },
        dedupeKey: `card_refunded_paid_twice:${order.id}`,
      });
      return 'applied';
    }
    if (!count) return 'no_change';
    // A top-up can take minutes at the provider: say at once that the money arrived.
    await enqueue(tx, {
      userId: order.userId,
      kind: 'payment_received',
      payload: { orderId: order.id },
      dedupeKey: `payment_received:${order.id}`,
    });
    await queueSummaryUpdate(tx, order, 'paid');
    return 'applied';
  };
}
