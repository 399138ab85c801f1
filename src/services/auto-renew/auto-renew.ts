import { monthOf, previousMonth, type AutoRenewState, type Trigger } from '../../domain/auto-renew.js';
import type { Money } from '../../domain/money.js';
import type { PlanView } from '../../domain/plan.js';
import { createAutoRenewJob, type AutoRenewJobOptions } from './job.js';
import type { CatalogService } from '../catalog/catalog.js';
import { isUniqueViolation } from '../db-errors.js';
import type { ServiceDeps } from '../deps.js';
import type { Leases } from '../leases.js';
import type { UsageService } from '../usage/usage.js';
import { enqueue } from '../outbox.js';
import { cancelStarsSubscription } from '../stars/subscriptions.js';
import type { AutoRenewEvent } from '../ports/payment-gateway.js';

export type AutoRenewOptions = AutoRenewJobOptions & { setupMinutes: number };

export type AutoRenewSettings = { planCode: string; capMinor: number; trigger: Trigger; lowDataMb: number | null };

export type AutoRenewView = {
  lineId: string;
  state: AutoRenewState;
  plan: PlanView | null;
  cap: Money;
  trigger: Trigger;
  lowDataMb: number | null;
  card: { brand: string; last4: string } | null;
  /** Renewed by a Telegram Stars subscription of this many Stars every 30 days, instead of a card. */
  starsSubscription: number | null;
  spent: Money;
};

export type MonthlySpend = {
  lineId: string;
  identifier: string;
  label: string | null;
  month: string;
  spent: Money;
  cap: Money | null;
  renewals: number;
};

export type ConfigureResult =
  | { ok: true; state: AutoRenewState; needsCard: boolean }
  | { ok: false; reason: 'line_not_found' | 'plan_unavailable' | 'below_price' | 'subscription_not_cancelled' };

export type CardLinkResult =
  { ok: true; url: string; expiresAt: Date } | { ok: false; reason: 'not_found' | 'payment_unavailable' };

export type EventOutcome = 'applied' | 'duplicate' | 'ignored' | 'no_change';

