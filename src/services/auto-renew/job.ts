import {
  chargeIdempotencyKey,
  isDue,
  LATE_RENEWAL_MS,
  monthOf,
  nextAttemptAt,
  periodKey,
  previousMonth,
  RETRYABLE_CHARGE_STATES,
  withinCap,
  type ChargeState,
} from '../../domain/auto-renew.js';
import { OPEN_STATES } from '../../domain/order-state.js';
import type { Db, Tx } from '../../adapters/db/client.js';
import { recordMovement } from '../ledger.js';
import { moveOrder } from '../order-transitions.js';
import { quietHoursEnd } from '../../domain/reminders.js';
import { autoRenewSpend } from './spend.js';
import { isUniqueViolation } from '../db-errors.js';
import type { ServiceDeps } from '../deps.js';
import type { Leases } from '../leases.js';
import type { OffSessionResult } from '../ports/payment-gateway.js';
import { queueSummaryUpdate } from '../order-updates.js';
import type { UsageService } from '../usage/usage.js';
import { enqueue } from '../outbox.js';
import { recordOrderEvent } from '../order-timeline.js';
import { renewalOrderData } from './renewal-order.js';

const LEASE = 'auto-renew';
const BATCH = 200;

export type AutoRenewJobOptions = {
  /** How long before expiry the card is charged. */
  leadMs: number;
  /** Off-session attempts per expiry period before auto-renew stops trying. */
  maxAttempts: number;
  retryMs: number;
  /** A charge left "charging" this long belongs to an instance that died; another takes it over. */
  staleChargeMs: number;
};

/**
 * The renewal job: charges saved cards before expiry. At most one charge per line per expiry
 * period holds through a unique period key, a conditional claim of the order before Stripe is
 * called, and one Stripe idempotency key per attempt (which a takeover repeats).
 */
