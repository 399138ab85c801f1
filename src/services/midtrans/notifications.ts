import { frozenRupiah, kuotaOrderId, midtransOrderId, outcomeOf } from '../../domain/midtrans.js';
import { isPaymentMethodId } from '../../domain/payment-methods.js';
import type { Db } from '../../adapters/db/client.js';
import type { Logger } from '../../logger.js';
import { recordOrderEvent } from '../order-timeline.js';
import { moveOrder } from '../order-transitions.js';
import { queueSummaryUpdate } from '../order-updates.js';
import { enqueue } from '../outbox.js';
import { once, type EventOutcome } from '../payment-events/once.js';
import type { MidtransGateway, MidtransTransaction } from '../ports/midtrans-gateway.js';
import type { SettledPayment } from '../ports/payment-processor.js';
import { raiseIssue } from '../reconciliation/records.js';

type MidtransDeps = { db: Db; midtrans: MidtransGateway; logger: Logger; now: () => Date; adminIds: number[] };

/** What the route answers: a 4xx naming the fault, 200 once handled (unknown orders too), 503 so Midtrans retries. */
export type NotificationResult =
  | { answer: 'invalid'; field: string }
  | { answer: 'forged' }
  | { answer: 'unknown_order' }
  | { answer: 'retry' }
  | { answer: 'handled'; outcome: EventOutcome | 'amount_mismatch' };

/**
 * Midtrans's HTTP notifications. The body's signature is checked first; then the status API is
 * asked, and only what it says is acted on: a notification carries no event id, arrives twice or
 * out of order (a `pending` after the `settlement`), and its status_code differs from the API's. So
 * the confirmed status decides, every effect is keyed on the order's transaction and status, and a
 * late `pending` finds the order paid and changes nothing. The return page is never trusted.
 */
