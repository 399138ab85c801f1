import { outcomeOf } from '../../domain/midtrans.js';
import { isSettled } from '../../domain/order-state.js';
import { auditRefund } from '../refunds.js';
import { recordOrderEvent } from '../order-timeline.js';
import { moveOrder } from '../order-transitions.js';
import { queueSummaryUpdate } from '../order-updates.js';
import { enqueue } from '../outbox.js';
import { once, type EventOutcome } from '../payment-events/once.js';
import type { MidtransTransaction } from '../ports/midtrans-gateway.js';
import { raiseIssue } from '../reconciliation/records.js';
import { giveBackMidtrans, midtransPaymentOf, type GiveBackDeps } from './give-back.js';
import { frozenRupiah, settleMidtrans } from './settle.js';

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
export function createMidtransNotifications(deps: GiveBackDeps & { onPaid: (orderId: string) => void }) {
  const { db, midtrans, logger, now } = deps;

  async function moneyTaken(confirmed: MidtransTransaction): Promise<EventOutcome | 'amount_mismatch'> {
    const order = await db.order.findUnique({ where: { id: confirmed.orderId }, include: { line: true } });
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
    const key = `${confirmed.orderId}:${confirmed.transactionId}:paid`;
    let settled = false;
    const outcome = await once(db, 'midtrans', key, async (tx) => {
      settled = (await settleMidtrans(tx, order, confirmed, now())) === 'settled';
      return settled ? 'applied' : 'no_change';
    });
    if (settled) {
      deps.onPaid(order.id);
      return 'applied';
    }
    // Paid another way first, or for a line no longer linked: the money goes back, or is owed. Asked
    // again on every delivery until a refund or an owed row is written, so a refund that failed is retried.
    const current = await db.order.findUnique({ where: { id: order.id } });
    if (current?.paidWith === 'midtrans' && isSettled(current.state))
      return outcome === 'duplicate' ? 'duplicate' : 'no_change';
    const payment = await midtransPaymentOf(db, order.id);
    if (!payment) return 'no_change';
    const given = await db.ledgerEntry.findFirst({
      where: { processor: 'midtrans', orderId: order.id, kind: { in: ['refund', 'refund_owed'] } },
    });
    if (given) return 'duplicate';
    const how = await giveBackMidtrans(deps, { ...payment, orderId: order.id }, 'paid_twice');
    await auditRefund(db, {
      by: 'system',
      subject: order.id,
      reason: 'paid_twice',
      after: { processor: 'midtrans', amountMinor: payment.amountMinor, currency: 'IDR', result: how },
    });
    if (how === 'refunded')
      await enqueue(db, {
        userId: order.userId,
        kind: 'card_refunded_paid_twice',
        payload: { orderId: order.id, amountMinor: payment.amountMinor, currency: 'IDR' },
        dedupeKey: `card_refunded_paid_twice:${order.id}`,
      });
    return 'applied';
  }

  /** A code to pay (a virtual account, a minimarket code): the traveller hears how, where and by when, once. */
  async function pending(confirmed: MidtransTransaction): Promise<EventOutcome> {
    if (!confirmed.payTo) return 'no_change';
    const order = await db.order.findUnique({ where: { id: confirmed.orderId } });
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
      dedupeKey: `midtrans_pending:${order.id}`,
    });
    return 'applied';
  }

  /** Refused, cancelled or expired: an unpaid order ends and the traveller is told; a paid one that the bank reversed goes to the operators. */
  async function closed(
    confirmed: Pick<MidtransTransaction, 'orderId' | 'transactionStatus' | 'transactionId' | 'amountIdr'>,
    to: 'payment_failed' | 'expired',
  ): Promise<EventOutcome> {
    return once(db, 'midtrans', `${confirmed.orderId}:${confirmed.transactionStatus}`, async (tx) => {
      const order = await tx.order.findUnique({ where: { id: confirmed.orderId } });
      if (!order) return 'ignored';
      const { moved, order: current } = await moveOrder(tx, order.id, { to, from: 'awaiting_payment' });
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

  return {
    async handle(body: unknown): Promise<NotificationResult> {
      const check = midtrans.checkNotification(body);
      if (!check.ok)
        return check.reason === 'invalid' ? { answer: 'invalid', field: check.field } : { answer: 'forged' };
      const orderId = check.transaction.orderId;
      const known = await db.order.findUnique({ where: { id: orderId }, select: { id: true } });
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
      const confirmed = await midtrans.status(orderId);
      if (confirmed) return apply(confirmed);
      const order = await db.order.findUnique({ where: { id: orderId } });
      if (!order || order.state !== 'awaiting_payment' || !order.checkoutExpiresAt) return 'no_change';
      if (order.checkoutExpiresAt > now()) return 'no_change';
      return closed({ orderId, transactionStatus: 'expire', transactionId: null, amountIdr: 0 }, 'expired');
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
