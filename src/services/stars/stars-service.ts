import { monthOf, withinCap } from '../../domain/auto-renew.js';
import { OPEN_STATES, orderNumber } from '../../domain/order-state.js';
import { orderPayload, starsPriceOf, subscriptionPayload } from '../../domain/stars.js';
import type { Money } from '../../domain/money.js';
import type { ServiceDeps } from '../deps.js';
import { createRefundService } from '../refunds.js';
import type { StarsOptions } from './options.js';
import { decidePreCheckout, type PreCheckoutDecision, type PreCheckoutQuery } from './pre-checkout.js';
import { autoRenewSpend } from '../auto-renew/spend.js';
import { SUBSCRIPTION_PLAN_DAYS } from './subscriptions.js';
import { settleStarsPayment, type StarsPaymentOutcome, type SuccessfulPayment } from './successful-payment.js';
import { renewalOrderData } from '../auto-renew/renewal-order.js';
import { starsProcessor } from './processor.js';

/** The words on an invoice, in the traveller's language (the bot translates them). */
export type InvoiceTexts = { title: string; description: string };

export type StarsOffer = { stars: number; link: string };
export type SubscriptionOffer =
  | { status: 'ready'; stars: number; link: string }
  | { status: 'active'; stars: number }
  | { status: 'unavailable' | 'over_budget' | 'payment_unavailable' };

export type OperatorRefund =
  | { status: 'not_found' }
  | {
      status: 'refunded' | 'refunding' | 'already_refunded' | 'top_up_in_flight' | 'disputed' | 'not_finished';
      orderNumber: string;
      paidWith: 'stripe' | 'stars';
      stars: number | null;
      price: Money;
    };

