import { extendExpiry } from '../domain/expiry.js';
import type { Money } from '../domain/money.js';
import { ABANDONED_STATES, isSettled, newOrderIdentity, orderNumber, type OrderState } from '../domain/order-state.js';
import type { PlanView } from '../domain/plan.js';
import { planTerms } from '../domain/plan-terms.js';
import type { CatalogService } from './catalog/catalog.js';
import { planViewOf } from './catalog/snapshot.js';
import { noteOrderEvent } from './order-timeline.js';
import { moveOrder } from './order-transitions.js';
import type { ServiceDeps } from './deps.js';
import { offeredMethods, type MethodOffer } from '../domain/payment-choice.js';
import { isPaymentMethodId, type PaymentMethodId } from '../domain/payment-methods.js';
import { allPrices, priceMap } from '../domain/plan-prices.js';
import { midtransOrderId } from '../domain/midtrans.js';
import { createMethodSwitch, type MethodSwitch } from './method-switch.js';
import type { PagePaymentProcessor, PaymentProcessor } from './ports/payment-processor.js';
import { stripeProcessor } from './stripe/processor.js';
import type { StoreVisits } from './stores/visits.js';
import type { LineUsage, UsageService } from './usage/usage.js';
import { PROVIDER_WAIT_MS, within } from './within.js';
import { validityWarning, type ValidityWarning } from '../domain/usage.js';
import { isAwaitingEsim } from '../domain/awaiting-esim.js';
import { starsMoney, starsPriceOf, type StarsRates } from '../domain/stars.js';

export type OrderSummary = {
  orderId: string;
  orderNumber: string;
  identifier: string;
  label: string | null;
  carrier: string;
  plan: PlanView;
  price: Money;
  altPrice: Money | null;
  /** The ways to pay it offers, best first for this traveller, each at the price it charges. */
  methods: MethodOffer[];
  currentExpiresAt: string | null;
  newExpiresAt: string;
  /** The data left now, where the provider reports it ("check the balance before buying"). */
  usage: LineUsage | null;
  warning: ValidityWarning;
};

export type CheckoutResult =
  | { status: 'ready'; url: string; expiresAt: string; price: Money }
  /** The catalog moved since the traveller's summary: that order is void, and this fresh one asks again. */
  | { status: 'plan_changed'; summary: OrderSummary }
  /** The processor refused the method tapped (not activated): it is switched off a while; these are left. */
  | { status: 'method_unavailable'; methods: MethodOffer[] }
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
  /** How it was paid (null while unpaid), and its price in Stars when it had one. */
  paidWith: 'stripe' | 'stars' | 'midtrans' | null;
  /** The method it was paid (or is being paid) with: card, paypal, qris… (null for orders before methods were recorded). */
  paymentMethod: PaymentMethodId | null;
  starsAmount: number | null;
  /** A new eSIM Kuota sells (not a renewal of a number the traveller has): its messages say so. */
  newEsim: boolean;
};

export type OrderOptions = {
  /** The methods the operator switched on (PAYMENT_METHODS). */
  methods: PaymentMethodId[];
  checkoutMinutes: number;
  /** Where Checkout sends the traveller back: the bot, opened on this order. */
  returnUrl: (orderId: string) => string;
  /**
   * Telegram Stars, when the operator switched them on (STARS_PAYMENTS): beside the methods above
   * ('on'), or alone ('only'); `rates` price a plan that has no Stars price of its own.
   */
  stars?: { mode: 'on' | 'only'; rates: StarsRates };
};

/** Stripe refuses a Checkout Session that would expire sooner than this after it is made. */
const STRIPE_MIN_CHECKOUT_MS = 30 * 60_000;

/** A plan priced below its wholesale cost is never sold (the catalog refuses it too). */
const belowCost = (plan: { priceMinor: number; costMinor: number | null }) =>
  plan.costMinor !== null && plan.priceMinor < plan.costMinor;

