import type { Tx } from '../../adapters/db/client.js';
import { isSettled } from '../../domain/order-state.js';
import type { ServiceDeps } from '../deps.js';
import { recordMovement, recordStripeRefund } from '../ledger.js';
import { recordOrderEvent } from '../order-timeline.js';
import { moveOrder } from '../order-transitions.js';
import { queueSummaryUpdate } from '../order-updates.js';
import { enqueue } from '../outbox.js';
import type { SettledPayment } from '../ports/payment-processor.js';
import { auditRefund } from '../refunds.js';
import type { EventOutcome } from './once.js';

type OrderRow = NonNullable<Awaited<ReturnType<Tx['order']['findUnique']>>>;

/** What a processor adds to the order it settles (Stripe: its session and PaymentIntent ids). */
export type SettleExtras = {
  orderData?: Record<string, unknown>;
  /** false when the processor gave no payment id a refund could name (a Stripe session without its PaymentIntent). */
  refundable?: boolean;
};

const sameMoney = (a: { amountMinor: number; currency: string }, b: { amountMinor: number; currency: string }) =>
  a.amountMinor === b.amountMinor && a.currency.toUpperCase() === b.currency.toUpperCase();

/**
 * The one path that settles an order, for every processor: the payment goes in the ledger, the
 * order moves to paid and the traveller hears "payment received" at once, all in the caller's
 * transaction. A payment for an order already paid another way is given back (or recorded as owed
 * where the method cannot be refunded through the API), and the traveller told.
 */
export function settlePayment(deps: Pick<ServiceDeps, 'now' | 'logger' | 'payments' | 'processors'>) {
  return async (tx: Tx, payment: SettledPayment, extras: SettleExtras = {}): Promise<EventOutcome> => {
    const order = await tx.order.findUnique({ where: { id: payment.orderId } });
    if (!order) {
      deps.logger.warn({ eventId: payment.eventId, orderId: payment.orderId }, 'payment for an unknown order');
      return 'ignored';
    }
    const frozen = { amountMinor: order.amountMinor, currency: order.currency };
    const alt = order.altCurrency ? { amountMinor: order.altAmountMinor ?? 0, currency: order.altCurrency } : null;
    if (!sameMoney(payment.paid, frozen) && !(alt && sameMoney(payment.paid, alt))) {
      deps.logger.error(
        { orderId: order.id, processor: payment.processor, paid: payment.paid, expected: frozen },
        'paid amount differs from the order',
      );
      // Stripe charges exactly the price it was sent; another processor's odd amount is not money Kuota asked for.
      if (payment.processor !== 'stripe') return 'ignored';
    }
    const method = payment.method ?? order.paymentMethod;
    const recorded = await recordMovement(tx, {
      processor: payment.processor,
      kind: 'payment',
      externalId: payment.paymentId,
      orderId: order.id,
      method,
      amountMinor: payment.paid.amountMinor,
      currency: payment.paid.currency,
      occurredAt: deps.now(),
    });
    const moved = await moveOrder(tx, order.id, {
      to: 'paid',
      data: { paidAt: deps.now(), paidWith: payment.processor, paymentMethod: method, ...extras.orderData },
    });
    await recordOrderEvent(tx, {
      orderId: order.id,
      kind: 'payment_paid',
      detail: {
        eventId: payment.eventId,
        processor: payment.processor,
        method,
        amountMinor: payment.paid.amountMinor,
        currency: payment.paid.currency,
        applied: moved.moved,
      },
    });
    if (moved.moved) {
      // A top-up can take minutes at the provider: say at once that the money arrived.
      await enqueue(tx, {
        userId: order.userId,
        kind: 'payment_received',
        payload: { orderId: order.id },
        dedupeKey: `payment_received:${order.id}`,
      });
      await queueSummaryUpdate(tx, order, 'paid');
      return 'applied';
    }
    // Decided from the order as it is now: another payment settled it first. A payment already in the
    // ledger is this same one told again.
    if (!recorded || !moved.order || !isSettled(moved.order.state) || extras.refundable === false) return 'no_change';
    return refundSecondPayment(deps, tx, moved.order, payment);
  };
}

async function refundSecondPayment(
  deps: Pick<ServiceDeps, 'now' | 'logger' | 'payments' | 'processors'>,
  tx: Tx,
  order: OrderRow,
  payment: SettledPayment,
): Promise<EventOutcome> {
  // Inside the transaction: a failed refund leaves the event unrecorded, and the processor's retry asks again.
  let owed = false;
  if (payment.processor === 'stripe') {
    await deps.payments.refund(payment.paymentId, order.id);
    await recordStripeRefund(tx, {
      paymentId: payment.paymentId,
      orderId: order.id,
      refundedTotal: payment.paid.amountMinor,
      occurredAt: deps.now(),
    });
  } else {
    const processor = deps.processors?.[payment.processor];
    if (!processor) throw new Error(`no ${payment.processor} processor to refund a second payment`);
    const result = await processor.refund({
      orderId: order.id,
      paymentId: payment.paymentId,
      method: payment.method,
      amount: payment.paid,
    });
    owed = result.status === 'owed';
    if (!owed)
      await recordMovement(tx, {
        processor: payment.processor,
        kind: 'refund',
        externalId: `${payment.paymentId}:refunded:${payment.paid.amountMinor}`,
        orderId: order.id,
        method: payment.method,
        amountMinor: -payment.paid.amountMinor,
        currency: payment.paid.currency,
        occurredAt: deps.now(),
      });
    else deps.logger.error({ orderId: order.id, processor: payment.processor }, 'second payment owed back by hand');
  }
  await auditRefund(tx, {
    by: 'system',
    subject: order.id,
    reason: 'paid_twice',
    after: { processor: payment.processor, paymentId: payment.paymentId, ...payment.paid, owed },
  });
  // Paid in Stars first, then by Stripe: the message that has always said so.
  const kind =
    order.paidWith === 'stars' && payment.processor === 'stripe' ? 'card_refunded_paid_twice' : 'payment_refunded_paid_twice';
  await enqueue(tx, {
    userId: order.userId,
    kind,
    payload: { orderId: order.id, amountMinor: payment.paid.amountMinor, currency: payment.paid.currency, owed },
    dedupeKey: kind === 'card_refunded_paid_twice' ? `${kind}:${order.id}` : `${kind}:${order.id}:${payment.paymentId}`,
  });
  return 'applied';
}
