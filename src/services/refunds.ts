import type { Db, Tx } from '../adapters/db/client.js';
import { REFUNDABLE_STATES, refundCheck } from '../domain/order-state.js';
import { audit, SYSTEM_ACTOR } from './audit.js';
import type { ServiceDeps } from './deps.js';
import { isDisputed, recordMovement, recordStripeRefund } from './ledger.js';
import { giveBackMidtrans, midtransPaymentOf } from './midtrans/give-back.js';
import { noteOrderEvent, recordOrderEvent } from './order-timeline.js';
import { moveOrder } from './order-transitions.js';
import { queueSummaryUpdate } from './order-updates.js';
import { enqueue } from './outbox.js';
import { refundStarsCharge } from './stars/refunds.js';

/** Why an order was refunded: the provider could not apply it, or an operator refunded it. */
export type RefundReason = 'top_up_failed' | 'operator';

/** Who asked for a refund: an operator (their Telegram id), or Kuota itself. */
export type RefundAsker = number | 'system';

/**
 * What became of a refund: done (or done before), started and not yet confirmed by the processor
 * (the sweep finishes it), refused while the top-up is in flight or the payment is disputed, or not
 * possible for an unpaid order.
 */
export type RefundOutcome =
  'refunded' | 'refunding' | 'already_refunded' | 'top_up_in_flight' | 'disputed' | 'not_refundable';

/** Marks an order refunded and tells the traveller, once: false when it was refunded already (or cannot be). */
export async function markRefunded(
  tx: Tx,
  order: { id: string; userId: string; summaryMessageId: number | null },
  reason: RefundReason,
  at: Date,
): Promise<boolean> {
  const { moved } = await moveOrder(tx, order.id, { to: 'refunded', data: { refundedAt: at } });
  if (!moved) return false;
  await recordOrderEvent(tx, { orderId: order.id, kind: 'refunded', detail: { reason } });
  await enqueue(tx, {
    userId: order.userId,
    kind: 'refunded',
    payload: { orderId: order.id, reason },
    dedupeKey: `refunded:${order.id}`,
  });
  await queueSummaryUpdate(tx, order, 'refunded');
  return true;
}

/** Writes who asked for a refund of what, and what came of it: every refund, an operator's or Kuota's own. */
export function auditRefund(
  db: Db | Tx,
  r: { by: RefundAsker; subject: string; reason: string; before?: unknown; after: Record<string, unknown> },
) {
  return audit(db, {
    actorId: r.by === 'system' ? SYSTEM_ACTOR : r.by,
    action: 'order.refund',
    subject: r.subject,
    before: r.before ?? null,
    after: { ...r.after, by: r.by, reason: r.reason },
  });
}

/**
 * The one way Kuota gives an order's money back, whoever asks: the chat's /refund, the console,
 * a top-up that failed for good. The rule of which states may be refunded is refundCheck, in domain.
 * The order moves to "refunding" first, the processor is asked once (Stripe under an idempotency key,
 * Stars by a claimed row), then the ledger, the order and the traveller's message are written in one
 * transaction. A crash in between leaves a "refunding" order the fulfilment sweep finishes.
 */