export function createOrderService(
  deps: ServiceDeps & {
    catalog: CatalogService;
    usage?: UsageService;
    storeVisits?: StoreVisits;
    options: OrderOptions;
    /** Shared with whoever else reads which methods are off; one of its own when absent. */
    methodSwitch?: MethodSwitch;
  },
) {
  const { db, now, payments, catalog, options, logger } = deps;
  const walletMethods = options.methods.filter((m) => m === 'alipay' || m === 'wechat_pay');
  const methodSwitch = deps.methodSwitch ?? createMethodSwitch({ now, logger });
  // Stripe's first: a method two processors offer is taken by the first that lists it.
  const processors: PagePaymentProcessor[] = [
    stripeProcessor(payments, options.methods, logger),
    ...(deps.processors?.midtrans ? [deps.processors.midtrans] : []),
  ];
  /** Every processor whose methods the summary may offer: the pages', and Stars' invoice when switched on. */
  const offering: PaymentProcessor[] = [
    ...processors,
    ...(options.stars && deps.processors?.stars ? [deps.processors.stars] : []),
  ];
  /** What the summary offers: with Stars alone, only Stars. */
  const enabled: PaymentMethodId[] = !options.stars
    ? options.methods
    : options.stars.mode === 'only'
      ? ['stars']
      : [...options.methods, 'stars'];
  const processorFor = (method: PaymentMethodId) =>
    processors.find((p) => p.profile.methods.some((t) => t.method === method)) ?? null;

  /**
   * The order's price in Stars, as the Stars invoice charges it: the one frozen in the order, else
   * the plan's own Stars price or the operator's rate applied to the order's frozen price.
   */
  function starsPrice(order: OfferRow, plan: { starsPrice: number | null }): Money | null {
    if (!options.stars) return null;
    const stars =
      order.starsAmount ??
      starsPriceOf(
        { starsPrice: plan.starsPrice, priceMinor: order.amountMinor, currency: order.currency },
        options.stars.rates,
      );
    return stars === null ? null : starsMoney(stars);
  }

  /** The methods an order's frozen prices can be paid with, best first for this traveller. */
  function offersFor(
    order: OfferRow,
    plan: { starsPrice: number | null },
    traveller: { language: string; lineKind: string },
  ): MethodOffer[] {
    const stars = starsPrice(order, plan);
    return offeredMethods({
      terms: offering.flatMap((p) => p.profile.methods).filter((t) => !methodSwitch.isOff(t.method)),
      enabled,
      prices: [...allPrices(order), ...(stars ? [stars] : [])],
      traveller: { language: traveller.language, indonesianNumber: traveller.lineKind === 'msisdn' },
    });
  }

  /** The method a tap names: a method id, or the card ('main') and Alipay / WeChat Pay ('alt') buttons of older summaries. */
  function methodOf(choice: string): PaymentMethodId | null {
    if (choice === 'main') return options.methods.includes('card') ? 'card' : (options.methods[0] ?? null);
    if (choice === 'alt') return walletMethods[0] ?? null;
    return options.methods.find((m) => m === choice) ?? null;
  }
  const linkMs = options.checkoutMinutes * 60_000;

  /**
   * Another method tapped while a page is open: the order goes back to a draft for a new attempt at
   * the same frozen prices, then that page is closed at its processor where its API allows (a Stripe
   * session expired, a pending Midtrans code expired). Back to a draft first, so the page's own
   * "expired" finds it no longer the order's and ends nothing. 'paid' when the page was paid before
   * it could be closed (its payment settles the order); a payment that still lands on a page that
   * could not be closed settles the order, or goes back by the one refund rule.
   */
  async function leavePage(order: {
    id: string;
    checkoutAttempt: number;
    paymentMethod: string | null;
    stripeSessionId: string | null;
  }): Promise<'left' | 'paid' | 'moved_on'> {
    const left = await moveOrder(db, order.id, {
      to: 'draft',
      from: 'awaiting_payment',
      where: { checkoutAttempt: order.checkoutAttempt },
      data: { checkoutVariant: null, checkoutUrl: null, checkoutExpiresAt: null, stripeSessionId: null },
    });
    if (!left.moved) return 'moved_on';
    const method = order.paymentMethod && isPaymentMethodId(order.paymentMethod) ? order.paymentMethod : null;
    const processor = method && processorFor(method);
    const pageId =
      processor?.profile.id === 'stripe' ? order.stripeSessionId : midtransOrderId(order.id, order.checkoutAttempt);
    if (!processor || !pageId) return 'left';
    const closed = await processor.closePaymentPage(pageId).catch((err: unknown) => {
      logger.warn({ err, orderId: order.id }, 'the page left for another method could not be closed');
      return true;
    });
    return closed ? 'left' : 'paid';
  }

  /**
   * The attempt this tap belongs to: the one under way while Stripe would still take its expiry,
   * else a new one, frozen in the order before Stripe is called. null when another tap moved the order.
   */
  async function currentAttempt(order: AttemptRow, variant: PaymentMethodId, locale: string): Promise<Attempt | null> {
    const at = now().getTime();
    const frozen = (o: AttemptRow): Attempt => ({
      number: o.checkoutAttempt,
      variant: o.checkoutVariant as Attempt['variant'],
      locale: o.checkoutLocale ?? locale,
      expiresAt: o.checkoutExpiresAt!,
    });
    const stillTaken =
      order.checkoutExpiresAt &&
      order.checkoutExpiresAt.getTime() - at >= Math.min(STRIPE_MIN_CHECKOUT_MS, linkMs - 60_000);
    if (order.checkoutVariant && stillTaken) return frozen(order);
    const { count } = await db.order.updateMany({
      where: { id: order.id, state: 'draft', checkoutAttempt: order.checkoutAttempt },
      data: {
        checkoutAttempt: order.checkoutAttempt + 1,
        checkoutVariant: variant,
        paymentMethod: variant,
        checkoutLocale: locale,
        checkoutExpiresAt: new Date(at + linkMs),
      },
    });
    if (!count) return null;
    return frozen((await db.order.findUnique({ where: { id: order.id } }))!);
  }
  const logTimelineError = (err: unknown) => logger.warn({ err }, 'order timeline not written');

  return {
    /**
     * The plans a line can take: the catalog's for its carrier, narrowed to the top-up packages the
     * provider offers this very eSIM where it says (a plan it would refuse is not offered).
     */
    async plansFor(
      userId: string,
      lineId: string,
      known?: { carrier: string; identifier: string; kind: string },
    ): Promise<PlanView[]> {
      // `known`: the traveller's linked line, just read by the caller (lines.get), not read again.
      const line = known ?? (await db.line.findFirst({ where: { id: lineId, userId, unlinkedAt: null } }));
      if (!line) return [];
      const plans = await catalog.plansFor(line.carrier);
      const asked = deps.provider.topUpPackages?.(line.identifier, line.kind as 'msisdn' | 'iccid').catch((err) => {
        logger.warn({ err, lineId }, 'top-up packages unavailable; offering the whole catalog');
        return null;
      });
      // Unanswered, the whole catalog is offered: a package the partner then refuses is refunded.
      const offered = asked && (await within(asked, PROVIDER_WAIT_MS, null));
      if (!offered) {
        // A partner's new-eSIM packages are never a top-up for a line already linked.
        const newEsims = await db.plan.findMany({
          where: { carrier: line.carrier, packageType: 'sim' },
          select: { code: true },
        });
        const skip = new Set(newEsims.map((p) => p.code));
        return plans.filter((p) => !skip.has(p.code));
      }
      const allowed = await db.plan.findMany({
        where: { carrier: line.carrier, providerSku: { in: offered.map((p) => p.sku) } },
        select: { code: true },
      });
      const codes = new Set(allowed.map((p) => p.code));
      return plans.filter((p) => codes.has(p.code));
    },

    /** A draft order with its price taken from the catalog now; the summary the traveller confirms. */
    /**
     * `channel`: where the traveller started, for the operator's figures ("reminder": its Renew now button).
     * A chat renewal soon after opening a partner store's link counts for that store (store-visits.ts).
     */
    async draft(
      userId: string,
      lineId: string,
      planCode: string,
      channel: 'chat' | 'reminder' = 'chat',
    ): Promise<OrderSummary | { error: 'line_not_found' | 'plan_unavailable' }> {
      // Read together: on PostgreSQL each read waits a turn of a busy event loop (a tap in a reminder wave).
      const [line, plan, user] = await Promise.all([
        db.line.findFirst({ where: { id: lineId, userId, unlinkedAt: null } }),
        db.plan.findUnique({ where: { code: planCode } }),
        db.user.findUnique({ where: { id: userId }, select: { language: true } }),
      ]);
      // A line still waiting for its new eSIM takes no top-up.
      if (!line || isAwaitingEsim(line.identifier)) return { error: 'line_not_found' };
      if (!plan || !plan.active || plan.carrier !== line.carrier || belowCost(plan))
        return { error: 'plan_unavailable' };
      const usage = (await deps.usage?.currentOf(line).catch(() => null)) ?? null;
      const at = now();
      const storeId = channel === 'chat' ? ((await deps.storeVisits?.storeFor(userId)) ?? null) : null;
      const source = storeId ? 'store' : channel === 'reminder' ? 'reminder' : 'manual';
      const newExpiresAt = extendExpiry(line.expiresAt, at, plan.validityDays);
      // The provider's own expiry, when it reports one, is what the line really has.
      const providerExpiry = usage?.expiresAt ? new Date(usage.expiresAt) : null;
      const current =
        providerExpiry && (!line.expiresAt || providerExpiry > line.expiresAt) ? providerExpiry : line.expiresAt;
      // The price (and the second price) shown on the summary is the price charged: frozen here.
      const order = await db.order.create({
        data: {
          ...newOrderIdentity(),
          userId,
          lineId,
          planId: plan.id,
          amountMinor: plan.priceMinor,
          currency: plan.currency,
          altAmountMinor: plan.altPriceMinor,
          altCurrency: plan.altCurrency,
          ...(Object.keys(priceMap(plan.prices)).length && { prices: priceMap(plan.prices) }),
          planTerms: planTerms(plan, walletMethods.length > 0),
          state: 'draft',
          previousExpiresAt: line.expiresAt,
          source,
          storeId,
        },
      });
      await noteOrderEvent(
        db,
        {
          orderId: order.id,
          travellerId: userId,
          kind: 'drafted',
          detail: {
            plan: plan.code,
            amountMinor: plan.priceMinor,
            currency: plan.currency,
            source: storeId ? 'store' : channel,
            ...(storeId && { store: storeId }),
          },
        },
        logTimelineError,
      );
      // The plan as it was read for this order, not the catalog in memory: the summary shows what is charged.
      const view = planViewOf(plan);
      return {
        orderId: order.id,
        orderNumber: orderNumber(order.id),
        identifier: line.identifier,
        label: line.label,
        carrier: line.carrier,
        plan: view,
        price: { amountMinor: order.amountMinor, currency: order.currency },
        altPrice:
          walletMethods.length && order.altAmountMinor && order.altCurrency
            ? { amountMinor: order.altAmountMinor, currency: order.altCurrency }
            : null,
        methods: offersFor(order, plan, { language: user?.language ?? 'en', lineKind: line.kind }),
        currentExpiresAt: current?.toISOString() ?? null,
        newExpiresAt: newExpiresAt.toISOString(),
        usage,
        warning: validityWarning(current, newExpiresAt, at),
      };
    },

    /** Remembers where the summary (with its Pay button) is shown, so it can say later what became of the order. */
    async rememberSummary(userId: string, orderId: string, chatId: number, messageId: number): Promise<void> {
      await db.order.updateMany({
        where: { id: orderId, userId },
        data: { summaryChatId: BigInt(chatId), summaryMessageId: messageId },
      });
    },

    /**
     * The payment page for an order, at the price frozen in it, for the method tapped. Tapping twice,
     * or on two devices, gives the same page: each attempt freezes its request (method, locale, expiry)
     * and key, so every tap of one attempt sends the processor the same request; an attempt that failed
     * leaves the next tap a new key. A method the processor refuses is switched off a while, and the
     * traveller is shown the others.
     */
    async checkout(userId: string, orderId: string, choice: string, locale: string): Promise<CheckoutResult> {
      const order = await db.order.findFirst({
        where: { id: orderId, userId },
        include: { plan: true, line: true, esim: { select: { orderId: true } } },
      });
      if (!order) return { status: 'not_found' };
      const state = order.state as OrderState;
      if (isSettled(state)) return { status: 'already_paid' };
      if (state === 'expired' || state === 'payment_failed') return { status: 'expired' };
      if (state === 'canceled') return { status: 'canceled' };
      if (state === 'awaiting_payment') {
        if (!order.checkoutUrl || !order.checkoutExpiresAt || order.checkoutExpiresAt <= now())
          return { status: 'expired' };
        const tapped = methodOf(choice);
        // The same method, or a page that offers every method (Midtrans's own), is the page under way.
        if (!tapped || !order.paymentMethod || tapped === order.paymentMethod) return ready(order);
        const left = await leavePage(order);
        if (left === 'paid') return { status: 'already_paid' };
        return this.checkout(userId, orderId, choice, locale);
      }
      // An auto-renew order pays for one period: once the line was renewed some other way, its button is stale.
      if (order.source === 'auto_renew' && order.line.expiresAt?.getTime() !== order.previousExpiresAt?.getTime())
        return { status: 'not_found' };
      const plan = order.plan;
      if (!plan.active || order.line.unlinkedAt || belowCost(plan)) return { status: 'plan_unavailable' };
      if (order.planTerms && order.planTerms !== planTerms(plan, walletMethods.length > 0)) {
        // The traveller confirmed other terms than the catalog's now: that order is void, and they are asked again.
        await moveOrder(db, orderId, { to: 'canceled', from: 'draft' });
        // A new eSIM is picked again from its destination's plans, not redrafted onto its waiting line.
        if (order.esim) return { status: 'plan_unavailable' };
        const fresh = await this.draft(userId, order.lineId, plan.code);
        return 'error' in fresh ? { status: 'plan_unavailable' } : { status: 'plan_changed', summary: fresh };
      }
      const offers = offersFor(order, plan, { language: locale, lineKind: order.line.kind });
      const tapped = methodOf(choice);
      const offer = offers.find((o) => o.method === tapped);
      const processor = offer && processorFor(offer.method);
      if (!offer || !processor) return { status: 'method_unavailable', methods: offers };

      const attempt = await currentAttempt(order, offer.method, locale);
      if (!attempt) return this.checkout(userId, orderId, choice, locale);
      // The attempt under way keeps its method (a second device tapped another): its price goes with it.
      const method = methodOf(attempt.variant) ?? offer.method;
      const price = offers.find((o) => o.method === method)?.price ?? offer.price;
      const names = plan.names as Record<string, string>;
      const created = await processor.createPaymentPage({
        orderId,
        attempt: attempt.number,
        method,
        price,
        locale: attempt.locale,
        expiresAt: attempt.expiresAt,
        description: `${names.en ?? plan.code} · •••• ${order.line.identifier.slice(-4)}`,
        idempotencyKey: `checkout-${orderId}-${attempt.number}`,
        returnUrl: options.returnUrl(orderId),
      });
      if (created.status !== 'created') {
        // A processor replays a key's first answer, errors included: the next tap makes a new attempt with a new key.
        await db.order.updateMany({
          where: { id: orderId, state: 'draft', checkoutAttempt: attempt.number },
          data: { checkoutVariant: null },
        });
        const again = await db.order.findUnique({ where: { id: orderId } });
        if (again?.state === 'awaiting_payment' && again.checkoutUrl) return ready(again);
        if (created.status === 'unavailable') return { status: 'payment_unavailable' };
        methodSwitch.switchOff(method, created.code, orderId);
        return {
          status: 'method_unavailable',
          methods: offersFor(order, plan, { language: locale, lineKind: order.line.kind }),
        };
      }
      const { page } = created;
      const isStripe = processor.profile.id === 'stripe';
      const moved = await moveOrder(db, orderId, {
        to: 'awaiting_payment',
        from: 'draft',
        where: { checkoutAttempt: attempt.number },
        data: {
          stripeSessionId: isStripe ? page.pageId : null,
          checkoutUrl: page.url,
          checkoutExpiresAt: page.expiresAt,
          paymentMethod: method,
          amountMinor: price.amountMinor,
          currency: price.currency,
          // The price it replaces stays among the frozen ones: another method may be picked later.
          prices: { ...priceMap(order.prices), [order.currency]: order.amountMinor },
        },
      });
      if (moved.moved) {
        await noteOrderEvent(
          db,
          {
            orderId,
            kind: 'checkout_created',
            detail: {
              processor: processor.profile.id,
              pageId: page.pageId,
              sessionId: isStripe ? page.pageId : undefined,
              amountMinor: price.amountMinor,
              currency: price.currency,
              methods: [method],
            },
          },
          logTimelineError,
        );
      }
      const saved = (await db.order.findUnique({ where: { id: orderId } }))!;
      if (saved.state === 'awaiting_payment' && saved.checkoutUrl) {
        // A newer attempt won while this one waited for the processor: its page must not stay open beside the other.
        if (!moved.moved && saved.checkoutUrl !== page.url)
          await processor
            .closePaymentPage(page.pageId)
            .catch((err) => logger.warn({ err, orderId }, 'a superseded payment page could not be closed'));
        return ready(saved);
      }
      return this.checkout(userId, orderId, choice, locale);
    },

    /** The ways to pay an unpaid order, best first (the summary's "Other ways to pay", also beside an open page). */
    async methods(userId: string, orderId: string, language: string): Promise<MethodOffer[]> {
      const order = await db.order.findFirst({
        where: { id: orderId, userId, state: { in: ['draft', 'awaiting_payment'] } },
        include: { line: true, plan: { select: { starsPrice: true } } },
      });
      return order ? offersFor(order, order.plan, { language, lineKind: order.line.kind }) : [];
    },

    async cancel(userId: string, orderId: string): Promise<boolean> {
      return (await moveOrder(db, orderId, { to: 'canceled', from: 'draft', where: { userId } })).moved;
    },

    async history(userId: string, limit = 10): Promise<OrderView[]> {
      // Plans from the catalog in memory, lines only when there are orders: an include would ask for both always.
      const orders = await db.order.findMany({
        where: { userId, state: { notIn: [...ABANDONED_STATES] } },
        orderBy: { createdAt: 'desc' },
        take: limit,
        include: { esim: { select: { orderId: true } } },
      });
      if (!orders.length) return [];
      const lineIds = [...new Set(orders.map((o) => o.lineId))];
      const lines = new Map(
        (await db.line.findMany({ where: { id: { in: lineIds } }, select: { id: true, identifier: true } })).map(
          (l) => [l.id, l],
        ),
      );
      const views: OrderView[] = [];
      for (const order of orders) {
        const plan =
          (await catalog.byId(order.planId)) ?? (await db.plan.findUniqueOrThrow({ where: { id: order.planId } }));
        views.push(toOrderView({ ...order, plan, line: lines.get(order.lineId)! }));
      }
      return views;
    },

    async get(userId: string, orderId: string): Promise<OrderView | null> {
      const order = await db.order.findFirst({
        where: { id: orderId, userId },
        include: { plan: true, line: true, esim: { select: { orderId: true } } },
      });
      return order ? toOrderView(order) : null;
    },
  };
}

