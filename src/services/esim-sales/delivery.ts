import { cleanText, cutGraphemes } from '../../domain/text.js';
import type { ServiceDeps } from '../deps.js';
import { noteOrderEvent } from '../order-timeline.js';
import { moveOrder } from '../order-transitions.js';
import { queueSummaryUpdate } from '../order-updates.js';
import { enqueue } from '../outbox.js';
import type { NewEsimStatus } from '../ports/esim-sales.js';
import type { RefundService } from '../refunds.js';

/**
 * Orders a paid new eSIM from the partner and hands it to the traveller: the order's line gets the
 * eSIM's ICCID (it is theirs at once, Kuota bought it) and the install details go out through the
 * outbox. The partner's order takes no idempotency key, so the adapter looks for Kuota's order id in
 * the order list before it buys; the order is claimed (topping_up) first, so one instance asks at a time
 * and a webhook, a sweep and a second instance never buy twice. A partner that is down is asked again
 * by the sweep; after `retryWindowMs` the money goes back.
 */
export function createEsimDelivery(
  deps: ServiceDeps & {
    refunds: RefundService;
    retryWindowMs: number;
    lineChanged?: (userId: string) => Promise<void>;
  },
) {
  const { db, provider, now, logger, refunds } = deps;

  async function apply(orderId: string, status: NewEsimStatus): Promise<void> {
    const order = await db.order.findUnique({ where: { id: orderId }, include: { plan: true } });
    if (!order) return;
    await noteOrderEvent(
      db,
      {
        orderId,
        kind: 'topup_status',
        detail:
          status.status === 'delivered'
            ? { status: 'delivered', providerRef: status.esim.partnerOrderRef }
            : status.status === 'failed'
              ? { status: 'failed', reason: status.reason.slice(0, 200), retryable: status.retryable }
              : { status: 'pending' },
      },
      (err) => logger.warn({ err, orderId }, 'order timeline not written'),
    );
    if (status.status === 'delivered') {
      const { esim } = status;
      const at = now();
      const expiresAt = new Date(at.getTime() + order.plan.validityDays * 86_400_000);
      const delivered = await db.$transaction(async (tx) => {
        const { moved } = await moveOrder(tx, orderId, {
          to: 'fulfilled',
          from: 'topping_up',
          data: { fulfilledAt: at, providerRef: esim.partnerOrderRef, newExpiresAt: expiresAt },
        });
        if (!moved) return false;
        await tx.line.update({
          where: { id: order.lineId },
          data: { identifier: esim.iccid, planCode: order.plan.code, expiresAt, usageCheckedAt: null, verifiedAt: at },
        });
        await tx.esimPurchase.update({
          where: { orderId },
          data: {
            partnerOrderRef: esim.partnerOrderRef,
            iccid: esim.iccid,
            lpa: esim.lpa,
            smdpAddress: esim.smdpAddress,
            activationCode: esim.activationCode,
            appleInstallUrl: esim.appleInstallUrl,
            apn: esim.apn,
            deliveredAt: at,
          },
        });
        for (const kind of ['esim_delivery', 'esim_steps'] as const)
          await enqueue(tx, { userId: order.userId, kind, payload: { orderId }, dedupeKey: `${kind}:${orderId}` });
        await queueSummaryUpdate(tx, order, 'fulfilled');
        return true;
      });
      if (delivered) {
        logger.info({ orderId, providerRef: esim.partnerOrderRef }, 'new eSIM delivered');
        await deps.lineChanged?.(order.userId);
      } else
        logger.error(
          { orderId, providerRef: esim.partnerOrderRef },
          'new eSIM delivered to an order no longer waiting',
        );
      return;
    }
    const tellOnItsWay = () =>
      enqueue(db, {
        userId: order.userId,
        kind: 'esim_on_its_way',
        payload: { orderId },
        dedupeKey: `esim_on_its_way:${orderId}`,
      });
    const paidAt = order.paidAt ?? order.updatedAt;
    const withinWindow = now().getTime() - paidAt.getTime() < deps.retryWindowMs;
    if ((status.status === 'pending' || status.retryable) && withinWindow) {
      logger.warn({ orderId, status: status.status }, 'new eSIM not delivered yet; the sweep asks again');
      await db.order.updateMany({
        where: { id: orderId, state: 'topping_up' },
        data: {
          updatedAt: now(),
          ...(status.status === 'failed' ? { failureReason: cutGraphemes(cleanText(status.reason), 200) } : {}),
        },
      });
      await tellOnItsWay();
      return;
    }
    const reason = status.status === 'failed' ? status.reason : 'the partner never delivered the eSIM';
    logger.warn({ orderId, reason }, 'new eSIM not delivered; refunding');
    const { moved } = await moveOrder(db, orderId, {
      to: 'refunding',
      from: 'topping_up',
      data: { failureReason: cutGraphemes(cleanText(reason), 200) },
    });
    if (moved) await refunds.refund(orderId, { by: 'system', reason: 'top_up_failed' });
  }

  return {
    /** Whether a paid order is a new eSIM (not a top-up). */
    async isNewEsim(orderId: string): Promise<boolean> {
      return (await db.esimPurchase.count({ where: { orderId } })) > 0;
    },

    /** Asks the partner for the eSIM of an order claimed for delivery (topping_up). */
    async deliver(orderId: string): Promise<void> {
      const order = await db.order.findUnique({ where: { id: orderId }, include: { plan: true } });
      if (order?.state !== 'topping_up') return;
      await noteOrderEvent(db, {
        orderId,
        kind: 'topup_requested',
        detail: { provider: provider.name, sku: order.plan.providerSku, how: 'new_esim' },
      });
      let status: NewEsimStatus;
      try {
        status = provider.orderEsim
          ? await provider.orderEsim({
              reference: orderId,
              sku: order.plan.providerSku,
              provider: order.plan.provider,
            })
          : { status: 'failed', reason: `${provider.name} sells no new eSIMs`, retryable: false };
      } catch (error) {
        logger.warn({ err: error, orderId }, 'new eSIM order failed; the sweep will retry');
        status = { status: 'failed', reason: String((error as Error)?.message ?? error), retryable: true };
      }
      await apply(orderId, status);
    },
  };
}

export type EsimDelivery = ReturnType<typeof createEsimDelivery>;