export function createRefundService(
  deps: Pick<ServiceDeps, 'db' | 'payments' | 'now' | 'stars' | 'logger' | 'midtrans' | 'adminIds'>,
) {
  const { db, payments, now, logger } = deps;

  /**
   * A Midtrans payment goes back through its API where the method allows; otherwise it is recorded
   * as owed and the order stays "refunding" until an operator has paid it and marks it refunded.
   */
  async function midtransGivenBack(orderId: string, reason: RefundReason): Promise<boolean> {
    const payment = await midtransPaymentOf(db, orderId);
    if (!payment) return true;
    if (await owedRow(orderId)) return false;
    if (!deps.midtrans)
      throw new Error('Midtrans is not configured: MIDTRANS_SERVER_KEY is needed to refund this order');
    const gateway = { db, midtrans: deps.midtrans, logger, now, adminIds: deps.adminIds ?? [] };
    return (await giveBackMidtrans(gateway, { ...payment, orderId }, reason)) === 'refunded';
  }

  function owedRow(orderId: string) {
    return db.ledgerEntry.findFirst({ where: { orderId, processor: 'midtrans', kind: 'refund_owed' } });
  }

  /** Finishes a refund under way; false when the order is not (any more) being refunded, or its refund is owed by hand. */
  async function complete(orderId: string, by: RefundAsker = 'system'): Promise<boolean> {
    const order = await db.order.findUnique({ where: { id: orderId } });
    if (!order || order.state !== 'refunding') return false;
    const reason: RefundReason = order.failureReason ? 'top_up_failed' : 'operator';
    if (order.paidWith === 'midtrans' && !(await midtransGivenBack(orderId, reason))) return false;
    if (order.stripePaymentIntentId) await payments.refund(order.stripePaymentIntentId, orderId);
    // Stars go back through Telegram; the traveller hears of it once, from markRefunded.
    if (order.telegramChargeId) await refundStarsCharge(deps, order.telegramChargeId, reason, { notify: false, by });
    return db.$transaction(async (tx) => {
      if (order.stripePaymentIntentId)
        await recordStripeRefund(tx, {
          paymentId: order.stripePaymentIntentId,
          orderId,
          refundedTotal: Number.MAX_SAFE_INTEGER,
          occurredAt: now(),
        });
      return markRefunded(tx, order, reason, now());
    });
  }

  async function snapshot(orderId: string) {
    const o = await db.order.findUnique({ where: { id: orderId }, select: { state: true, refundedAt: true } });
    return o ? { state: o.state, refundedAt: o.refundedAt?.toISOString() ?? null } : null;
  }

  /** Claims the order for a refund from where it stands now, deciding again if another path moved it first. */
  async function claim(orderId: string): Promise<RefundOutcome | 'claimed'> {
    for (let round = 0; round < 3; round++) {
      const order = await db.order.findUnique({ where: { id: orderId }, select: { state: true } });
      if (!order) return 'not_refundable';
      const check = refundCheck(order.state, await isDisputed(db, orderId));
      if (check === 'refund_under_way') return 'claimed';
      if (check === 'already_refunded') return 'already_refunded';
      if (check === 'top_up_in_flight' || check === 'disputed') return check;
      if (check === 'not_paid') return 'not_refundable';
      const { moved } = await moveOrder(db, orderId, { to: 'refunding', from: REFUNDABLE_STATES });
      if (moved) return 'claimed';
    }
    return 'not_refundable';
  }

  return {
    complete,

    /**
     * An operator paid a refund owed (a bank transfer Midtrans cannot refund) by hand: the ledger
     * records the refund and settles what was owed, the order is refunded and the traveller told, in
     * one transaction, audited with who did it. Twice is once.
     */
    async markOwedRefundPaid(orderId: string, operatorId: number): Promise<'refunded' | 'not_owed'> {
      const owed = await owedRow(orderId);
      const order = await db.order.findUnique({ where: { id: orderId } });
      if (!owed || !order || order.state !== 'refunding') return 'not_owed';
      const at = now();
      const row = {
        processor: 'midtrans' as const,
        orderId,
        method: owed.method,
        currency: owed.currency,
        occurredAt: at,
      };
      const done = await db.$transaction(async (tx) => {
        await recordMovement(tx, {
          ...row,
          kind: 'refund',
          externalId: `${orderId}-paid-by-hand`,
          amountMinor: owed.amountMinor,
        });
        await recordMovement(tx, {
          ...row,
          kind: 'refund_owed',
          externalId: `${orderId}-owed-paid`,
          amountMinor: -owed.amountMinor,
        });
        const reason: RefundReason = order.failureReason ? 'top_up_failed' : 'operator';
        return markRefunded(tx, order, reason, at);
      });
      await audit(db, {
        actorId: operatorId,
        action: 'order.refund_paid_by_hand',
        subject: orderId,
        before: { state: order.state },
        after: { state: done ? 'refunded' : order.state, amountMinor: -owed.amountMinor, currency: owed.currency },
      });
      return done ? 'refunded' : 'not_owed';
    },

    /**
     * Refunds an order, audited with who asked. Asking twice (or from two places at once) refunds once.
     * `reason` is written to the order's timeline and the audit log.
     */
    async refund(orderId: string, request: { by?: RefundAsker; reason?: string } = {}): Promise<RefundOutcome> {
      const by = request.by ?? 'system';
      const reason = request.reason ?? (by === 'system' ? 'system' : `refunded by operator ${by}`);
      const before = await snapshot(orderId);
      const claimed = await claim(orderId);
      let outcome: RefundOutcome = claimed === 'claimed' ? 'refunded' : claimed;
      if (claimed === 'claimed') {
        await noteOrderEvent(db, { orderId, kind: 'refund_started', detail: { reason: reason.slice(0, 200), by } });
        try {
          if (!(await complete(orderId, by)))
            outcome = (await snapshot(orderId))?.state === 'refunded' ? 'already_refunded' : 'refunding';
        } catch (error) {
          logger.warn({ err: error, orderId }, 'refund did not go through; the sweep will retry');
          outcome = 'refunding';
        }
      }
      if (before)
        await auditRefund(db, {
          by,
          subject: orderId,
          reason,
          before,
          after: { ...(await snapshot(orderId)), result: outcome },
        });
      return outcome;
    },
  };
}

export type RefundService = ReturnType<typeof createRefundService>;