/** What an order's offers are read from: its frozen prices. */
type OfferRow = {
  amountMinor: number;
  currency: string;
  altAmountMinor: number | null;
  altCurrency: string | null;
  prices: unknown;
  starsAmount: number | null;
};

type AttemptRow = {
  id: string;
  checkoutAttempt: number;
  checkoutVariant: string | null;
  checkoutLocale: string | null;
  checkoutExpiresAt: Date | null;
};
/** `variant`: the method of the attempt (older rows say main or alt). */
type Attempt = { number: number; variant: string; locale: string; expiresAt: Date };

function ready(order: {
  checkoutUrl: string | null;
  checkoutExpiresAt: Date | null;
  amountMinor: number;
  currency: string;
}): CheckoutResult {
  return {
    status: 'ready',
    url: order.checkoutUrl!,
    expiresAt: order.checkoutExpiresAt!.toISOString(),
    price: { amountMinor: order.amountMinor, currency: order.currency },
  };
}

export function toOrderView(o: {
  id: string;
  state: string;
  amountMinor: number;
  currency: string;
  createdAt: Date;
  newExpiresAt: Date | null;
  receiptUrl: string | null;
  source: string;
  stripeSessionId: string | null;
  paidWith: string | null;
  paymentMethod?: string | null;
  starsAmount: number | null;
  stripePaymentIntentId: string | null;
  plan: { code: string; names: unknown };
  line: { identifier: string };
  /** Read where the view needs it; an order read without it counts as a renewal. */
  esim?: { orderId: string } | null;
}): OrderView {
  return {
    orderId: o.id,
    orderNumber: orderNumber(o.id),
    state: o.state as OrderState,
    planCode: o.plan.code,
    planNames: o.plan.names as Record<string, string>,
    identifier: o.line.identifier,
    price: { amountMinor: o.amountMinor, currency: o.currency },
    createdAt: o.createdAt.toISOString(),
    newExpiresAt: o.newExpiresAt?.toISOString() ?? null,
    receiptUrl: o.receiptUrl,
    autoCharged: o.source === 'auto_renew' && o.stripeSessionId === null && o.paidWith !== 'stars',
    paidWith:
      o.paidWith === 'stars' || o.paidWith === 'midtrans'
        ? o.paidWith
        : o.paidWith === 'stripe' || o.stripePaymentIntentId
          ? 'stripe'
          : null,
    paymentMethod: o.paymentMethod && isPaymentMethodId(o.paymentMethod) ? o.paymentMethod : null,
    starsAmount: o.starsAmount,
    newEsim: !!o.esim,
  };
}

export type OrderService = ReturnType<typeof createOrderService>;
