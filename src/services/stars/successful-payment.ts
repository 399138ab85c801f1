import type { Tx } from '../../adapters/db/client.js';
import { monthOf, withinCap } from '../../domain/auto-renew.js';
import { newOrderIdentity } from '../../domain/order-state.js';
import { parsePayload, STARS } from '../../domain/stars.js';
import { isUniqueViolation } from '../db-errors.js';
import type { ServiceDeps } from '../deps.js';
import { recordMovement } from '../ledger.js';
import { moveOrder } from '../order-transitions.js';
import { queueSummaryUpdate } from '../order-updates.js';
import { recordOrderEvent } from '../order-timeline.js';
import { enqueue } from '../outbox.js';
import { refundStarsCharge, type StarsRefundReason } from './refunds.js';
import { autoRenewSpend } from '../auto-renew/spend.js';

export type SuccessfulPayment = {
  telegramUserId: number;
  chargeId: string;
  payload: string;
  amount: number;
  currency: string;
  /** A subscription payment; `firstRecurring` for the one that started it. */
  recurring: boolean;
  firstRecurring: boolean;
};

export type StarsPaymentOutcome =
  | { status: 'settled' | 'renewed'; orderId: string }
  | { status: 'refunded'; reason: StarsRefundReason }
  | { status: 'duplicate' }
  /** Every try to record it failed (the database): logged at error with the charge id, for reconciliation. */
  | { status: 'unsettled' };

/** Tries of a settlement's transaction before it is given up to reconciliation (a deadlock, a dropped connection). */
const SETTLE_TRIES = 3;

type Decision = { settle: string } | { refund: StarsRefundReason; orderId?: string; cancelSubscription?: boolean };

/**
 * Settles a Stars payment exactly once: the charge id is unique in the database and is written in
 * the same transaction as the order it pays, so a redelivered message changes nothing. A payment
 * Kuota cannot honour (the order was paid by card meanwhile, the line unlinked, over the budget)
 * is recorded as owed back and refunded at once; the fulfilment sweep finishes one a crash interrupted.
 *
 * Rule for late payments: Telegram takes Stars only after Kuota said yes to the pre-checkout, so a
 * payment for an order that expired or was cancelled in the seconds between is honoured at the
 * price frozen in the order, as long as the line is still linked and the order not paid another way.
 */