/** Payments in Telegram Stars: invoice links at the frozen price, the pre-checkout, settlement, refunds. */
export function createStarsService(deps: ServiceDeps & { onPaid: (orderId: string) => void; options: StarsOptions }) {
  const { db, now, logger, options } = deps;
  const enabled = options.mode !== 'off' && !!deps.stars;
  const refunds = createRefundService(deps);

  async function link(
    payload: string,
    amount: number,
    texts: InvoiceTexts,
    subscription: boolean,
  ): Promise<string | null> {
    try {
      return await starsProcessor(deps.stars!).createInvoiceLink({
        title: clip(texts.title, 32),
        description: clip(texts.description, 255),
        payload,
        amount,
        subscription,
      });
    } catch (err) {
      logger.error({ err, payload }, 'Stars invoice link could not be made');
      return null;
    }
  }

  return {
    enabled,
    /** Stars alone: the summary offers no Stripe button. */
    only: enabled && options.mode === 'only',

    /**
     * Freezes the order's price in Stars (once: a second call keeps the first price) and makes its
     * invoice link. null when Stars are off, the plan has no Stars price, or Telegram did not answer.
     */
    async offer(userId: string, orderId: string, texts: InvoiceTexts): Promise<StarsOffer | null> {
      if (!enabled) return null;
      const order = await db.order.findFirst({
        where: { id: orderId, userId, state: { in: [...OPEN_STATES] } },
        include: { plan: true },
      });
      if (!order) return null;
      // The rate applies to the price frozen in the order, not to whatever the catalog says now.
      const price =
        order.starsAmount ??
        starsPriceOf(
          { starsPrice: order.plan.starsPrice, priceMinor: order.amountMinor, currency: order.currency },
          options.rates,
        );
      if (price === null) return null;
      await db.order.updateMany({ where: { id: orderId, starsAmount: null }, data: { starsAmount: price } });
      const stars = (await db.order.findUniqueOrThrow({ where: { id: orderId } })).starsAmount!;
      const url = await link(orderPayload(orderId), stars, texts, false);
      return url ? { stars, link: url } : null;
    },

    /** Whether a line's auto-renew may be a Stars subscription, and at what price (no link made). */
    async subscriptionPrice(userId: string, lineId: string): Promise<{ stars: number; active: boolean } | null> {
      if (!enabled) return null;
      const ar = await db.autoRenew.findFirst({ where: { lineId, userId, state: { not: 'off' } } });
      if (!ar) return null;
      if (ar.starsChargeId && ar.starsAmount) return { stars: ar.starsAmount, active: true };
      const plan = await db.plan.findUnique({ where: { code: ar.planCode } });
      if (!plan?.active || plan.validityDays !== SUBSCRIPTION_PLAN_DAYS || plan.priceMinor > ar.capMinor) return null;
      const stars = starsPriceOf(plan, options.rates);
      return stars === null ? null : { stars, active: false };
    },

    /**
     * An invoice link for a 30-day Stars subscription that renews the line's auto-renew plan.
     * Its first payment pays for a period now (a draft order made here, at a frozen price).
     * Not offered when one period costs more than the monthly budget.
     */
    async subscriptionOffer(userId: string, lineId: string, texts: InvoiceTexts): Promise<SubscriptionOffer> {
      if (!enabled) return { status: 'unavailable' };
      const ar = await db.autoRenew.findFirst({
        where: { lineId, userId, state: { not: 'off' } },
        include: { line: true, user: true },
      });
      if (!ar || ar.line.unlinkedAt) return { status: 'unavailable' };
      if (ar.starsChargeId && ar.starsAmount) return { status: 'active', stars: ar.starsAmount };
      const plan = await db.plan.findUnique({ where: { code: ar.planCode } });
      const stars = plan ? starsPriceOf(plan, options.rates) : null;
      if (
        !plan?.active ||
        plan.carrier !== ar.line.carrier ||
        plan.validityDays !== SUBSCRIPTION_PLAN_DAYS ||
        stars === null
      )
        return { status: 'unavailable' };
      const spent = await autoRenewSpend(db, lineId, monthOf(now(), ar.user.timezone));
      if (!withinCap(spent.amountMinor, plan.priceMinor, ar.capMinor)) return { status: 'over_budget' };
      const order = await db.order.create({
        data: renewalOrderData({ userId, lineId, plan, previousExpiresAt: ar.line.expiresAt, starsAmount: stars }),
      });
      const payload = subscriptionPayload(ar.id, order.id);
      // Only while no subscription is running: a newer link replaces an unpaid older one.
      const { count } = await db.autoRenew.updateMany({
        where: { id: ar.id, starsChargeId: null },
        data: { starsPayload: payload },
      });
      if (!count) return this.subscriptionOffer(userId, lineId, texts);
      const url = await link(payload, stars, texts, true);
      return url ? { status: 'ready', stars, link: url } : { status: 'payment_unavailable' };
    },

    async preCheckout(query: PreCheckoutQuery): Promise<PreCheckoutDecision> {
      if (!enabled) return { ok: false, reason: 'stars_off' };
      return decidePreCheckout(
        { db, now, options, monthSpend: (lineId, month) => autoRenewSpend(db, lineId, month) },
        query,
      );
    },

    paid(payment: SuccessfulPayment): Promise<StarsPaymentOutcome> {
      return settleStarsPayment(deps, payment);
    },

    /**
     * An operator's refund, by order number, through the one refund path (Stripe or Stars, whichever
     * paid). Safe to repeat: the money goes back once, and a second call answers "already refunded".
     */
    async refundOrder(reference: string, operatorId: number): Promise<OperatorRefund> {
      const order = await findOrder(reference);
      if (!order) return { status: 'not_found' };
      const status = await refunds.refund(order.id, { by: operatorId });
      const paid = {
        orderNumber: orderNumber(order.id),
        paidWith: order.paidWith === 'stars' ? ('stars' as const) : ('stripe' as const),
        stars: order.starsAmount,
        price: { amountMinor: order.amountMinor, currency: order.currency },
      };
      return { status: status === 'not_refundable' ? 'not_finished' : status, ...paid };
    },
  };

  /** By order id, or by the order number a traveller reads out (KU-XXXXXXXX). */
  async function findOrder(reference: string) {
    const trimmed = reference.trim();
    const number = /^KU-([A-Z0-9]{8})$/i.exec(trimmed);
    if (number) return db.order.findFirst({ where: { id: { endsWith: number[1]!.toLowerCase() } } });
    return /^[\w-]{1,60}$/.test(trimmed) ? db.order.findUnique({ where: { id: trimmed } }) : null;
  }
}

/** Cut to a length Telegram counts in characters, never inside one. */
function clip(text: string, max: number): string {
  const graphemes = [...new Intl.Segmenter().segment(text)].map((s) => s.segment);
  return graphemes.length <= max ? text : `${graphemes.slice(0, max - 1).join('')}…`;
}

export type StarsService = ReturnType<typeof createStarsService>;