export function createAutoRenewJob(
  deps: ServiceDeps & {
    leases: Leases;
    usage?: UsageService;
    options: AutoRenewJobOptions;
    onPaid: (orderId: string) => void;
  },
) {
  const { db, payments, logger, now, options, usage } = deps;

  const monthSpend = (lineId: string, month: string) => autoRenewSpend(db, lineId, month);

  /** Opens a period: one order and one charge row, or nothing when another instance was first. */
  async function startPeriod(autoRenewId: string): Promise<void> {
    const ar = await db.autoRenew.findUnique({ where: { id: autoRenewId }, include: { line: true, user: true } });
    if (!ar || ar.state !== 'active' || !ar.line.expiresAt || ar.line.unlinkedAt) return;
    const expiresAt = ar.line.expiresAt;
    const key = periodKey(ar.lineId, expiresAt);
    if (await db.autoRenewCharge.findUnique({ where: { periodKey: key }, select: { id: true } })) return;
    const plan = await db.plan.findUnique({ where: { code: ar.planCode } });
    const at = now();
    const month = monthOf(at, ar.user.timezone);
    const available = plan?.active && plan.carrier === ar.line.carrier;
    const spent = await monthSpend(ar.lineId, month);
    const overCap = !!plan && !withinCap(spent.amountMinor, plan.priceMinor, ar.capMinor);
    const state: ChargeState = !available ? 'gave_up' : overCap ? 'over_cap' : 'charging';
    let chargeId: string;
    try {
      chargeId = await db.$transaction(async (tx) => {
        const order = plan
          ? await tx.order.create({
              data: renewalOrderData({ userId: ar.userId, lineId: ar.lineId, plan, previousExpiresAt: expiresAt }),
            })
          : null;
        if (order)
          await recordOrderEvent(tx, {
            orderId: order.id,
            kind: 'drafted',
            detail: { plan: plan!.code, amountMinor: plan!.priceMinor, currency: plan!.currency, source: 'auto_renew' },
          });
        const charge = await tx.autoRenewCharge.create({
          data: {
            autoRenewId: ar.id,
            lineId: ar.lineId,
            periodKey: key,
            month,
            orderId: order?.id,
            amountMinor: plan?.priceMinor ?? 0,
            currency: plan?.currency ?? ar.currency,
            state,
            failureCode: available ? null : 'plan_unavailable',
          },
        });
        if (state === 'over_cap') {
          await enqueue(tx, {
            userId: ar.userId,
            kind: 'autorenew_over_cap',
            payload: { chargeId: charge.id, spentMinor: spent.amountMinor },
            dedupeKey: `autorenew:${key}:over_cap`,
          });
        } else if (state === 'gave_up') {
          await enqueue(tx, {
            userId: ar.userId,
            kind: 'autorenew_failed',
            payload: { chargeId: charge.id, reason: 'plan_unavailable', lineId: ar.lineId },
            dedupeKey: `autorenew:${key}:plan_unavailable`,
          });
        }
        return charge.id;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return; // another instance opened this period first
      throw error;
    }
    if (state === 'charging') await attempt(chargeId, 'new');
  }

  /**
   * One off-session attempt. `new`: the period was just opened; `retry`: after a refusal; `takeover`:
   * a dead instance's attempt, repeated with its idempotency key so Stripe answers as it did then.
   */
  async function attempt(chargeId: string, mode: 'new' | 'retry' | 'takeover', seen?: Date): Promise<void> {
    const charge = await db.autoRenewCharge.findUnique({
      where: { id: chargeId },
      include: { autoRenew: { include: { line: true, user: true } }, order: true },
    });
    if (!charge?.order) return;
    const { autoRenew: ar, order } = charge;
    const [lineId, expiresMs] = charge.periodKey.split(':') as [string, string];
    const expiresAt = new Date(Number(expiresMs));
    const stillWanted =
      ar.state === 'active' &&
      !!ar.paymentMethodId &&
      ar.line.expiresAt?.getTime() === expiresAt.getTime() &&
      !ar.line.unlinkedAt;

    let attemptNo = charge.attempts;
    if (mode === 'takeover') {
      const { count } = await db.autoRenewCharge.updateMany({
        where: { id: chargeId, state: 'charging', updatedAt: seen },
        data: { updatedAt: now() },
      });
      if (!count) return;
    }
    if (!stillWanted) {
      // Had Stripe charged a dead instance's attempt after all, its payment_intent.succeeded webhook settles it.
      await db.autoRenewCharge.updateMany({
        where: { id: chargeId, state: { in: RETRYABLE_CHARGE_STATES } },
        data: { state: 'superseded' },
      });
      if (mode === 'new') {
        // The traveller never saw this order.
        await moveOrder(db, order.id, { to: 'canceled', from: 'draft' });
      } else {
        // They may hold its Pay button (from a refusal): it still pays this period themselves.
        await handBack(order.id);
      }
      return;
    }
    // The budget holds at every attempt, the first and each retry: what was spent since (or a budget
    // lowered since) may leave no room for this one any more.
    if (mode !== 'takeover' || charge.attempts === 0) {
      const month = charge.month;
      const spent = await autoRenewSpend(db, lineId, month, chargeId);
      if (!withinCap(spent.amountMinor, order.amountMinor, ar.capMinor)) {
        await holdOverCap(chargeId, charge.periodKey, ar.userId, order.id, spent.amountMinor);
        return;
      }
    }
    // A takeover of an attempt that had reached Stripe repeats it with the same key; any other makes a new attempt.
    if (mode !== 'takeover' || charge.attempts === 0) {
      // The traveller may have opened the Pay link meanwhile: then the order is theirs to pay, not ours to charge.
      const claimed = await moveOrder(db, order.id, { to: 'awaiting_payment', from: 'draft' });
      // Awaiting payment with no payment page: claimed by an attempt of this job that died before it
      // reached Stripe (a failed write, a crash), so this one goes on with it.
      const ours =
        claimed.moved || (claimed.order?.state === 'awaiting_payment' && claimed.order.stripeSessionId === null);
      if (!ours) {
        await db.autoRenewCharge.updateMany({
          where: { id: chargeId, state: { in: RETRYABLE_CHARGE_STATES } },
          data: { state: 'on_session' },
        });
        return;
      }
      attemptNo = charge.attempts + 1;
      const from: ChargeState = mode === 'retry' ? 'action_required' : 'charging';
      const { count } = await db.autoRenewCharge.updateMany({
        where: { id: chargeId, state: from, attempts: charge.attempts },
        data: { state: 'charging', attempts: attemptNo, nextAttemptAt: null, updatedAt: now() },
      });
      if (!count) {
        await handBack(order.id);
        return;
      }
    }

    const customerId = ar.user.stripeCustomerId;
    let result: OffSessionResult;
    try {
      result =
        customerId && ar.paymentMethodId
          ? await payments.chargeOffSession({
              customerId,
              paymentMethodId: ar.paymentMethodId,
              price: { amountMinor: order.amountMinor, currency: order.currency },
              description: `Kuota auto-renew · •••• ${ar.line.identifier.slice(-4)}`,
              idempotencyKey: chargeIdempotencyKey(lineId, expiresAt, attemptNo),
              orderId: order.id,
              chargeId,
            })
          : { status: 'refused', paymentIntentId: null, code: 'no_customer' };
    } catch (error) {
      // Unknown whether Stripe charged: the charge stays "charging" and is repeated later with the same key.
      logger.warn(
        { err: error, chargeId },
        'auto-renew charge did not get an answer; it will be repeated with the same key',
      );
      return;
    }

    if (result.status === 'succeeded') {
      await settle(chargeId, order.id, result.paymentIntentId);
      return;
    }
    // A refusal of the request itself (a card removed from the Customer, say) would be refused again: this was the last try.
    const final = result.status === 'refused' || attemptNo >= options.maxAttempts;
    // Stripe's server error is replayed for this key: the next attempt (a new key) comes later, unannounced unless it was the last.
    const quiet = result.status === 'unavailable' && !final;
    await db.$transaction(async (tx) => {
      const { count } = await tx.autoRenewCharge.updateMany({
        where: { id: chargeId, state: 'charging', attempts: attemptNo },
        data: {
          state: final ? 'gave_up' : 'action_required',
          failureCode: result.code.slice(0, 60),
          paymentIntentId: result.paymentIntentId,
          nextAttemptAt: final ? null : nextAttemptAt(now(), expiresAt, options.retryMs),
        },
      });
      if (!count) return;
      await handBack(order.id, tx);
      if (quiet) return;
      await recordOrderEvent(tx, {
        orderId: order.id,
        kind: 'payment_failed',
        detail: { offSession: true, code: result.code.slice(0, 60), attempt: attemptNo },
      });
      await enqueue(tx, {
        userId: ar.userId,
        kind: 'autorenew_action_required',
        payload: { chargeId, reason: result.status, final, attempt: attemptNo },
        dedupeKey: `autorenew:${charge.periodKey}:attempt:${attemptNo}`,
      });
    });
  }

  /** Gives an order this job claimed back to the traveller's Pay button, unless they opened a payment page for it. */
  function handBack(orderId: string, tx: Db | Tx = db) {
    return moveOrder(tx, orderId, { to: 'draft', from: 'awaiting_payment', where: { stripeSessionId: null } });
  }

  /** Holds a period back for the budget: nothing is charged, and the traveller hears where the budget stands once. */
  async function holdOverCap(chargeId: string, key: string, userId: string, orderId: string, spentMinor: number) {
    await db.$transaction(async (tx) => {
      const { count } = await tx.autoRenewCharge.updateMany({
        where: { id: chargeId, state: { in: RETRYABLE_CHARGE_STATES } },
        data: { state: 'over_cap', nextAttemptAt: null },
      });
      if (!count) return;
      await handBack(orderId, tx);
      await enqueue(tx, {
        userId,
        kind: 'autorenew_over_cap',
        payload: { chargeId, spentMinor },
        dedupeKey: `autorenew:${key}:over_cap`,
      });
    });
  }

  /** The card was charged: the order is paid and goes to fulfilment (receipt included). */
  async function settle(chargeId: string, orderId: string, paymentIntentId: string): Promise<boolean> {
    const paid = await db.$transaction(async (tx) => {
      await tx.autoRenewCharge.updateMany({
        where: { id: chargeId, state: { not: 'succeeded' } },
        data: { state: 'succeeded', paymentIntentId, nextAttemptAt: null },
      });
      const order = await tx.order.findUniqueOrThrow({ where: { id: orderId } });
      await recordMovement(tx, {
        processor: 'stripe',
        kind: 'payment',
        externalId: paymentIntentId,
        orderId,
        method: 'card',
        amountMinor: order.amountMinor,
        currency: order.currency,
        occurredAt: now(),
      });
      const { moved } = await moveOrder(tx, orderId, {
        to: 'paid',
        from: OPEN_STATES,
        data: { paidAt: now(), paidWith: 'stripe', stripePaymentIntentId: paymentIntentId },
      });
      if (!moved) return false;
      // The traveller may hold this order's Pay button (from a refusal or the budget): it says the order is paid now.
      await queueSummaryUpdate(tx, order, 'paid');
      await recordOrderEvent(tx, { orderId, kind: 'payment_paid', detail: { paymentIntentId, offSession: true } });
      return true;
    });
    if (paid) deps.onPaid(orderId);
    return paid;
  }

  async function dueAutoRenews(at: Date): Promise<string[]> {
    const byTime = await db.autoRenew.findMany({
      // A line renewed by a Stars subscription is renewed by Telegram, never by the card job.
      // starsChargeId: a line with a Stars subscription is renewed by Telegram, never by this job.
      where: {
        state: 'active',
        starsChargeId: null,
        line: {
          unlinkedAt: null,
          expiresAt: { gt: new Date(at.getTime() - LATE_RENEWAL_MS), lte: new Date(at.getTime() + options.leadMs) },
        },
      },
      select: { id: true },
      take: BATCH,
    });
    const ids = byTime.map((a) => a.id);
    if (!usage) return ids;
    const byData = await db.autoRenew.findMany({
      where: {
        state: 'active',
        starsChargeId: null,
        trigger: 'low_data',
        line: { unlinkedAt: null, expiresAt: { gt: new Date(at.getTime() + options.leadMs) } },
      },
      include: { line: true },
      take: BATCH,
    });
    for (const ar of byData) {
      // The provider's report, at most as fresh as the usage cache allows (Airalo rate-limits it per eSIM).
      const remainingMb = (await usage.current(ar.lineId).catch(() => null))?.remainingMb ?? null;
      if (
        isDue({
          expiresAt: ar.line.expiresAt!,
          now: at,
          leadMs: options.leadMs,
          trigger: 'low_data',
          lowDataMb: ar.lowDataMb,
          remainingMb,
        })
      )
        ids.push(ar.id);
    }
    return ids;
  }

  /**
   * Once a traveller's month is over (in their timezone), what auto-renew spent in it, per line:
   * one message per traveller and month, after their quiet hours.
   */
  async function queueMonthlySummaries(at: Date): Promise<void> {
    const recent = await db.autoRenewCharge.findMany({
      where: { state: 'succeeded', createdAt: { gt: new Date(at.getTime() - 45 * 86_400_000) } },
      select: {
        month: true,
        autoRenew: { select: { user: { select: { id: true, timezone: true, quietStart: true, quietEnd: true } } } },
      },
    });
    const done = new Set<string>();
    for (const charge of recent) {
      const user = charge.autoRenew.user;
      const finished = previousMonth(monthOf(at, user.timezone));
      const key = `autorenew:summary:${user.id}:${finished}`;
      if (charge.month !== finished || done.has(key)) continue;
      done.add(key);
      const sendAt = quietHoursEnd(at, user.timezone, user.quietStart, user.quietEnd) ?? at;
      await db.outboxMessage
        .create({
          data: {
            userId: user.id,
            kind: 'autorenew_monthly',
            payload: { month: finished },
            dedupeKey: key,
            nextAttemptAt: sendAt,
          },
        })
        .catch((error) => {
          if (!isUniqueViolation(error)) throw error;
        });
    }
  }

  return {
    monthSpend,
    settle,

    /** Opens due periods, retries refused ones, takes over a dead instance's charge, sums up finished months. */
    async tick(): Promise<{ ran: boolean; due: number; retries: number }> {
      const lease = await deps.leases.acquire(LEASE, 60_000);
      if (!lease) return { ran: false, due: 0, retries: 0 };
      const at = now();
      const due = await dueAutoRenews(at);
      for (const id of due)
        await startPeriod(id).catch((err) => logger.error({ err, autoRenewId: id }, 'auto-renew period failed'));
      const retries = await db.autoRenewCharge.findMany({
        where: { state: 'action_required', nextAttemptAt: { lte: at } },
        select: { id: true },
        take: BATCH,
      });
      for (const c of retries)
        await attempt(c.id, 'retry').catch((err) => logger.error({ err, chargeId: c.id }, 'auto-renew retry failed'));
      const stale = await db.autoRenewCharge.findMany({
        where: { state: 'charging', updatedAt: { lt: new Date(at.getTime() - options.staleChargeMs) } },
        select: { id: true, updatedAt: true },
        take: BATCH,
      });
      for (const c of stale)
        await attempt(c.id, 'takeover', c.updatedAt).catch((err) =>
          logger.error({ err, chargeId: c.id }, 'auto-renew takeover failed'),
        );
      await queueMonthlySummaries(at);
      await deps.leases.finished(LEASE, at);
      return { ran: true, due: due.length, retries: retries.length + stale.length };
    },
  };
}

export type AutoRenewJob = ReturnType<typeof createAutoRenewJob>;
