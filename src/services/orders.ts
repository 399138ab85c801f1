import { extendExpiry } from '../domain/expiry.js';
import type { Money } from '../domain/money.js';
import { isSettled, orderNumber, type OrderState } from '../domain/order-state.js';
import type { PlanView } from '../domain/plan.js';
import type { CatalogService } from './catalog.js';
import { noteOrderEvent } from './order-timeline.js';
import type { ServiceDeps } from './deps.js';
import type { PaymentMethod } from './payment-gateway.js';

export type OrderSummary = {
  orderId: string;
  orderNumber: string;
  identifier: string;
  label: string | null;
  carrier: string;
  plan: PlanView;
  price: Money;
  altPrice: Money | null;
  currentExpiresAt: string | null;
  newExpiresAt: string;
};

export type CheckoutResult =
  | { status: 'ready'; url: string; expiresAt: string; price: Money }
  | { status: 'already_paid' | 'expired' | 'canceled' | 'plan_unavailable' | 'not_found' | 'payment_unavailable' };

export type OrderView = {
  orderId: string;
  orderNumber: string;
  state: OrderState;
  planCode: string;
  planNames: Record<string, string>;
  identifier: string;
  price: Money;
  createdAt: string;
  newExpiresAt: string | null;
  receiptUrl: string | null;
  /** Paid off-session by auto-renew with the saved card. */
  autoCharged: boolean;
};

export type OrderOptions = { methods: PaymentMethod[]; checkoutMinutes: number };