export async function settleStarsPayment(
  deps: ServiceDeps & { onPaid: (orderId: string) => void },
  p: SuccessfulPayment,
): Promise<StarsPaymentOutcome> {
  const { db, now, logger } = deps;
  const target = parsePayload(p.payload);
  let decision: Decision | undefined;
  for (let attempt = 1; !decision; attempt++) {
    try {
      decision = await db.$transaction(async (tx) => {
        const user = await tx.user.findUnique({ where: { telegramId: BigInt(p.telegramUserId) } });
        const record = (outcome: 'settled' | 'refunding', orderId: string | undefined, reason?: StarsRefundReason) =>
          tx.starsPayment.create({
            data: {
              chargeId: p.chargeId,
              telegramUserId: BigInt(p.telegramUserId),
              userId: user?.id,
              orderId,
              amount: p.amount,
              payload: p.payload,
              recurring: p.recurring,
              outcome,
              refundReason: reason,
            },
          });
        const refund = async (
          reason: StarsRefundReason,
          orderId?: string,
          cancelSubscription = false,
        ): Promise<Decision> => {
          await record('refunding', orderId, reason);
          return { refund: reason, orderId, cancelSubscription };
        };
        if (p.currency === STARS)
          await recordMovement(tx, {
            processor: 'stars',
            kind: 'payment',
            externalId: p.chargeId,
            orderId: target?.kind === 'order' ? target.orderId : null,
            method: 'stars',
            amountMinor: p.amount,
            currency: STARS,
            occurredAt: now(),
          });
        if (!user || !target || p.currency !== STARS) return refund('not_payable');

        if (target.kind === 'order') {
          const settled = await settleOrder(tx, target.orderId, user.id, p, now());
          if ('refund' in settled) return refund(settled.refund, target.orderId);
          await record('settled', target.orderId);
          return settled;
        }

        const ar = await tx.autoRenew.findUnique({ where: { id: target.autoRenewId }, include: { line: true } });
        if (!ar || ar.userId !== user.id || ar.starsPayload !== p.payload)
          return refund('not_payable', undefined, true);
        const isRenewal = ar.starsChargeId !== null && ar.starsChargeId !== p.chargeId;
        if (ar.state === 'off') return refund('subscription_off', undefined, true);
        // Paused: this renewal goes back, and the subscription stays for when auto-renew is resumed.
        if (isRenewal && ar.state !== 'active') return refund('subscription_off');
        if (ar.line.unlinkedAt) return refund('not_payable', undefined, true);
        // A second subscription started from another copy of the link: the first one already renews this line.
        if (isRenewal && p.firstRecurring) return refund('paid_twice', undefined, true);
        const month = monthOf(now(), user.timezone);

        if (!isRenewal) {
          const settled = await settleOrder(tx, target.nonce, user.id, p, now());
          if ('refund' in settled) return refund(settled.refund, target.nonce, true);
          const order = await tx.order.findUniqueOrThrow({ where: { id: target.nonce } });
          await attachMovement(tx, p.chargeId, order.id);
          await tx.autoRenew.update({
            where: { id: ar.id },
            data: { starsChargeId: p.chargeId, starsAmount: p.amount, state: 'active' },
          });
          await tx.autoRenewCharge.create({
            data: {
              autoRenewId: ar.id,
              lineId: ar.lineId,
              periodKey: `stars:${p.chargeId}`,
              month,
              orderId: order.id,
              amountMinor: order.amountMinor,
              currency: order.currency,
              state: 'succeeded',
            },
          });
          await enqueue(tx, {
            userId: user.id,
            kind: 'stars_subscribed',
            payload: { lineId: ar.lineId, stars: p.amount },
            dedupeKey: `stars_subscribed:${p.chargeId}`,
          });
          await record('settled', order.id);
          return settled;
        }

        // A renewal: Telegram charged the subscription's price; it buys one period of the plan the
        // subscription was bought for, at the price paid. Auto-renew moved to another plan (its
        // cancellation not heard by Telegram) or another price: the renewal goes back, and the subscription ends.
        const first = await tx.order.findUnique({
          where: { telegramChargeId: ar.starsChargeId! },
          include: { plan: true },
        });
        const plan = first?.plan;
        if (!plan || plan.code !== ar.planCode || p.amount !== ar.starsAmount || p.amount !== first.starsAmount)
          return refund('not_payable', undefined, true);
        if (!plan.active || plan.carrier !== ar.line.carrier) return refund('not_payable');
        const spent = await autoRenewSpend(tx, ar.lineId, month);
        if (!withinCap(spent.amountMinor, plan.priceMinor, ar.capMinor)) return refund('over_budget');
        const order = await tx.order.create({
          data: {
            ...newOrderIdentity(),
            userId: user.id,
            lineId: ar.lineId,
            planId: plan.id,
            amountMinor: plan.priceMinor,
            currency: plan.currency,
            state: 'paid',
            source: 'auto_renew',
            previousExpiresAt: ar.line.expiresAt,
            paidAt: now(),
            paidWith: 'stars',
            starsAmount: p.amount,
            telegramChargeId: p.chargeId,
          },
        });
        await attachMovement(tx, p.chargeId, order.id);
        await tx.autoRenewCharge.create({
          data: {
            autoRenewId: ar.id,
            lineId: ar.lineId,
            periodKey: `stars:${p.chargeId}`,
            month,
            orderId: order.id,
            amountMinor: plan.priceMinor,
            currency: plan.currency,
            state: 'succeeded',
          },
        });
        await record('settled', order.id);
        return { settle: order.id };
      });
    } catch (error) {
      if (isUniqueViolation(error)) return { status: 'duplicate' };
      if (attempt < SETTLE_TRIES) {
        logger.warn({ err: error, chargeId: p.chargeId, attempt }, 'Stars payment not recorded; trying again');
        continue;
      }
      // Telegram took the Stars and will not send this again: reconciliation (getStarTransactions) finds
      // the charge id with no settled order, and settles or refunds it.
      logger.error(
        { err: error, chargeId: p.chargeId, telegramUserId: p.telegramUserId, amount: p.amount },
        'Stars payment could not be recorded',
      );
      return { status: 'unsettled' };
    }
  }

  if ('settle' in decision) {
    deps.onPaid(decision.settle);
    const renewed = target?.kind === 'subscription' && !p.firstRecurring && p.recurring;
    return { status: renewed ? 'renewed' : 'settled', orderId: decision.settle };
  }
  logger.warn(
    { chargeId: p.chargeId, reason: decision.refund, orderId: decision.orderId },
    'Stars payment cannot be honoured; refunding',
  );
  if (decision.cancelSubscription && p.recurring && deps.stars) {
    await deps.stars
      .cancelSubscription(p.telegramUserId, p.chargeId)
      .catch((err) => logger.error({ err, chargeId: p.chargeId }, 'Stars subscription could not be cancelled'));
  }
  try {
    await refundStarsCharge(deps, p.chargeId, decision.refund, { by: 'system' });
  } catch (err) {
    logger.error({ err, chargeId: p.chargeId }, 'Stars refund failed; the sweep retries');
  }
  return { status: 'refunded', reason: decision.refund };
}

/** Moves one order to paid by this charge, or says why it cannot be (decided from the order as it is now). */
async function settleOrder(
  tx: Tx,
  orderId: string,
  userId: string,
  p: SuccessfulPayment,
  at: Date,
): Promise<{ settle: string } | { refund: StarsRefundReason }> {
  const order = await tx.order.findUnique({ where: { id: orderId }, include: { line: true } });
  if (!order || order.userId !== userId || order.line.unlinkedAt || order.starsAmount !== p.amount)
    return { refund: 'not_payable' };
  const { moved } = await moveOrder(tx, orderId, {
    to: 'paid',
    data: { paidAt: at, paidWith: 'stars', telegramChargeId: p.chargeId },
  });
  if (!moved) return { refund: 'paid_twice' };
  await recordOrderEvent(tx, {
    orderId,
    kind: 'payment_paid',
    detail: { method: 'stars', amountMinor: p.amount, currency: 'XTR', chargeId: p.chargeId },
  });
  // The summary's Pay buttons go, and it says the order is paid.
  await queueSummaryUpdate(tx, order, 'paid');
  return { settle: orderId };
}

/** A subscription's payment belongs to the order it pays, known only once that order exists. */
function attachMovement(tx: Tx, chargeId: string, orderId: string) {
  return tx.ledgerEntry.updateMany({
    where: { processor: 'stars', kind: 'payment', externalId: chargeId, orderId: null },
    data: { orderId },
  });
}
