import type { Tx } from '../../adapters/db/client.js';
import { isSettled } from '../../domain/order-state.js';
import type { ServiceDeps } from '../deps.js';
import { recordMovement, recordStripeRefund } from '../ledger.js';
import { recordOrderEvent } from '../order-timeline.js';
import { moveOrder } from '../order-transitions.js';
import { queueSummaryUpdate } from '../order-updates.js';
import { enqueue } from '../outbox.js';
import type { PaymentEvent } from '../ports/payment-gateway.js';
import { auditRefund } from '../refunds.js';
import type { EventOutcome } from './once.js';
import { orderForSession } from './session-order.js';

type Paid = Extract<PaymentEvent, { kind: 'paid' }>;

/** checkout.session.completed (paid) and async_payment_succeeded: the order is paid, and the traveller hears so at once. */
export function checkoutPaid(deps: Pick<ServiceDeps, 'now' | 'logger' | 'payments'>) {
  return async (tx: Tx, event: Paid): Promise<EventOutcome> => {
    const found = await orderForSession(tx, event, deps.logger);
    if (!found) return 'ignored';
    if (event.paid.amountMinor !== found.amountMinor || event.paid.currency !== found.currency) {
      // The second price (Alipay, WeChat Pay) is another currency: the ledger keeps what Stripe reported.
      const alt = event.paid.amountMinor === found.altAmountMinor && event.paid.currency === found.altCurrency;
      if (!alt)
        deps.logger.error(
          {
            orderId: found.id,
            paid: event.paid,
            expected: { amountMinor: found.amountMinor, currency: found.currency },
          },
          'paid amount differs from the order',
        );
    }
    const paymentId = event.paymentIntentId ?? event.sessionId;
    await recordMovement(tx, {
      processor: 'stripe',
      kind: 'payment',
      externalId: paymentId,
      orderId: found.id,
      amountMinor: event.paid.amountMinor,
      currency: event.paid.currency,
      occurredAt: deps.now(),
    });
    const { moved, order } = await moveOrder(tx, found.id, {
      to: 'paid',
      data: {
        paidAt: deps.now(),
        paidWith: 'stripe',
        stripePaymentIntentId: event.paymentIntentId,
        stripeSessionId: event.sessionId,
      },
    });
    await recordOrderEvent(tx, {
      orderId: found.id,
      kind: 'payment_paid',
      detail: {
        eventId: event.id,
        amountMinor: event.paid.amountMinor,
        currency: event.paid.currency,
        applied: moved,
      },
    });
    if (moved) {
      // A top-up can take minutes at the provider: say at once that the money arrived.
      await enqueue(tx, {
        userId: found.userId,
        kind: 'payment_received',
        payload: { orderId: found.id },
        dedupeKey: `payment_received:${found.id}`,
      });
      await queueSummaryUpdate(tx, found, 'paid');
      return 'applied';
    }
    // Decided from the order as it is now: another payment (Stars, most likely) settled it first.
    if (!order || !isSettled(order.state) || !event.paymentIntentId) return 'no_change';
    if (order.stripePaymentIntentId === event.paymentIntentId) return 'no_change';
    // Inside the transaction, so a failed refund leaves the event unrecorded and Stripe's retry asks
    // again (the payment is the idempotency key).
    await deps.payments.refund(event.paymentIntentId, order.id);
    await recordStripeRefund(tx, {
      paymentId: event.paymentIntentId,
      orderId: order.id,
      refundedTotal: event.paid.amountMinor,
      occurredAt: deps.now(),
    });
    await auditRefund(tx, {
      by: 'system',
      subject: order.id,
      reason: 'paid_twice',
      after: {
        paymentIntentId: event.paymentIntentId,
        amountMinor: event.paid.amountMinor,
        currency: event.paid.currency,
      },
    });
    await enqueue(tx, {
      userId: order.userId,
      kind: 'card_refunded_paid_twice',
      payload: { orderId: order.id, amountMinor: event.paid.amountMinor, currency: event.paid.currency },
      dedupeKey: `card_refunded_paid_twice:${order.id}`,
    });
    return 'applied';
  };
}
