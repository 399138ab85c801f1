import { priceMap } from '../../domain/plan-prices.js';
import type { MethodOffer } from '../../domain/payment-choice.js';
import { randomUUID } from 'node:crypto';
import { planServes, type Destination, destinationKey } from '../../domain/destinations.js';
import { AWAITING_ESIM_PREFIX } from '../../domain/awaiting-esim.js';
import { newOrderIdentity, orderNumber } from '../../domain/order-state.js';
import type { PlanView } from '../../domain/plan.js';
import { planTerms } from '../../domain/plan-terms.js';
import { planViewOf } from '../catalog/snapshot.js';
import type { ServiceDeps } from '../deps.js';
import { noteOrderEvent } from '../order-timeline.js';
import type { OrderSummary } from '../orders.js';

/** A new eSIM's plan as the traveller picks it: its coverage and when it starts. */
export type EsimPlanView = PlanView & { countries: string[]; regional: boolean; activationPolicy: string | null };

/** How many recent destinations a traveller sees as buttons. */
const RECENT_LIMIT = 3;

const belowCost = (plan: { priceMinor: number; costMinor: number | null }) =>
  plan.costMinor !== null && plan.priceMinor < plan.costMinor;

/**
 * Selling a new eSIM: the plans for a destination (from the catalog, imported from the partner's
 * sim packages), and a draft order whose price is frozen as the summary shows it. The order stands on
 * a line that waits for the eSIM; the delivery (delivery.ts) gives it the eSIM's ICCID.
 */
export function createEsimShop(
  deps: ServiceDeps & {
    walletMethods: boolean;
    /** The ways to pay the drafted order, best first for this traveller (the order service's own choice). */
    offers: (userId: string, orderId: string, language: string) => Promise<MethodOffer[]>;
  },
) {
  const { db, now } = deps;

  async function plansFor(destination: Destination): Promise<EsimPlanView[]> {
    const rows = await db.plan.findMany({
      where: { packageType: 'sim', active: true, countries: { not: null } },
      orderBy: [{ priceMinor: 'asc' }, { sortOrder: 'asc' }],
    });
    return rows
      .filter((row) => !belowCost(row))
      .map((row) => {
        const countries = (row.countries ?? '').split(',').filter(Boolean);
        return {
          ...planViewOf(row),
          countries,
          regional: countries.length > 1,
          activationPolicy: row.activationPolicy,
        };
      })
      .filter((plan) => planServes(plan.countries, destination))
      .slice(0, 20);
  }

  return {
    plansFor,

    /** The destinations this traveller bought for lately, newest first. */
    async recentDestinations(userId: string): Promise<string[]> {
      const rows = await db.esimPurchase.findMany({
        where: { order: { userId } },
        orderBy: { createdAt: 'desc' },
        select: { destination: true },
        take: 20,
      });
      return [...new Set(rows.map((r) => r.destination))].slice(0, RECENT_LIMIT);
    },

    /** A draft order for a new eSIM of this plan, priced from the catalog now and frozen. */
    async draft(
      userId: string,
      planCode: string,
      destination: Destination,
      language = 'en',
    ): Promise<(OrderSummary & { esimPlan: EsimPlanView }) | { error: 'plan_unavailable' }> {
      const plan = (await plansFor(destination)).find((p) => p.code === planCode);
      const row = plan && (await db.plan.findUnique({ where: { code: planCode } }));
      if (!plan || !row) return { error: 'plan_unavailable' };
      const at = now();
      const { order, line } = await db.$transaction(async (tx) => {
        const line = await tx.line.create({
          data: {
            userId,
            kind: 'iccid',
            identifier: `${AWAITING_ESIM_PREFIX}${randomUUID()}`,
            carrier: row.carrier,
            verifiedAt: at,
          },
        });
        const order = await tx.order.create({
          data: {
            ...newOrderIdentity(),
            userId,
            lineId: line.id,
            planId: row.id,
            amountMinor: row.priceMinor,
            currency: row.currency,
            altAmountMinor: row.altPriceMinor,
            altCurrency: row.altCurrency,
            ...(Object.keys(priceMap(row.prices)).length && { prices: priceMap(row.prices) }),
            planTerms: planTerms(row, deps.walletMethods),
            state: 'draft',
            source: 'manual',
          },
        });
        await tx.esimPurchase.create({ data: { orderId: order.id, destination: destinationKey(destination) } });
        return { order, line };
      });
      await noteOrderEvent(
        db,
        {
          orderId: order.id,
          kind: 'drafted',
          detail: { plan: row.code, amountMinor: row.priceMinor, currency: row.currency, source: 'new_esim' },
        },
        (err) => deps.logger.warn({ err }, 'order timeline not written'),
      );
      const startsAt = new Date(at.getTime() + row.validityDays * 86_400_000);
      return {
        orderId: order.id,
        orderNumber: orderNumber(order.id),
        identifier: line.identifier,
        label: null,
        carrier: row.carrier,
        plan: planViewOf(row),
        price: { amountMinor: order.amountMinor, currency: order.currency },
        altPrice:
          deps.walletMethods && order.altAmountMinor && order.altCurrency
            ? { amountMinor: order.altAmountMinor, currency: order.altCurrency }
            : null,
        methods: await deps.offers(userId, order.id, language),
        currentExpiresAt: null,
        newExpiresAt: startsAt.toISOString(),
        usage: null,
        warning: null,
        esimPlan: plan,
      };
    },
  };
}

export type EsimShop = ReturnType<typeof createEsimShop>;
