import type { TopUpRequest, TopUpStatus } from './ports/provider-gateway.js';
import { extendExpiry } from '../domain/expiry.js';
import { REFUND_STATES, type OrderState } from '../domain/order-state.js';
import { cleanText, cutGraphemes } from '../domain/text.js';
import type { ServiceDeps } from './deps.js';
import { queueSummaryUpdate } from './order-updates.js';
import { noteOrderEvent } from './order-timeline.js';
import { enqueue } from './outbox.js';
import { createRefundService } from './refunds.js';
import { moveOrder } from './order-transitions.js';
import { sweepStarsRefunds } from './stars/refunds.js';
import { createEsimAfterSale, type EsimAfterSaleSettings } from './esim-sales/after-sale.js';
import { createEsimDelivery } from './esim-sales/delivery.js';
import type { UsageService } from './usage/usage.js';

/** How long a top-up may stay unconfirmed before the sweep asks the provider again. */
export const STALE_TOP_UP_MS = 60_000;
/** How long a passing provider failure (its balance, maintenance) is retried before the traveller is refunded. */
export const RETRY_WINDOW_MS = 30 * 60_000;

/**
 * Applies paid orders at the provider. Each step claims the order with a conditional update,
 * so a webhook, a sweep and a second instance never top up or refund the same order twice;
 * the order id is the provider's reference, so a repeated request is the same top-up.
 */
