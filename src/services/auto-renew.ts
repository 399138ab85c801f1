import {
  chargeIdempotencyKey, isDue, LATE_RENEWAL_MS, monthOf, nextAttemptAt, periodKey, previousMonth, SPENDING_STATES, withinCap,
  type AutoRenewState, type ChargeState, type Trigger,
} from '../domain/auto-renew.js';
import type { Money } from '../domain/money.js';
import { quietHoursEnd } from '../domain/reminders.js';
import type { PlanView } from '../domain/plan.js';
import type { CatalogService } from './catalog.js';
import { isUniqueViolation } from './db-errors.js';
import type { ServiceDeps } from './deps.js';
import type { Leases } from './leases.js';
import { enqueue } from './outbox.js';
import type { AutoRenewEvent } from './payment-gateway.js';

const LEASE = 'auto-renew';
const BATCH = 200;

export type AutoRenewOptions = {
  /** How long before expiry the card is charged. */
  leadMs: number;
  /** Off-session attempts per expiry period before auto-renew stops trying. */
  maxAttempts: number;
  retryMs: number;
  /** A charge left "charging" this long belongs to an instance that died; another takes it over. */
  staleChargeMs: number;
  setupMinutes: number;
};

export type AutoRenewSettings = { planCode: string; capMinor: number; trigger: Trigger; lowDataMb: number | null };

export type AutoRenewView = {
  lineId: string;
  state: AutoRenewState;
  plan: PlanView | null;
  cap: Money;
  trigger: Trigger;
  lowDataMb: number | null;
  card: { brand: string; last4: string } | null;
  spent: Money;
};

export type MonthlySpend = { lineId: string; identifier: string; label: string | null; month: string; spent: Money; cap: Money | null; renewals: number };

export type ConfigureResult = { ok: true; state: AutoRenewState; needsCard: boolean } | { ok: false; reason: 'line_not_found' | 'plan_unavailable' | 'below_price' };

export type CardLinkResult = { ok: true; url: string; expiresAt: Date } | { ok: false; reason: 'not_found' | 'payment_unavailable' };

export type EventOutcome = 'applied' | 'duplicate' | 'ignored' | 'no_change';

/**
 * Auto-renew: settings per line, the saved card, and the job that charges it before expiry.
 * At most one charge per line per expiry period holds through a unique period key, a conditional
 * claim of the order before Stripe is called, and one Stripe idempotency key per attempt.
 */
