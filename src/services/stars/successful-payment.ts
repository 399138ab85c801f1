import type { Tx } from '../../adapters/db/client.js';
import { monthOf, withinCap } from '../../domain/auto-renew.js';
import { parsePayload, STARS } from '../../domain/stars.js';
import { autoRenewSpend } from '../auto-renew/spend.js';
import type { ServiceDeps } from '../deps.js';
import { recordMovement } from '../ledger.js';
import { enqueue } from '../outbox.js';
import { once } from '../payment-events/once.js';
import { settlePayment, type SettleExtras } from '../payment-events/settle-payment.js';
import { refundStarsCharge, type StarsRefundReason } from './refunds.js';
import { renewalOrderData } from '../auto-renew/renewal-order.js';

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
 * Telegram Stars' way into the one settle path (payment-events/settle-payment.ts): the ledger row
 * (unique on the charge id), the order's move to paid, "payment received", and the rule for a
 * second payment all happen there, as for every processor. What stays here is Stars' own:
 * - Telegram sends a successful_payment once and never again once it is confirmed, so a settlement
 *   whose transaction fails is tried again here, then left to reconciliation (getStarTransactions).
 * - A payment Kuota cannot honour (not the traveller's order, another price, over the budget) is
 *   claimed for a refund in the same transaction and given back once it commits; the sweep finishes
 *   one a crash interrupted.
 * - A subscription's renewal buys one period of the plan the subscription was bought for, at the price paid.
 *
 * Rule for late payments: Telegram takes Stars only after Kuota said yes to the pre-checkout, so a
 * payment for an order that expired or was cancelled in the seconds between is honoured at the
 * price frozen in the order, by the shared path's rule (its line still linked, not paid another way).
 */
export async function settleStarsPayment(
  deps: ServiceDeps & { onPaid: (orderId: string) => void },
  p: SuccessfulPayment,
): Promise<StarsPaymentOutcome> {
  const { db, logger } = deps;
  let decision: Decision | undefined;
  for (let attempt = 1; !decision; attempt++) {
    try {
      let decided: Decision | undefined;
      const outcome = await once(db, 'stars', p.chargeId, async (tx) => {
        decided = await decide(deps, tx, p);
        return 'applied';
      });
      if (outcome === 'duplicate' || !decided) return { status: 'duplicate' };
      decision = decided;
    } catch (error) {
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
    const renewed = parsePayload(p.payload)?.kind === 'subscription' && !p.firstRecurring && p.recurring;
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

/** In one transaction with the charge's record: settle the order it pays, or claim its refund and say why. */
async function decide(deps: ServiceDeps, tx: Tx, p: SuccessfulPayment): Promise<Decision | undefined> {
  const { now } = deps;
  // Already recorded (a redelivery after its processed-event row was purged): nothing to do again.
  if (await tx.starsPayment.findUnique({ where: { chargeId: p.chargeId }, select: { chargeId: true } })) return;
  const user = await tx.user.findUnique({ where: { telegramId: BigInt(p.telegramUserId) } });
  const target = parsePayload(p.payload);
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
  const refuse = async (reason: StarsRefundReason, orderId?: string, cancelSubscription = false): Promise<Decision> => {
    // Money in, whatever becomes of it: its refund is the row of the opposite sign.
    if (p.currency === STARS)
      await recordMovement(tx, {
        processor: 'stars',
        kind: 'payment',
        externalId: p.chargeId,
        orderId: orderId ?? null,
        method: 'stars',
        amountMinor: p.amount,
        currency: STARS,
        occurredAt: now(),
      });
    await record('refunding', orderId, reason);
    return { refund: reason, orderId, cancelSubscription };
  };
  /** Through the shared settle path; a payment it gives back is refunded (and a subscription ended) here. */
  const settle = async (orderId: string, cancelSubscription: boolean, extras: SettleExtras = {}): Promise<Decision> => {
    let givenBack: StarsRefundReason | undefined;
    const outcome = await settlePayment(deps)(
      tx,
      {
        processor: 'stars',
        eventId: p.chargeId,
        orderId,
        pageId: null,
        paymentId: p.chargeId,
        method: 'stars',
        paid: { amountMinor: p.amount, currency: STARS },
      },
      {
        ...extras,
        orderData: { telegramChargeId: p.chargeId },
        giveBackLater: async (_tx, reason) => {
          givenBack = reason === 'paid_twice' ? 'paid_twice' : 'not_payable';
          await record('refunding', orderId, givenBack);
        },
      },
    );
    if (givenBack) return { refund: givenBack, orderId, cancelSubscription };
    // Not taken by the order, and Telegram has the Stars: they go back.
    if (outcome !== 'applied') return refuse('not_payable', orderId, cancelSubscription);
    await record('settled', orderId);
    return { settle: orderId };
  };
  const payable = async (orderId: string) => {
    const order = await tx.order.findUnique({ where: { id: orderId } });
    return !!user && order?.userId === user.id && order.starsAmount === p.amount;
  };

  if (!user || !target || p.currency !== STARS) return refuse('not_payable');
  if (target.kind === 'order')
    return (await payable(target.orderId)) ? settle(target.orderId, false) : refuse('not_payable', target.orderId);

  const ar = await tx.autoRenew.findUnique({ where: { id: target.autoRenewId }, include: { line: true } });
  if (!ar || ar.userId !== user.id || ar.starsPayload !== p.payload) return refuse('not_payable', undefined, true);
  const isRenewal = ar.starsChargeId !== null && ar.starsChargeId !== p.chargeId;
  if (ar.state === 'off') return refuse('subscription_off', undefined, true);
  // Paused: this renewal goes back, and the subscription stays for when auto-renew is resumed.
  if (isRenewal && ar.state !== 'active') return refuse('subscription_off');
  if (ar.line.unlinkedAt) return refuse('not_payable', undefined, true);
  // A second subscription started from another copy of the link: the first one already renews this line.
  if (isRenewal && p.firstRecurring) return refuse('paid_twice', undefined, true);
  const month = monthOf(now(), user.timezone);
  const periodCharge = (order: { id: string; amountMinor: number; currency: string }) =>
    tx.autoRenewCharge.create({
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

  if (!isRenewal) {
    if (!(await payable(target.nonce))) return refuse('not_payable', target.nonce, true);
    const settled = await settle(target.nonce, true);
    if ('refund' in settled) return settled;
    await tx.autoRenew.update({
      where: { id: ar.id },
      data: { starsChargeId: p.chargeId, starsAmount: p.amount, state: 'active' },
    });
    await periodCharge(await tx.order.findUniqueOrThrow({ where: { id: target.nonce } }));
    await enqueue(tx, {
      userId: user.id,
      kind: 'stars_subscribed',
      payload: { lineId: ar.lineId, stars: p.amount },
      dedupeKey: `stars_subscribed:${p.chargeId}`,
    });
    return settled;
  }

  // A renewal: Telegram charged the subscription's price; it buys one period of the plan the
  // subscription was bought for, at the price paid. Auto-renew moved to another plan (its
  // cancellation not heard by Telegram) or another price: the renewal goes back, and the subscription ends.
  const first = await tx.order.findUnique({ where: { telegramChargeId: ar.starsChargeId! }, include: { plan: true } });
  const plan = first?.plan;
  if (!plan || plan.code !== ar.planCode || p.amount !== ar.starsAmount || p.amount !== first.starsAmount)
    return refuse('not_payable', undefined, true);
  if (!plan.active || plan.carrier !== ar.line.carrier) return refuse('not_payable');
  const spent = await autoRenewSpend(tx, ar.lineId, month);
  if (!withinCap(spent.amountMinor, plan.priceMinor, ar.capMinor)) return refuse('over_budget');
  // The renewal's own order, at the price paid, settled like any other.
  const order = await tx.order.create({
    data: renewalOrderData({
      userId: user.id,
      lineId: ar.lineId,
      plan,
      previousExpiresAt: ar.line.expiresAt,
      starsAmount: p.amount,
    }),
  });
  const settled = await settle(order.id, false, { renewal: true });
  if ('settle' in settled) await periodCharge(order);
  return settled;
}