export function createOrderService(deps: ServiceDeps & { catalog: CatalogService; options: OrderOptions }) {
  const { db, now, payments, catalog, options, logger } = deps;
  const cardMethods = options.methods.filter((m) => m === 'card');
  const walletMethods = options.methods.filter((m) => m === 'alipay' || m === 'wechat_pay');
  const logTimelineError = (err: unknown) => logger.warn({ err }, 'order timeline not written');

  return {
    /** A draft order with its price taken from the catalog now; the summary the traveller confirms. */
    /** `channel`: where the traveller started, for the operator's figures ("reminder": its Renew now button). */
    async draft(userId: string, lineId: string, planCode: string, channel: 'chat' | 'reminder' = 'chat'): Promise<OrderSummary | { error: 'line_not_found' | 'plan_unavailable' }> {
      const line = await db.line.findFirst({ where: { id: lineId, userId, unlinkedAt: null } });
      if (!line) return { error: 'line_not_found' };
      const plan = await db.plan.findUnique({ where: { code: planCode } });
      if (!plan || !plan.active || plan.carrier !== line.carrier) return { error: 'plan_unavailable' };
      const order = await db.order.create({
        data: { userId, lineId, planId: plan.id, amountMinor: plan.priceMinor, currency: plan.currency, state: 'draft', previousExpiresAt: line.expiresAt, source: channel === 'reminder' ? 'reminder' : 'manual' },
      });
      await noteOrderEvent(db, { orderId: order.id, kind: 'drafted', detail: { plan: plan.code, amountMinor: plan.priceMinor, currency: plan.currency, source: channel } }, logTimelineError);
      const view = (await catalog.byCode(plan.code))!;
      return {
        orderId: order.id,
        orderNumber: orderNumber(order.id),
        identifier: line.identifier,
        label: line.label,
        carrier: line.carrier,
        plan: view,
        price: { amountMinor: plan.priceMinor, currency: plan.currency },
        altPrice: walletMethods.length && plan.altPriceMinor && plan.altCurrency ? { amountMinor: plan.altPriceMinor, currency: plan.altCurrency } : null,
        currentExpiresAt: line.expiresAt?.toISOString() ?? null,
        newExpiresAt: extendExpiry(line.expiresAt, now(), plan.validityDays).toISOString(),
      };
    },

    /**
     * The Stripe link for an order. Tapping twice, or on two devices, gives the same link:
     * the order id is Stripe's idempotency key and only one tap moves the order out of draft.
     */
    async checkout(userId: string, orderId: string, variant: 'main' | 'alt', locale: string): Promise<CheckoutResult> {
      const order = await db.order.findFirst({ where: { id: orderId, userId }, include: { plan: true, line: true } });
      if (!order) return { status: 'not_found' };
      const state = order.state as OrderState;
      if (isSettled(state)) return { status: 'already_paid' };
      if (state === 'expired' || state === 'payment_failed') return { status: 'expired' };
      if (state === 'canceled') return { status: 'canceled' };
      if (state === 'awaiting_payment') {
        if (order.checkoutUrl && order.checkoutExpiresAt && order.checkoutExpiresAt > now()) {
          return { status: 'ready', url: order.checkoutUrl, expiresAt: order.checkoutExpiresAt.toISOString(), price: { amountMinor: order.amountMinor, currency: order.currency } };
        }
        return { status: 'expired' };
      }
      // An auto-renew order pays for one period: once the line was renewed some other way, its button is stale.
      if (order.source === 'auto_renew' && order.line.expiresAt?.getTime() !== order.previousExpiresAt?.getTime()) return { status: 'not_found' };
      const plan = order.plan;
      if (!plan.active || order.line.unlinkedAt) return { status: 'plan_unavailable' };
      const useAlt = variant === 'alt' && walletMethods.length > 0 && plan.altPriceMinor !== null && plan.altCurrency !== null;
      const price: Money = useAlt ? { amountMinor: plan.altPriceMinor!, currency: plan.altCurrency! } : { amountMinor: plan.priceMinor, currency: plan.currency };
      const methods = useAlt ? walletMethods : cardMethods.length ? cardMethods : options.methods;
      const names = plan.names as Record<string, string>;
      let checkout;
      try {
        checkout = await payments.createCheckout({
          orderId, price, methods, locale,
          description: `${names.en ?? plan.code} · •••• ${order.line.identifier.slice(-4)}`,
          expiresAt: new Date(now().getTime() + options.checkoutMinutes * 60_000),
        });
      } catch (error) {
        logger.error({ err: error, orderId }, 'checkout session could not be created');
        const again = await db.order.findUnique({ where: { id: orderId } });
        if (again?.state === 'awaiting_payment' && again.checkoutUrl) {
          return { status: 'ready', url: again.checkoutUrl, expiresAt: again.checkoutExpiresAt!.toISOString(), price: { amountMinor: again.amountMinor, currency: again.currency } };
        }
        return { status: 'payment_unavailable' };
      }
      const moved = await db.order.updateMany({
        where: { id: orderId, state: 'draft' },
        data: { state: 'awaiting_payment', stripeSessionId: checkout.sessionId, checkoutUrl: checkout.url, checkoutExpiresAt: checkout.expiresAt, amountMinor: price.amountMinor, currency: price.currency },
      });
      if (moved.count) {
        await noteOrderEvent(db, { orderId, kind: 'checkout_created', detail: { sessionId: checkout.sessionId, amountMinor: price.amountMinor, currency: price.currency, methods } }, logTimelineError);
      }
      const saved = (await db.order.findUnique({ where: { id: orderId } }))!;
      if (saved.state !== 'awaiting_payment' || !saved.checkoutUrl) return this.checkout(userId, orderId, variant, locale);
      return { status: 'ready', url: saved.checkoutUrl, expiresAt: saved.checkoutExpiresAt!.toISOString(), price: { amountMinor: saved.amountMinor, currency: saved.currency } };
    },

    async cancel(userId: string, orderId: string): Promise<boolean> {
      const { count } = await db.order.updateMany({ where: { id: orderId, userId, state: 'draft' }, data: { state: 'canceled' } });
      return count === 1;
    },

    async history(userId: string, limit = 10): Promise<OrderView[]> {
      const orders = await db.order.findMany({
        where: { userId, state: { notIn: ['draft', 'canceled'] } },
        orderBy: { createdAt: 'desc' },
        take: limit,
        include: { plan: true, line: true },
      });
      return orders.map(toOrderView);
    },

    async get(userId: string, orderId: string): Promise<OrderView | null> {
      const order = await db.order.findFirst({ where: { id: orderId, userId }, include: { plan: true, line: true } });
      return order ? toOrderView(order) : null;
    },
  };
}

export function toOrderView(o: {
  id: string; state: string; amountMinor: number; currency: string; createdAt: Date; newExpiresAt: Date | null; receiptUrl: string | null;
  source: string; stripeSessionId: string | null;
  plan: { code: string; names: unknown }; line: { identifier: string };
}): OrderView {
  return {
    orderId: o.id, orderNumber: orderNumber(o.id), state: o.state as OrderState, planCode: o.plan.code, planNames: o.plan.names as Record<string, string>,
    identifier: o.line.identifier, price: { amountMinor: o.amountMinor, currency: o.currency }, createdAt: o.createdAt.toISOString(),
    newExpiresAt: o.newExpiresAt?.toISOString() ?? null, receiptUrl: o.receiptUrl,
    autoCharged: o.source === 'auto_renew' && o.stripeSessionId === null,
  };
}

export type OrderService = ReturnType<typeof createOrderService>;