export function createAutoRenewService(deps: ServiceDeps & { catalog: CatalogService; leases: Leases; options: AutoRenewOptions; onPaid: (orderId: string) => void }) {
  const { db, payments, provider, logger, now, catalog, options } = deps;

  async function monthSpend(lineId: string, month: string): Promise<{ amountMinor: number; renewals: number }> {
    const charges = await db.autoRenewCharge.findMany({
      where: { lineId, month, state: { in: SPENDING_STATES }, order: { is: { state: { not: 'refunded' } } } },
      select: { amountMinor: true },
    });
    return { amountMinor: charges.reduce((sum, c) => sum + c.amountMinor, 0), renewals: charges.length };
  }

  async function customerFor(userId: string): Promise<string> {
    const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
    if (user.stripeCustomerId) return user.stripeCustomerId;
    // The user id is Stripe's idempotency key: two taps at once still make one Customer.
    const customerId = await payments.createCustomer(userId);
    await db.user.updateMany({ where: { id: userId, stripeCustomerId: null }, data: { stripeCustomerId: customerId } });
    return customerId;
  }

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
        const order = plan ? await tx.order.create({
          data: { userId: ar.userId, lineId: ar.lineId, planId: plan.id, amountMinor: plan.priceMinor, currency: plan.currency, state: 'draft', source: 'auto_renew', previousExpiresAt: expiresAt },
        }) : null;
        const charge = await tx.autoRenewCharge.create({
          data: {
            autoRenewId: ar.id, lineId: ar.lineId, periodKey: key, month, orderId: order?.id, amountMinor: plan?.priceMinor ?? 0, currency: plan?.currency ?? ar.currency,
            state, failureCode: available ? null : 'plan_unavailable',
          },
        });
        if (state === 'over_cap') {
          await enqueue(tx, { userId: ar.userId, kind: 'autorenew_over_cap', payload: { chargeId: charge.id, spentMinor: spent.amountMinor }, dedupeKey: `autorenew:${key}:over_cap` });
        } else if (state === 'gave_up') {
          await enqueue(tx, { userId: ar.userId, kind: 'autorenew_failed', payload: { chargeId: charge.id, reason: 'plan_unavailable', lineId: ar.lineId }, dedupeKey: `autorenew:${key}:plan_unavailable` });
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
    const charge = await db.autoRenewCharge.findUnique({ where: { id: chargeId }, include: { autoRenew: { include: { line: true, user: true } }, order: true } });
    if (!charge?.order) return;
    const { autoRenew: ar, order } = charge;
    const [lineId, expiresMs] = charge.periodKey.split(':') as [string, string];
    const expiresAt = new Date(Number(expiresMs));
    const stillWanted = ar.state === 'active' && !!ar.paymentMethodId && ar.line.expiresAt?.getTime() === expiresAt.getTime() && !ar.line.unlinkedAt;

    let attemptNo = charge.attempts;
    if (mode === 'takeover') {
      const { count } = await db.autoRenewCharge.updateMany({ where: { id: chargeId, state: 'charging', updatedAt: seen }, data: { updatedAt: now() } });
      if (!count) return;
    }
    if (!stillWanted) {
      // Had Stripe charged a dead instance's attempt after all, its payment_intent.succeeded webhook settles it.
      await db.autoRenewCharge.updateMany({ where: { id: chargeId, state: { in: ['charging', 'action_required'] } }, data: { state: 'superseded' } });
      // Paused or switched off: the Pay button the traveller may hold still pays this period themselves.
      await db.order.updateMany({ where: { id: order.id, state: 'awaiting_payment', stripeSessionId: null }, data: { state: mode === 'new' ? 'canceled' : 'draft' } });
      if (mode === 'new') await db.order.updateMany({ where: { id: order.id, state: 'draft' }, data: { state: 'canceled' } });
      return;
    }
    // A takeover of an attempt that had reached Stripe repeats it with the same key; any other makes a new attempt.
    if (mode !== 'takeover' || charge.attempts === 0) {
      // The traveller may have opened the Pay link meanwhile: then the order is theirs to pay, not ours to charge.
      const claimed = await db.order.updateMany({ where: { id: order.id, state: 'draft' }, data: { state: 'awaiting_payment' } });
      if (!claimed.count) {
        await db.autoRenewCharge.updateMany({ where: { id: chargeId, state: { in: ['charging', 'action_required'] } }, data: { state: 'on_session' } });
        return;
      }
      attemptNo = charge.attempts + 1;
      const from: ChargeState = mode === 'retry' ? 'action_required' : 'charging';
      const { count } = await db.autoRenewCharge.updateMany({ where: { id: chargeId, state: from, attempts: charge.attempts }, data: { state: 'charging', attempts: attemptNo, nextAttemptAt: null, updatedAt: now() } });
      if (!count) {
        await db.order.updateMany({ where: { id: order.id, state: 'awaiting_payment', stripeSessionId: null }, data: { state: 'draft' } });
        return;
      }
    }

    const customerId = ar.user.stripeCustomerId;
    if (!customerId || !ar.paymentMethodId) return;
    let result;
    try {
      result = await payments.chargeOffSession({
        customerId, paymentMethodId: ar.paymentMethodId, price: { amountMinor: order.amountMinor, currency: order.currency },
        description: `Kuota auto-renew · •••• ${ar.line.identifier.slice(-4)}`, idempotencyKey: chargeIdempotencyKey(lineId, expiresAt, attemptNo),
        orderId: order.id, chargeId,
      });
    } catch (error) {
      // Unknown whether Stripe charged: the charge stays "charging" and is repeated later with the same key.
      logger.warn({ err: error, chargeId }, 'auto-renew charge did not get an answer; it will be repeated with the same key');
      return;
    }

    if (result.status === 'succeeded') {
      await settle(chargeId, order.id, result.paymentIntentId);
      return;
    }
    const final = attemptNo >= options.maxAttempts;
    await db.$transaction(async (tx) => {
      const { count } = await tx.autoRenewCharge.updateMany({
        where: { id: chargeId, state: 'charging', attempts: attemptNo },
        data: { state: final ? 'gave_up' : 'action_required', failureCode: result.code.slice(0, 60), paymentIntentId: result.paymentIntentId, nextAttemptAt: final ? null : nextAttemptAt(now(), expiresAt, options.retryMs) },
      });
      if (!count) return;
      await tx.order.updateMany({ where: { id: order.id, state: 'awaiting_payment', stripeSessionId: null }, data: { state: 'draft' } });
      await enqueue(tx, {
        userId: ar.userId, kind: 'autorenew_action_required',
        payload: { chargeId, reason: result.status, final, attempt: attemptNo },
        dedupeKey: `autorenew:${charge.periodKey}:attempt:${attemptNo}`,
      });
    });
  }

  /** The card was charged: the order is paid and goes to fulfilment (receipt included). */
  async function settle(chargeId: string, orderId: string, paymentIntentId: string): Promise<boolean> {
    const paid = await db.$transaction(async (tx) => {
      await tx.autoRenewCharge.updateMany({ where: { id: chargeId, state: { not: 'succeeded' } }, data: { state: 'succeeded', paymentIntentId, nextAttemptAt: null } });
      const { count } = await tx.order.updateMany({ where: { id: orderId, state: { in: ['draft', 'awaiting_payment'] } }, data: { state: 'paid', paidAt: now(), stripePaymentIntentId: paymentIntentId } });
      return count === 1;
    });
    if (paid) deps.onPaid(orderId);
    return paid;
  }

  async function dueAutoRenews(at: Date): Promise<string[]> {
    const byTime = await db.autoRenew.findMany({
      where: { state: 'active', line: { unlinkedAt: null, expiresAt: { gt: new Date(at.getTime() - LATE_RENEWAL_MS), lte: new Date(at.getTime() + options.leadMs) } } },
      select: { id: true }, take: BATCH,
    });
    const ids = byTime.map((a) => a.id);
    if (!provider.remainingDataMb) return ids;
    const byData = await db.autoRenew.findMany({
      where: { state: 'active', trigger: 'low_data', line: { unlinkedAt: null, expiresAt: { gt: new Date(at.getTime() + options.leadMs) } } },
      include: { line: true }, take: BATCH,
    });
    for (const ar of byData) {
      const remainingMb = await provider.remainingDataMb(ar.line.identifier, ar.line.kind as 'msisdn' | 'iccid').catch(() => null);
      if (isDue({ expiresAt: ar.line.expiresAt!, now: at, leadMs: options.leadMs, trigger: 'low_data', lowDataMb: ar.lowDataMb, remainingMb })) ids.push(ar.id);
    }
    return ids;
  }

  return {
    usageReported: typeof provider.remainingDataMb === 'function',
    leadHours: options.leadMs / 3_600_000,

    async view(userId: string, lineId: string): Promise<AutoRenewView | null> {
      const ar = await db.autoRenew.findFirst({ where: { lineId, userId }, include: { user: true } });
      if (!ar) return null;
      const spent = await monthSpend(lineId, monthOf(now(), ar.user.timezone));
      return {
        lineId, state: ar.state as AutoRenewState, plan: await catalog.byCode(ar.planCode), cap: { amountMinor: ar.capMinor, currency: ar.currency },
        trigger: ar.trigger as Trigger, lowDataMb: ar.lowDataMb, card: ar.cardBrand && ar.cardLast4 ? { brand: ar.cardBrand, last4: ar.cardLast4 } : null,
        spent: { amountMinor: spent.amountMinor, currency: ar.currency },
      };
    },

    /** Saves the traveller's choices; a line with no card yet waits for one. */
    async configure(userId: string, lineId: string, settings: AutoRenewSettings): Promise<ConfigureResult> {
      const line = await db.line.findFirst({ where: { id: lineId, userId, unlinkedAt: null } });
      if (!line) return { ok: false, reason: 'line_not_found' };
      const plan = await db.plan.findUnique({ where: { code: settings.planCode } });
      if (!plan?.active || plan.carrier !== line.carrier) return { ok: false, reason: 'plan_unavailable' };
      if (settings.capMinor < plan.priceMinor) return { ok: false, reason: 'below_price' };
      const data = { planCode: plan.code, capMinor: settings.capMinor, currency: plan.currency, trigger: settings.trigger, lowDataMb: settings.trigger === 'low_data' ? settings.lowDataMb : null };
      const existing = await db.autoRenew.findUnique({ where: { lineId } });
      const state: AutoRenewState = !existing?.paymentMethodId ? 'pending_card' : existing.state === 'paused' ? 'paused' : 'active';
      await db.autoRenew.upsert({ where: { lineId }, create: { lineId, userId, state, ...data }, update: { state, ...data } });
      // A period held back by the old cap gets another look with the new one.
      await db.autoRenewCharge.updateMany({ where: { lineId, state: 'over_cap', order: { is: { state: 'draft' } } }, data: { state: 'action_required', nextAttemptAt: now() } });
      return { ok: true, state, needsCard: state === 'pending_card' };
    },

    /**
     * The Checkout page (setup mode) that saves a card. The same link while it is valid, so a double
     * tap opens one page; `replace` asks for a new card even when one is saved.
     */
    async cardLink(userId: string, lineId: string, locale: string): Promise<CardLinkResult> {
      const ar = await db.autoRenew.findFirst({ where: { lineId, userId, state: { not: 'off' } } });
      if (!ar) return { ok: false, reason: 'not_found' };
      const at = now();
      if (ar.setupUrl && ar.setupExpiresAt && ar.setupExpiresAt.getTime() > at.getTime() + 5 * 60_000) return { ok: true, url: ar.setupUrl, expiresAt: ar.setupExpiresAt };
      let checkout;
      try {
        const customerId = await customerFor(userId);
        checkout = await payments.createCardSetup({ customerId, autoRenewId: ar.id, attempt: at.getTime(), locale, expiresAt: new Date(at.getTime() + options.setupMinutes * 60_000) });
      } catch (error) {
        logger.error({ err: error, lineId }, 'card setup session could not be created');
        return { ok: false, reason: 'payment_unavailable' };
      }
      const { count } = await db.autoRenew.updateMany({
        where: { id: ar.id, setupSessionId: ar.setupSessionId },
        data: { setupSessionId: checkout.sessionId, setupUrl: checkout.url, setupExpiresAt: checkout.expiresAt },
      });
      if (!count) return this.cardLink(userId, lineId, locale);
      return { ok: true, url: checkout.url, expiresAt: checkout.expiresAt };
    },

    async setState(userId: string, lineId: string, to: 'active' | 'paused'): Promise<boolean> {
      const from = to === 'active' ? 'paused' : 'active';
      const { count } = await db.autoRenew.updateMany({ where: { lineId, userId, state: from }, data: { state: to } });
      return count === 1;
    },

    /** Stops auto-renew for the line and detaches its card from the Customer. */
    async switchOff(userId: string, lineId: string): Promise<boolean> {
      const ar = await db.autoRenew.findFirst({ where: { lineId, userId, state: { not: 'off' } } });
      if (!ar) return false;
      const { count } = await db.autoRenew.updateMany({
        where: { id: ar.id, state: { not: 'off' } },
        data: { state: 'off', paymentMethodId: null, cardBrand: null, cardLast4: null, setupSessionId: null, setupUrl: null, setupExpiresAt: null },
      });
      if (!count) return false;
      await db.autoRenewCharge.updateMany({ where: { autoRenewId: ar.id, state: { in: ['action_required', 'over_cap'] } }, data: { state: 'superseded' } });
      if (ar.paymentMethodId) await payments.detachCard(ar.paymentMethodId).catch((err) => logger.error({ err, lineId }, 'card could not be detached'));
      return true;
    },

    /** What auto-renew spent, per line, in the given months (default: the traveller's current and previous one). */
    async monthlySpend(userId: string, months?: string[]): Promise<MonthlySpend[]> {
      const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
      const current = monthOf(now(), user.timezone);
      const lines = await db.line.findMany({ where: { userId, autoRenew: { isNot: null } }, include: { autoRenew: true }, orderBy: { createdAt: 'asc' } });
      const rows: MonthlySpend[] = [];
      for (const month of months ?? [current, previousMonth(current)]) {
        for (const line of lines) {
          const spent = await monthSpend(line.id, month);
          const ar = line.autoRenew!;
          rows.push({
            lineId: line.id, identifier: line.identifier, label: line.label, month, renewals: spent.renewals,
            spent: { amountMinor: spent.amountMinor, currency: ar.currency }, cap: ar.state === 'off' ? null : { amountMinor: ar.capMinor, currency: ar.currency },
          });
        }
      }
      return rows;
    },

    /** A saved card (Checkout in setup mode completed) or an off-session charge's webhook. */
    async handle(event: AutoRenewEvent): Promise<EventOutcome> {
      if (await db.processedEvent.findUnique({ where: { source_eventId: { source: 'stripe', eventId: event.id } } })) return 'duplicate';
      if (event.kind === 'charge_succeeded') {
        const charge = await db.autoRenewCharge.findUnique({ where: { id: event.chargeId } });
        if (!charge || charge.orderId !== event.orderId) return 'ignored';
        const paid = await settle(charge.id, event.orderId, event.paymentIntentId);
        return remember(event.id, paid ? 'applied' : 'no_change');
      }
      const ar = await db.autoRenew.findUnique({ where: { id: event.autoRenewId } });
      // A page left open from before the card was replaced, or auto-renew switched off since: not this one.
      if (!ar || ar.setupSessionId !== event.sessionId || ar.state === 'off') return remember(event.id, 'ignored');
      if (ar.setupUrl === null && ar.paymentMethodId) return remember(event.id, 'no_change');
      const card = await payments.savedCard(event.setupIntentId);
      const outcome = await db.$transaction(async (tx) => {
        const { count } = await tx.autoRenew.updateMany({
          where: { id: ar.id, setupSessionId: event.sessionId, state: { not: 'off' } },
          data: { paymentMethodId: card.paymentMethodId, cardBrand: card.brand, cardLast4: card.last4, setupUrl: null, setupExpiresAt: null, state: ar.state === 'pending_card' ? 'active' : ar.state },
        });
        if (!count) return 'no_change' as const;
        await enqueue(tx, { userId: ar.userId, kind: 'autorenew_card_saved', payload: { lineId: ar.lineId }, dedupeKey: `autorenew:card:${event.sessionId}` });
        return 'applied' as const;
      });
      if (outcome === 'applied' && ar.paymentMethodId && ar.paymentMethodId !== card.paymentMethodId) {
        await payments.detachCard(ar.paymentMethodId).catch((err) => logger.error({ err, lineId: ar.lineId }, 'replaced card could not be detached'));
      }
      return remember(event.id, outcome);
    },

    /** The renewal job: opens due periods, retries refused ones, takes over a dead instance's charge. */
    async tick(): Promise<{ ran: boolean; due: number; retries: number }> {
      const lease = await deps.leases.acquire(LEASE, 60_000);
      if (!lease) return { ran: false, due: 0, retries: 0 };
      const at = now();
      const due = await dueAutoRenews(at);
      for (const id of due) await startPeriod(id).catch((err) => logger.error({ err, autoRenewId: id }, 'auto-renew period failed'));
      const retries = await db.autoRenewCharge.findMany({ where: { state: 'action_required', nextAttemptAt: { lte: at } }, select: { id: true }, take: BATCH });
      for (const c of retries) await attempt(c.id, 'retry').catch((err) => logger.error({ err, chargeId: c.id }, 'auto-renew retry failed'));
      const stale = await db.autoRenewCharge.findMany({ where: { state: 'charging', updatedAt: { lt: new Date(at.getTime() - options.staleChargeMs) } }, select: { id: true, updatedAt: true }, take: BATCH });
      for (const c of stale) await attempt(c.id, 'takeover', c.updatedAt).catch((err) => logger.error({ err, chargeId: c.id }, 'auto-renew takeover failed'));
      await queueMonthlySummaries(at);
      await deps.leases.finished(LEASE, at);
      return { ran: true, due: due.length, retries: retries.length + stale.length };
    },
  };

  /**
   * Once a traveller's month is over (in their timezone), what auto-renew spent in it, per line:
   * one message per traveller and month, after their quiet hours.
   */
  async function queueMonthlySummaries(at: Date): Promise<void> {
    const recent = await db.autoRenewCharge.findMany({
      where: { state: 'succeeded', createdAt: { gt: new Date(at.getTime() - 45 * 86_400_000) } },
      select: { month: true, autoRenew: { select: { user: { select: { id: true, timezone: true, quietStart: true, quietEnd: true } } } } },
    });
    const done = new Set<string>();
    for (const charge of recent) {
      const user = charge.autoRenew.user;
      const finished = previousMonth(monthOf(at, user.timezone));
      const key = `autorenew:summary:${user.id}:${finished}`;
      if (charge.month !== finished || done.has(key)) continue;
      done.add(key);
      const sendAt = quietHoursEnd(at, user.timezone, user.quietStart, user.quietEnd) ?? at;
      await db.outboxMessage.create({ data: { userId: user.id, kind: 'autorenew_monthly', payload: { month: finished }, dedupeKey: key, nextAttemptAt: sendAt } }).catch((error) => {
        if (!isUniqueViolation(error)) throw error;
      });
    }
  }

  async function remember(eventId: string, outcome: EventOutcome): Promise<EventOutcome> {
    try {
      await db.processedEvent.create({ data: { source: 'stripe', eventId } });
    } catch (error) {
      if (isUniqueViolation(error)) return 'duplicate';
      throw error;
    }
    return outcome;
  }
}

export type AutoRenewService = ReturnType<typeof createAutoRenewService>;
