import { audit, SYSTEM_ACTOR } from '../audit.js';
import type { ServiceDeps } from '../deps.js';
import { recordMovement } from '../ledger.js';
import { enqueue } from '../outbox.js';
import { starsMoney } from '../../domain/stars.js';
import { starsProcessor } from './processor.js';

/** Why Kuota gave Stars back; each has its own message to the traveller. */
export type StarsRefundReason =
  'paid_twice' | 'not_payable' | 'over_budget' | 'top_up_failed' | 'operator' | 'subscription_off';

/**
 * Gives one Stars payment back, once: the row is claimed before Telegram is asked, Telegram's
 * "already refunded" counts as done, and a crash between the two leaves a row the sweep finishes.
 * `notify` queues the traveller's message (a failed top-up has its own, sent by fulfilment); `by` is
 * who asked, for the audit log. The refund is written to the ledger with the row's "refunded".
 */
export async function refundStarsCharge(
  deps: Pick<ServiceDeps, 'db' | 'stars' | 'now' | 'logger'>,
  chargeId: string,
  reason: StarsRefundReason,
  options: { notify?: boolean; by?: number | 'system' } = {},
): Promise<'refunded' | 'already_refunded' | 'not_found'> {
  const { notify = true, by = 'system' } = options;
  const { db, now } = deps;
  const payment = await db.starsPayment.findUnique({ where: { chargeId } });
  if (!payment) return 'not_found';
  if (payment.outcome === 'refunded') return 'already_refunded';
  await db.starsPayment.updateMany({
    where: { chargeId, outcome: { not: 'refunded' } },
    data: { outcome: 'refunding', refundReason: payment.refundReason ?? reason },
  });
  if (!deps.stars) throw new Error('Telegram Stars are not configured');
  await starsProcessor(deps.stars).refund({
    orderId: payment.orderId ?? chargeId,
    paymentId: chargeId,
    method: 'stars',
    amount: starsMoney(payment.amount),
    payerTelegramId: Number(payment.telegramUserId),
  });
  return db.$transaction(async (tx) => {
    const { count } = await tx.starsPayment.updateMany({
      where: { chargeId, outcome: 'refunding' },
      data: { outcome: 'refunded', refundedAt: now() },
    });
    if (!count) return 'already_refunded' as const;
    await recordMovement(tx, {
      processor: 'stars',
      kind: 'refund',
      externalId: `refund:${chargeId}`,
      orderId: payment.orderId,
      method: 'stars',
      amountMinor: -payment.amount,
      currency: 'XTR',
      occurredAt: now(),
    });
    await audit(tx, {
      actorId: by === 'system' ? SYSTEM_ACTOR : by,
      action: 'order.refund',
      subject: payment.orderId ?? chargeId,
      before: null,
      after: { by, reason: payment.refundReason ?? reason, stars: payment.amount, chargeId },
    });
    if (notify && payment.userId)
      await enqueue(tx, {
        userId: payment.userId,
        kind: 'stars_refunded',
        payload: { chargeId },
        dedupeKey: `stars_refunded:${chargeId}`,
      });
    deps.logger.info(
      { chargeId, reason: payment.refundReason ?? reason, orderId: payment.orderId },
      'Stars payment refunded',
    );
    return 'refunded' as const;
  });
}

/** A refund a crash left halfway (claimed, Telegram not asked or not answered) is finished after this long. */
const STALE_REFUND_MS = 60_000;

/** Finishes the Stars refunds a crash or an unreachable Telegram left halfway. */
export async function sweepStarsRefunds(deps: Pick<ServiceDeps, 'db' | 'stars' | 'now' | 'logger'>): Promise<void> {
  if (!deps.stars) return;
  const stale = await deps.db.starsPayment.findMany({
    where: { outcome: 'refunding', updatedAt: { lt: new Date(deps.now().getTime() - STALE_REFUND_MS) } },
    take: 100,
  });
  for (const p of stale) {
    // A failed top-up's refund belongs to its order, which the fulfilment sweep finishes with its message.
    if (p.refundReason === 'top_up_failed') continue;
    await refundStarsCharge(deps, p.chargeId, p.refundReason as StarsRefundReason).catch((err) =>
      deps.logger.warn({ err, chargeId: p.chargeId }, 'Stars refund retry failed'),
    );
  }
}