/** `lineChanged`: told when a top-up moves a line's plan and expiry, for whoever keeps lines in memory. */
export function createFulfilmentService(
  deps: ServiceDeps & {
    lineChanged?: (userId: string) => Promise<void>;
    adminIds?: number[];
    /** New eSIMs after delivery: the "not installed yet" message and the refund window (config's defaults when absent). */
    esimAfterSale?: EsimAfterSaleSettings;
    /** The usage reports: new eSIMs are watched through them for their first connection. */
    usage?: Pick<UsageService, 'current' | 'maxAgeMs'>;
  },
) {
  const { db, provider, payments, now, logger } = deps;
  const refunds = createRefundService(deps);
  const newEsims = createEsimDelivery({ ...deps, refunds, retryWindowMs: RETRY_WINDOW_MS });
  const esims = createEsimAfterSale({
    ...deps,
    refunds,
    settings: deps.esimAfterSale ?? { nudgeAfterMs: 6 * 3_600_000, refundWindowMs: 14 * 86_400_000 },
  });

  async function requestFor(orderId: string): Promise<TopUpRequest | null> {
    const order = await db.order.findUnique({ where: { id: orderId }, include: { plan: true, line: true } });
    if (!order) return null;
    return {
      reference: order.id,
      sku: order.plan.providerSku,
      identifier: order.line.identifier,
      kind: order.line.kind as TopUpRequest['kind'],
      provider: order.plan.provider,
    };
  }

  async function apply(orderId: string, status: TopUpStatus): Promise<void> {
    await noteOrderEvent(db, { orderId, kind: 'topup_status', detail: topUpDetail(status) }, (err) =>
      logger.warn({ err, orderId }, 'order timeline not written'),
    );
    if (status.status === 'pending') {
      await db.order.updateMany({
        where: { id: orderId, state: 'topping_up' },
        data: { providerRef: status.providerRef ?? undefined, updatedAt: now() },
      });
      return;
    }
    if (status.status === 'success') {
      const order = await db.order.findUnique({ where: { id: orderId }, include: { plan: true, line: true } });
      if (!order) return;
      if (order.state !== 'topping_up') return successAfterRefund(orderId, status);
      const receiptUrl = order.stripePaymentIntentId
        ? await payments.receiptUrl(order.stripePaymentIntentId).catch(() => null)
        : null;
      const newExpiresAt = status.expiresAt ?? extendExpiry(order.line.expiresAt, now(), order.plan.validityDays);
      const fulfilled = await db.$transaction(async (tx) => {
        const { moved } = await moveOrder(tx, orderId, {
          to: 'fulfilled',
          data: { fulfilledAt: now(), providerRef: status.providerRef, newExpiresAt, receiptUrl },
        });
        if (!moved) return false;
        // The last usage report is about the old plan: the next look asks the provider again.
        await tx.line.update({
          where: { id: order.lineId },
          data: { planCode: order.plan.code, expiresAt: newExpiresAt, usageCheckedAt: null },
        });
        await enqueue(tx, {
          userId: order.userId,
          kind: 'receipt',
          payload: { orderId },
          dedupeKey: `receipt:${orderId}`,
        });
        await queueSummaryUpdate(tx, order, 'fulfilled');
        return true;
      });
      if (fulfilled) await deps.lineChanged?.(order.userId);
      else await successAfterRefund(orderId, status);
      return;
    }
    if (status.retryable) {
      const order = await db.order.findUnique({ where: { id: orderId }, select: { paidAt: true } });
      if (order?.paidAt && now().getTime() - order.paidAt.getTime() < RETRY_WINDOW_MS) {
        logger.warn({ orderId, reason: status.reason }, 'top-up failed for now; the sweep retries');
        await db.order.updateMany({
          where: { id: orderId, state: 'topping_up' },
          data: { failureReason: cutGraphemes(cleanText(status.reason), 200) },
        });
        return;
      }
    }
    logger.warn({ orderId, reason: status.reason }, 'top-up failed; refunding');
    const { moved } = await moveOrder(db, orderId, {
      to: 'refunding',
      from: 'topping_up',
      data: { failureReason: cutGraphemes(cleanText(status.reason), 200) },
    });
    if (moved) await refunds.refund(orderId, { by: 'system', reason: 'top_up_failed' });
  }

  /**
   * The provider applied a top-up for an order that is no longer waiting for it (refunded, or being
   * refunded): the traveller may keep both, so every operator hears of it once, with the order.
   */
  async function successAfterRefund(orderId: string, status: TopUpStatus): Promise<void> {
    const order = await db.order.findUnique({ where: { id: orderId }, select: { state: true } });
    if (!order || !REFUND_STATES.includes(order.state as OrderState)) return;
    logger.error({ orderId, providerRef: status.providerRef }, 'top-up applied after the order was refunded');
    for (const telegramId of deps.adminIds ?? []) {
      const operator = await db.user.upsert({
        where: { telegramId: BigInt(telegramId) },
        create: { telegramId: BigInt(telegramId) },
        update: {},
      });
      await enqueue(db, {
        userId: operator.id,
        kind: 'topup_after_refund',
        payload: { orderId },
        dedupeKey: `topup_after_refund:${orderId}:${telegramId}`,
      }).catch((err) => logger.warn({ err, orderId }, 'operator not told'));
    }
  }

  /** `status`: ask about the same reference again (a provider that never recorded it takes it as new). */
  async function requestTopUp(orderId: string, request: TopUpRequest, how: 'new' | 'status' = 'new'): Promise<void> {
    await noteOrderEvent(db, {
      orderId,
      kind: 'topup_requested',
      detail: { provider: provider.name, sku: request.sku, how },
    });
    await safely(orderId, async () =>
      apply(orderId, await (how === 'new' ? provider.topUp(request) : provider.topUpStatus(request))),
    );
  }

  async function safely(orderId: string, step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      // Left as it is; the sweep asks again with the same reference.
      logger.warn({ err: error, orderId }, 'fulfilment step failed; the sweep will retry');
    }
  }

  return {
    async fulfil(orderId: string): Promise<void> {
      const { moved } = await moveOrder(db, orderId, { to: 'topping_up' });
      if (!moved) return;
      if (await newEsims.isNewEsim(orderId)) return newEsims.deliver(orderId);
      const request = await requestFor(orderId);
      if (request) await requestTopUp(orderId, request);
    },

    /**
     * An operator's "try the top-up again": a paid order is fulfilled now, one already at the
     * provider is asked again with the same reference (so it can never be bought twice).
     */
    async retry(orderId: string): Promise<'retried' | 'not_retryable'> {
      const order = await db.order.findUnique({ where: { id: orderId }, select: { state: true } });
      if (order?.state === 'paid') {
        await this.fulfil(orderId);
        return 'retried';
      }
      if (order?.state !== 'topping_up') return 'not_retryable';
      await db.order.updateMany({
        where: { id: orderId, state: 'topping_up' },
        data: { failureReason: null, updatedAt: now() },
      });
      if (await newEsims.isNewEsim(orderId)) {
        await newEsims.deliver(orderId);
        return 'retried';
      }
      const request = await requestFor(orderId);
      if (request) await requestTopUp(orderId, request, 'status');
      return 'retried';
    },

    /**
     * An operator marks a top-up in flight failed (the provider told them so): it then goes back
     * through the one refund path, as a failed top-up does. Should the provider still apply it, the
     * operators hear of it (successAfterRefund).
     */
    async markFailed(orderId: string, operatorId: number) {
      const { moved } = await moveOrder(db, orderId, {
        to: 'refunding',
        from: 'topping_up',
        data: { failureReason: `marked failed by operator ${operatorId}` },
      });
      if (!moved) return 'not_in_flight' as const;
      return refunds.refund(orderId, { by: operatorId, reason: 'top_up_failed' });
    },

    /** An operator's refund: the one refund path, audited with who asked. */
    refundNow(orderId: string, operatorId: number) {
      return refunds.refund(orderId, { by: operatorId, reason: `refunded by operator ${operatorId}` });
    },

    /** An operator paid a refund owed by hand (src/services/refunds.ts): the order is refunded, audited. */
    markOwedRefundPaid(orderId: string, operatorId: number) {
      return refunds.markOwedRefundPaid(orderId, operatorId);
    },

    /** A provider's callback about one of Kuota's references. */
    async onProviderStatus(reference: string, status: TopUpStatus): Promise<void> {
      await apply(reference, status);
    },

    /** Picks up what a crash, a timeout or a lost callback left halfway. */
    /** Delivered new eSIMs: their install state, the "not installed yet" message, refunds that follow it. */
    esims,

    async sweep(): Promise<void> {
      const stale = new Date(now().getTime() - STALE_TOP_UP_MS);
      const paid = await db.order.findMany({ where: { state: 'paid' }, select: { id: true }, take: 100 });
      for (const o of paid) await this.fulfil(o.id);
      const pending = await db.order.findMany({
        where: { state: 'topping_up', updatedAt: { lt: stale } },
        select: { id: true },
        take: 100,
      });
      for (const o of pending) {
        if (await newEsims.isNewEsim(o.id)) {
          await safely(o.id, () => newEsims.deliver(o.id));
          continue;
        }
        const request = await requestFor(o.id);
        if (request) await safely(o.id, async () => apply(o.id, await provider.topUpStatus(request)));
      }
      const refunding = await db.order.findMany({
        where: { state: 'refunding', updatedAt: { lt: stale } },
        select: { id: true },
        take: 100,
      });
      for (const o of refunding) await safely(o.id, async () => void (await refunds.complete(o.id)));
      await sweepStarsRefunds(deps);
      await esims.watchFirstUse();
      await esims.nudgeNotInstalled();
    },
  };
}

export type FulfilmentService = ReturnType<typeof createFulfilmentService>;

function topUpDetail(status: TopUpStatus): Record<string, unknown> {
  if (status.status === 'failed')
    return {
      status: 'failed',
      providerRef: status.providerRef,
      reason: status.reason.slice(0, 200),
      retryable: status.retryable,
    };
  return { status: status.status, providerRef: status.providerRef };
}