export function createMidtransNotifications(
  deps: MidtransDeps & { settle: (payment: SettledPayment) => Promise<EventOutcome> },
) {
  const { db, midtrans, logger, now } = deps;

  /**
   * Money Midtrans confirmed goes through the one settle path (PaymentService.settle): the ledger row,
   * the move to paid, "payment received", and the one refund rule for money the order cannot take
   * (paid another way, or lapsed for a line no longer linked). What is Midtrans's own stays here: an
   * amount that is none of the order's frozen prices in rupiah is not settled, and the operators are told.
   */
  async function moneyTaken(confirmed: MidtransTransaction): Promise<EventOutcome | 'amount_mismatch'> {
    const order = await db.order.findUnique({ where: { id: kuotaOrderId(confirmed.orderId) } });
    if (!order) return 'ignored';
    const price = frozenRupiah(order);
    if (price !== confirmed.amountIdr) {
      await raiseIssue(
        db,
        deps.adminIds,
        {
          processor: 'midtrans',
          kind: 'amount_mismatch',
          externalId: confirmed.transactionId ?? confirmed.orderId,
          orderId: order.id,
          amount: { amountMinor: confirmed.amountIdr, currency: 'IDR' },
          detail: { order: price },
        },
        now(),
      );
      return 'amount_mismatch';
    }
    return deps.settle({
      processor: 'midtrans',
      eventId: `${confirmed.orderId}:${confirmed.transactionId}:paid`,
      orderId: order.id,
      pageId: confirmed.orderId,
      paymentId: confirmed.transactionId ?? confirmed.orderId,
      method: confirmed.method && isPaymentMethodId(confirmed.method) ? confirmed.method : null,
      paid: { amountMinor: confirmed.amountIdr, currency: 'IDR' },
    });
  }

  /** A code to pay (a virtual account, a minimarket code): the traveller hears how, where and by when, once. */
  async function pending(confirmed: MidtransTransaction): Promise<EventOutcome> {
    if (!confirmed.payTo) return 'no_change';
    const order = await currentPage(confirmed.orderId);
    if (!order || order.state !== 'awaiting_payment') return 'no_change';
    await enqueue(db, {
      userId: order.userId,
      kind: 'midtrans_pending',
      payload: {
        orderId: order.id,
        method: confirmed.method,
        payTo: confirmed.payTo,
        amountIdr: confirmed.amountIdr,
        expiresAt: (confirmed.expiresAt ?? order.checkoutExpiresAt)?.toISOString() ?? null,
      },
      dedupeKey: `midtrans_pending:${confirmed.orderId}`,
    });
    return 'applied';
  }

  /** Refused, cancelled or expired: an unpaid order ends and the traveller is told; a paid one that the bank reversed goes to the operators. */
  async function closed(
    confirmed: Pick<MidtransTransaction, 'orderId' | 'transactionStatus' | 'transactionId' | 'amountIdr'>,
    to: 'payment_failed' | 'expired',
  ): Promise<EventOutcome> {
    return once(db, 'midtrans', `${confirmed.orderId}:${confirmed.transactionStatus}`, async (tx) => {
      const order = await tx.order.findUnique({ where: { id: kuotaOrderId(confirmed.orderId) } });
      if (!order) return 'ignored';
      // The end of a page the traveller left for another method ends nothing: the order is on its new page.
      if (midtransOrderId(order.id, order.checkoutAttempt) !== confirmed.orderId) return 'ignored';
      const { moved, order: current } = await moveOrder(tx, order.id, {
        to,
        from: 'awaiting_payment',
        where: { checkoutAttempt: order.checkoutAttempt },
      });
      await recordOrderEvent(tx, {
        orderId: order.id,
        kind: to === 'expired' ? 'payment_expired' : 'payment_failed',
        detail: { processor: 'midtrans', status: confirmed.transactionStatus, applied: moved },
      });
      if (!moved) {
        if (current?.paidWith === 'midtrans' && to === 'payment_failed')
          await raiseIssue(
            db,
            deps.adminIds,
            {
              processor: 'midtrans',
              kind: 'reversed_after_settlement',
              externalId: confirmed.transactionId ?? confirmed.orderId,
              orderId: order.id,
              amount: { amountMinor: confirmed.amountIdr, currency: 'IDR' },
              detail: { status: confirmed.transactionStatus },
            },
            now(),
          );
        return 'no_change';
      }
      await enqueue(tx, {
        userId: order.userId,
        kind: to === 'expired' ? 'order_expired' : 'payment_failed',
        payload: { orderId: order.id },
        dedupeKey: `${to}:${order.id}`,
      });
      await queueSummaryUpdate(tx, order, to);
      return 'applied';
    });
  }

  /** The order whose current page is this Midtrans order_id; null for an unknown order or a page it left. */
  async function currentPage(midtransId: string) {
    const order = await db.order.findUnique({ where: { id: kuotaOrderId(midtransId) } });
    return order && midtransOrderId(order.id, order.checkoutAttempt) === midtransId ? order : null;
  }

  return {
    async handle(body: unknown): Promise<NotificationResult> {
      const check = midtrans.checkNotification(body);
      if (!check.ok)
        return check.reason === 'invalid' ? { answer: 'invalid', field: check.field } : { answer: 'forged' };
      const orderId = check.transaction.orderId;
      const known = await db.order.findUnique({ where: { id: kuotaOrderId(orderId) }, select: { id: true } });
      if (!known) {
        logger.warn({ orderId }, 'Midtrans notification for an unknown order');
        return { answer: 'unknown_order' };
      }
      let confirmed: MidtransTransaction | null;
      try {
        confirmed = await midtrans.status(orderId);
      } catch (err) {
        logger.warn({ err, orderId }, 'Midtrans status could not be read: the notification will come again');
        return { answer: 'retry' };
      }
      if (!confirmed) {
        logger.warn({ orderId }, 'Midtrans has no transaction for a signed notification yet');
        return { answer: 'retry' };
      }
      logger.info(
        { orderId, status: confirmed.transactionStatus, notified: check.transaction.transactionStatus },
        'Midtrans notification',
      );
      return { answer: 'handled', outcome: await apply(confirmed) };
    },

    apply,

    /**
     * The status API for one of Kuota's own Midtrans orders (reconciliation and the sweep): what it
     * says is applied as a notification would be; an order whose page lapsed with no method ever
     * picked has no transaction, and Midtrans never notifies about it, so it is expired here.
     */
    async recheck(orderId: string): Promise<EventOutcome | 'amount_mismatch'> {
      const order = await db.order.findUnique({ where: { id: orderId } });
      if (!order) return 'ignored';
      const pageId = midtransOrderId(order.id, order.checkoutAttempt);
      const confirmed = await midtrans.status(pageId);
      if (confirmed) return apply(confirmed);
      if (order.state !== 'awaiting_payment' || !order.checkoutExpiresAt) return 'no_change';
      if (order.checkoutExpiresAt > now()) return 'no_change';
      return closed({ orderId: pageId, transactionStatus: 'expire', transactionId: null, amountIdr: 0 }, 'expired');
    },
  };

  async function apply(confirmed: MidtransTransaction): Promise<EventOutcome | 'amount_mismatch'> {
    switch (outcomeOf(confirmed.transactionStatus, confirmed.fraudStatus)) {
      case 'paid':
        return moneyTaken(confirmed);
      case 'pending':
        return pending(confirmed);
      case 'failed':
        return closed(confirmed, 'payment_failed');
      case 'expired':
        return closed(confirmed, 'expired');
      case 'refunded':
      case 'partially_refunded':
      case null:
        // Kuota's own refunds are ledgered when Midtrans answers them; one made elsewhere, reconciliation reports.
        return 'ignored';
    }
  }
}

export type MidtransNotifications = ReturnType<typeof createMidtransNotifications>;
