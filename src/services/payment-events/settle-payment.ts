import type { Tx } from '../../adapters/db/client.js';
import { isSettled, type OrderState } from '../../domain/order-state.js';
import { allPrices } from '../../domain/plan-prices.js';
import { STARS } from '../../domain/stars.js';
import type { ServiceDeps } from '../deps.js';
import { recordMovement, recordStripeRefund } from '../ledger.js';
import { recordOrderEvent } from '../order-timeline.js';
import { moveOrder } from '../order-transitions.js';
import { queueSummaryUpdate } from '../order-updates.js';
import { enqueue } from '../outbox.js';
import type { SettledPayment } from '../ports/payment-processor.js';
import { raiseIssueIn } from '../reconciliation/records.js';
import { auditRefund } from '../refunds.js';
import type { EventOutcome } from './once.js';

type OrderRow = NonNullable<Awaited<ReturnType<Tx['order']['findUnique']>>>;
type Deps = Pick<ServiceDeps, 'now' | 'logger' | 'payments' | 'processors' | 'adminIds'>;

/** An order not yet given up: a payment may still settle it when its line is no longer linked. */
const STILL_OPEN: readonly OrderState[] = ['draft', 'awaiting_payment'];

/** What a processor adds to the order it settles (Stripe: its session and PaymentIntent ids). */
export type SettleExtras = {
  orderData?: Record<string, unknown>;
  /** false when the processor gave no payment id a refund could name (a Stripe session without its PaymentIntent). */
  refundable?: boolean;
  /** A subscription's renewal: nobody tapped Pay, so "payment received" says the subscription renewed. */
  renewal?: boolean;
  /**
   * For a processor whose refund is made after this transaction commits (Telegram Stars: the refund is
   * claimed here, made once the payment is recorded, and finished by the sweep after a crash; its own
   * message says why): the one refund rule decided to give this payment back.
   */
  giveBackLater?: (tx: Tx, reason: GiveBackReason) => Promise<void>;
};

export type GiveBackReason = 'paid_twice' | 'line_unlinked';

const sameMoney = (a: { amountMinor: number; currency: string }, b: { amountMinor: number; currency: string }) =>
  a.amountMinor === b.amountMinor && a.currency.toUpperCase() === b.currency.toUpperCase();

/**
 * The one path that settles an order, for every processor: the payment goes in the ledger, the
 * order moves to paid and the traveller hears "payment received" at once, all in the caller's
 * transaction. A payment for an order already paid another way is given back (or recorded as owed
 * where the method cannot be refunded through the API), and the traveller told.
 */
export function settlePayment(deps: Deps) {
  return async (tx: Tx, payment: SettledPayment, extras: SettleExtras = {}): Promise<EventOutcome> => {
    const order = await tx.order.findUnique({
      where: { id: payment.orderId },
      include: { line: { select: { unlinkedAt: true } } },
    });
    if (!order) {
      deps.logger.warn({ eventId: payment.eventId, orderId: payment.orderId }, 'payment for an unknown order');
      return 'ignored';
    }
    // Any price frozen in the order: a page the traveller left for another method may still be paid in its own.
    const frozen = [
      ...allPrices(order),
      ...(order.starsAmount === null ? [] : [{ amountMinor: order.starsAmount, currency: STARS }]),
    ];
    if (!frozen.some((price) => sameMoney(payment.paid, price))) {
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
    // A late payment is honoured while the line is linked; for a line gone, only an order still open takes it.
    const lineGone = order.line.unlinkedAt !== null;
    const moved = await moveOrder(tx, order.id, {
      to: 'paid',
      ...(lineGone && { from: STILL_OPEN }),
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
        payload: { orderId: order.id, ...(extras.renewal && { renewal: true }) },
        dedupeKey: `payment_received:${order.id}`,
      });
      await queueSummaryUpdate(tx, order, 'paid');
      return 'applied';
    }
    // Decided from the order as it is now: another payment settled it first, or it lapsed and its line
    // is gone. A payment already in the ledger is this same one told again.
    if (!recorded || !moved.order || extras.refundable === false) return 'no_change';
    const reason: GiveBackReason | null = isSettled(moved.order.state)
      ? 'paid_twice'
      : lineGone
        ? 'line_unlinked'
        : null;
    if (!reason) return 'no_change';
    if (extras.giveBackLater) {
      await extras.giveBackLater(tx, reason);
      return 'applied';
    }
    return giveBack(deps, tx, moved.order, payment, reason);
  };
}

/**
 * The one refund rule for money an order cannot take: through the processor's API, or recorded as
 * owed (signed out in the ledger) with the operators told, to pay it by hand and mark it in the console.
 */
async function giveBack(
  deps: Deps,
  tx: Tx,
  order: OrderRow,
  payment: SettledPayment,
  reason: GiveBackReason,
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
    await recordMovement(tx, {
      processor: payment.processor,
      kind: owed ? 'refund_owed' : 'refund',
      externalId: `${payment.paymentId}:${owed ? 'owed' : 'refunded'}:${payment.paid.amountMinor}`,
      orderId: order.id,
      method: payment.method,
      amountMinor: -payment.paid.amountMinor,
      currency: payment.paid.currency,
      occurredAt: deps.now(),
    });
    if (result.status === 'owed') {
      deps.logger.error({ orderId: order.id, processor: payment.processor }, 'payment owed back by hand');
      await raiseIssueIn(
        tx,
        deps.adminIds ?? [],
        {
          processor: payment.processor,
          kind: 'refund_owed',
          externalId: payment.paymentId,
          orderId: order.id,
          amount: payment.paid,
          detail: { method: payment.method, reason, code: result.code },
        },
        deps.now(),
      );
    }
  }
  await auditRefund(tx, {
    by: 'system',
    subject: order.id,
    reason,
    after: { processor: payment.processor, paymentId: payment.paymentId, ...payment.paid, owed },
  });
  // A lapsed order for a line gone: nothing was paid twice, and the traveller unlinked it themselves.
  if (reason === 'line_unlinked') return 'applied';
  // Paid in Stars first, then by Stripe: the message that has always said so.
  const paid = { orderId: order.id, amountMinor: payment.paid.amountMinor, currency: payment.paid.currency };
  await enqueue(
    tx,
    order.paidWith === 'stars' && payment.processor === 'stripe'
      ? {
          userId: order.userId,
          kind: 'card_refunded_paid_twice',
          payload: paid,
          dedupeKey: `card_refunded_paid_twice:${order.id}`,
        }
      : {
          userId: order.userId,
          kind: 'payment_refunded_paid_twice',
          payload: { ...paid, owed },
          dedupeKey: `payment_refunded_paid_twice:${order.id}:${payment.paymentId}`,
        },
  );
  return 'applied';
}