/** Auto-renew as the traveller manages it: settings per line, the saved card, what it spent; and its job. */
export function createAutoRenewService(
  deps: ServiceDeps & {
    catalog: CatalogService;
    leases: Leases;
    usage?: UsageService;
    options: AutoRenewOptions;
    onPaid: (orderId: string) => void;
  },
) {
  const { db, payments, provider, logger, now, catalog, options } = deps;
  const job = createAutoRenewJob(deps);
  const { monthSpend, settle } = job;

  async function customerFor(userId: string): Promise<string> {
    const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
    if (user.stripeCustomerId) return user.stripeCustomerId;
    // The user id is Stripe's idempotency key: two taps at once still make one Customer.
    const customerId = await payments.createCustomer(userId);
    await db.user.updateMany({ where: { id: userId, stripeCustomerId: null }, data: { stripeCustomerId: customerId } });
    return customerId;
  }

  return {
    /** Whether lines of this kind report usage, so auto-renew can also fire on low data. */
    usageReported: (kind: string) =>
      provider.reportsUsage?.(kind as 'msisdn' | 'iccid') ?? typeof provider.usage === 'function',
    leadHours: options.leadMs / 3_600_000,

    async view(userId: string, lineId: string): Promise<AutoRenewView | null> {
      // Most lines have no auto-renew: the traveller is read only for one that has (an include reads it always).
      const ar = await db.autoRenew.findFirst({ where: { lineId, userId } });
      if (!ar) return null;
      const { timezone } = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { timezone: true } });
      const spent = await monthSpend(lineId, monthOf(now(), timezone));
      return {
        lineId,
        state: ar.state as AutoRenewState,
        plan: await catalog.byCode(ar.planCode),
        cap: { amountMinor: ar.capMinor, currency: ar.currency },
        trigger: ar.trigger as Trigger,
        lowDataMb: ar.lowDataMb,
        card: ar.cardBrand && ar.cardLast4 ? { brand: ar.cardBrand, last4: ar.cardLast4 } : null,
        starsSubscription: ar.starsChargeId ? ar.starsAmount : null,
        spent: { amountMinor: spent.amountMinor, currency: ar.currency },
      };
    },

    /** Saves the traveller's choices; a line with no card yet waits for one. */
    async configure(userId: string, lineId: string, settings: AutoRenewSettings): Promise<ConfigureResult> {
      const line = await db.line.findFirst({ where: { id: lineId, userId, unlinkedAt: null } });
      if (!line) return { ok: false, reason: 'line_not_found' };
      const plan = await db.plan.findUnique({ where: { code: settings.planCode } });
      if (!plan?.active || plan.carrier !== line.carrier) return { ok: false, reason: 'plan_unavailable' };
      if (!Number.isSafeInteger(settings.capMinor) || settings.capMinor < plan.priceMinor)
        return { ok: false, reason: 'below_price' };
      const data = {
        planCode: plan.code,
        capMinor: settings.capMinor,
        currency: plan.currency,
        trigger: settings.trigger,
        lowDataMb: settings.trigger === 'low_data' ? settings.lowDataMb : null,
      };
      const existing = await db.autoRenew.findUnique({ where: { lineId } });
      // A Stars subscription renews the plan it was bought for, at its price: another plan needs a new one.
      const keepsStars = !!existing?.starsChargeId && existing.planCode === plan.code;
      const paysItself = !!existing?.paymentMethodId || keepsStars;
      const state: AutoRenewState = !paysItself ? 'pending_card' : existing.state === 'paused' ? 'paused' : 'active';
      // The subscription ends before the plan changes: a renewal Telegram still sends would otherwise buy
      // the new plan at the old price. If Telegram cannot be reached, nothing changes and the traveller tries again.
      if (existing?.starsChargeId && !keepsStars && !(await cancelStarsSubscription(deps, existing.id)))
        return { ok: false, reason: 'subscription_not_cancelled' };
      await db.autoRenew.upsert({
        where: { lineId },
        create: { lineId, userId, state, ...data },
        update: { state, ...data },
      });
      // A period held back by the old cap gets another look with the new one.
      await db.autoRenewCharge.updateMany({
        where: { lineId, state: 'over_cap', order: { is: { state: 'draft' } } },
        data: { state: 'action_required', nextAttemptAt: now() },
      });
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
      if (ar.setupUrl && ar.setupExpiresAt && ar.setupExpiresAt.getTime() > at.getTime() + 5 * 60_000)
        return { ok: true, url: ar.setupUrl, expiresAt: ar.setupExpiresAt };
      let checkout;
      try {
        const customerId = await customerFor(userId);
        checkout = await payments.createCardSetup({
          customerId,
          autoRenewId: ar.id,
          attempt: at.getTime(),
          locale,
          expiresAt: new Date(at.getTime() + options.setupMinutes * 60_000),
        });
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
        data: {
          state: 'off',
          paymentMethodId: null,
          cardBrand: null,
          cardLast4: null,
          setupSessionId: null,
          setupUrl: null,
          setupExpiresAt: null,
        },
      });
      if (!count) return false;
      await cancelStarsSubscription(deps, ar.id);
      await db.autoRenewCharge.updateMany({
        where: { autoRenewId: ar.id, state: { in: ['action_required', 'over_cap'] } },
        data: { state: 'superseded' },
      });
      if (ar.paymentMethodId)
        await payments
          .detachCard(ar.paymentMethodId)
          .catch((err) => logger.error({ err, lineId }, 'card could not be detached'));
      return true;
    },

    /** What auto-renew spent, per line, in the given months (default: the traveller's current and previous one). */
    async monthlySpend(userId: string, months?: string[]): Promise<MonthlySpend[]> {
      const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
      const current = monthOf(now(), user.timezone);
      const lines = await db.line.findMany({
        where: { userId, autoRenew: { isNot: null } },
        include: { autoRenew: true },
        orderBy: { createdAt: 'asc' },
      });
      const rows: MonthlySpend[] = [];
      for (const month of months ?? [current, previousMonth(current)]) {
        for (const line of lines) {
          const spent = await monthSpend(line.id, month);
          const ar = line.autoRenew!;
          rows.push({
            lineId: line.id,
            identifier: line.identifier,
            label: line.label,
            month,
            renewals: spent.renewals,
            spent: { amountMinor: spent.amountMinor, currency: ar.currency },
            cap: ar.state === 'off' ? null : { amountMinor: ar.capMinor, currency: ar.currency },
          });
        }
      }
      return rows;
    },

    /** A saved card (Checkout in setup mode completed) or an off-session charge's webhook. */
    async handle(event: AutoRenewEvent): Promise<EventOutcome> {
      if (await db.processedEvent.findUnique({ where: { source_eventId: { source: 'stripe', eventId: event.id } } }))
        return 'duplicate';
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
          data: {
            paymentMethodId: card.paymentMethodId,
            cardBrand: card.brand,
            cardLast4: card.last4,
            setupUrl: null,
            setupExpiresAt: null,
            state: ar.state === 'pending_card' ? 'active' : ar.state,
          },
        });
        if (!count) return 'no_change' as const;
        await enqueue(tx, {
          userId: ar.userId,
          kind: 'autorenew_card_saved',
          payload: { lineId: ar.lineId },
          dedupeKey: `autorenew:card:${event.sessionId}`,
        });
        return 'applied' as const;
      });
      if (outcome === 'applied' && ar.paymentMethodId && ar.paymentMethodId !== card.paymentMethodId) {
        await payments
          .detachCard(ar.paymentMethodId)
          .catch((err) => logger.error({ err, lineId: ar.lineId }, 'replaced card could not be detached'));
      }
      return remember(event.id, outcome);
    },

    /** The renewal job (see auto-renew-job.ts). */
    tick: job.tick,
  };

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
