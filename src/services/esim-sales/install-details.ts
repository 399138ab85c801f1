import { orderNumber } from '../../domain/order-state.js';
import type { ServiceDeps } from '../deps.js';
import { enqueue } from '../outbox.js';
import type { InstallSteps } from '../ports/esim-sales.js';
import { PROVIDER_WAIT_MS, within } from '../within.js';

export type InstallDetails = {
  orderId: string;
  orderNumber: string;
  planNames: Record<string, string>;
  planCode: string;
  iccid: string;
  lpa: string;
  smdpAddress: string;
  activationCode: string;
  appleInstallUrl: string | null;
  apn: string | null;
  /** The partner's steps in the traveller's language; null: Kuota's own translated steps. */
  steps: InstallSteps | null;
};

/** How soon "send the install details again" may be asked once more (a double tap sends them once). */
const RESEND_EVERY_MS = 60_000;

/**
 * What a traveller needs to install a new eSIM they bought, read from the delivery (never ordered
 * again): for the delivery message, and sent again on request.
 */
export function createInstallDetails(deps: Pick<ServiceDeps, 'db' | 'provider' | 'logger' | 'now'>) {
  const { db, provider, logger, now } = deps;
  return {
    async forOrder(userId: string, orderId: string, language: string): Promise<InstallDetails | null> {
      const row = await db.esimPurchase.findFirst({
        where: { orderId, order: { userId, state: 'fulfilled' }, deliveredAt: { not: null } },
        include: { order: { include: { plan: true } } },
      });
      if (!row?.iccid || !row.lpa || !row.smdpAddress || !row.activationCode) return null;
      const asked = provider.installSteps?.(row.iccid, language).catch((err: unknown) => {
        logger.warn({ err, orderId }, "partner's installation steps unavailable; Kuota's own are shown");
        return null;
      });
      const steps = (asked && (await within(asked, PROVIDER_WAIT_MS, null))) ?? null;
      return {
        orderId,
        orderNumber: orderNumber(orderId),
        planNames: row.order.plan.names as Record<string, string>,
        planCode: row.order.plan.code,
        iccid: row.iccid,
        lpa: row.lpa,
        smdpAddress: row.smdpAddress,
        activationCode: row.activationCode,
        appleInstallUrl: row.appleInstallUrl,
        apn: row.apn,
        steps,
      };
    },

    /** Queues the install details again; false when the order has none (not delivered, or not theirs). */
    async resend(userId: string, orderId: string): Promise<boolean> {
      const row = await db.esimPurchase.findFirst({
        where: { orderId, order: { userId, state: 'fulfilled' }, deliveredAt: { not: null } },
        select: { orderId: true },
      });
      if (!row) return false;
      const slot = Math.floor(now().getTime() / RESEND_EVERY_MS);
      for (const kind of ['esim_delivery', 'esim_steps'] as const)
        await enqueue(db, { userId, kind, payload: { orderId }, dedupeKey: `${kind}:${orderId}:again:${slot}` });
      return true;
    },
  };
}

export type InstallDetailsService = ReturnType<typeof createInstallDetails>;
