import type { Tx } from '../adapters/db/client.js';
import { statesThatCanMoveTo } from '../domain/order-state.js';
import type { ServiceDeps } from './deps.js';
import { recordOrderEvent } from './order-timeline.js';
import { queueSummaryUpdate } from './order-updates.js';
import { enqueue } from './outbox.js';
import { refundStarsCharge } from './stars/refunds.js';

/** Why an order was refunded: the provider could not apply it, or an operator refunded it. */
export type RefundReason = 'top_up_failed' | 'operator';

/** Marks an order refunded and tells the traveller, once: false when it was refunded already (or cannot be). */
export async function markRefunded(
  tx: Tx,
  order: { id: string; userId: string; summaryMessageId: number | null },
  reason: RefundReason,
  at: Date,
): Promise<boolean> {
  const { count } = await tx.order.updateMany({
    where: { id: order.id, state: { in: statesThatCanMoveTo('refunded') } },
    data: { state: 'refunded', refundedAt: at },
  });
  if (!count) return false;
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

/**
 * The one way Kuota gives money back. The order moves to "refunding" first, Stripe is asked once
 * (the order id is the idempotency key), then the order is marked and the traveller told; a crash
 * in between is finished by `complete` from the fulfilment sweep.
 */
export function createRefundService(deps: Pick<ServiceDeps, 'db' | 'payments' | 'now' | 'stars' | 'logger'>) {
  const { db, payments, now } = deps;

  async function complete(orderId: string, reason: RefundReason = 'top_up_failed'): Promise<void> {
    const order = await db.order.findUnique({ where: { id: orderId } });
    if (!order || order.state !== 'refunding') return;
    if (order.stripePaymentIntentId) await payments.refund(order.stripePaymentIntentId, orderId);
    // Stars go back through Telegram; the traveller hears of it once, from markRefunded.
    if (order.telegramChargeId)
      await refundStarsCharge(deps, order.telegramChargeId, order.failureReason ? 'top_up_failed' : reason, false);
    await db.$transaction((tx) => markRefunded(tx, order, order.failureReason ? 'top_up_failed' : reason, now()));
  }

  return {
    complete,

    /** An operator's refund of a paid order (the console). Asking twice refunds once. */
    async refund(orderId: string): Promise<'refunded' | 'already_refunded' | 'not_refundable'> {
      await db.order.updateMany({
        where: { id: orderId, state: { in: ['paid', 'fulfilled'] } },
        data: { state: 'refunding' },
      });
      const order = await db.order.findUnique({ where: { id: orderId }, select: { state: true } });
      if (order?.state === 'refunded') return 'already_refunded';
      if (order?.state !== 'refunding') return 'not_refundable';
      await complete(orderId, 'operator');
      return 'refunded';
    },
  };
}

export type RefundService = ReturnType<typeof createRefundService>;
