import { esimRefundCheck, installedBy, refundableUntil } from '../../domain/esim-refund.js';
import type { ServiceDeps } from '../deps.js';
import { enqueue } from '../outbox.js';
import type { RefundAsker, RefundOutcome, RefundService } from '../refunds.js';
import { auditRefund } from '../refunds.js';
import type { UsageService } from '../usage/usage.js';
import { PROVIDER_WAIT_MS, within } from '../within.js';
import { noteFirstUse } from './first-use.js';

/** A refund of a delivered new eSIM: the money path's outcomes, or why the eSIM cannot go back. */
export type EsimRefundOutcome = RefundOutcome | 'esim_installed' | 'esim_window_passed' | 'esim_partner_refused';

export type EsimAfterSaleSettings = {
  /** How long after delivery an eSIM still not installed gets the one "not installed yet" message. */
  nudgeAfterMs: number;
  /** How long after delivery an eSIM never installed may be refunded. */
  refundWindowMs: number;
};

/** A partner refund request under way, so a second tap or a second instance does not send another. */
const REQUESTING = 'requesting';

/**
 * A new eSIM after its delivery: whether it is installed (the partner's usage status, NOT_ACTIVE until
 * the eSIM first connects), the one "not installed yet" message, and refunds that follow the install
 * state: an eSIM never installed goes back through the partner's refund request and then the money
 * refund; an installed one does not, and the asker is told why.
 */
export function createEsimAfterSale(
  deps: Pick<ServiceDeps, 'db' | 'provider' | 'now' | 'logger'> & {
    refunds: Pick<RefundService, 'refund'>;
    settings: EsimAfterSaleSettings;
    /** The usage reports, kept on the line: the first-use watch asks through them. */
    usage?: Pick<UsageService, 'current' | 'maxAgeMs'>;
  },
) {
  const { db, provider, now, logger, settings } = deps;

  /** Asks the partner whether the eSIM has connected; null when it cannot say now. Remembers an installation. */
  async function installed(orderId: string, iccid: string, known: Date | null): Promise<boolean | null> {
    if (known) return true;
    const asked = provider.usage?.(iccid, 'iccid').catch((err: unknown) => {
      logger.warn({ err, orderId }, "the eSIM's install state could not be read");
      return null;
    });
    const usage = asked ? await within(asked, PROVIDER_WAIT_MS, null) : null;
    const answer = installedBy(usage?.status);
    if (answer && usage) await noteFirstUse(db, iccid, usage, now());
    return answer;
  }

  function delivered(orderId: string) {
    return db.esimPurchase.findFirst({
      where: { orderId, deliveredAt: { not: null }, iccid: { not: null } },
      include: { order: { select: { userId: true, state: true } } },
    });
  }

  /** Asks the partner to take the eSIM back, once; false when it refused (the asker may try again). */
  async function partnerRefund(orderId: string, iccid: string): Promise<boolean> {
    const { count } = await db.esimPurchase.updateMany({
      where: { orderId, partnerRefundRef: null },
      data: { partnerRefundRef: REQUESTING },
    });
    if (!count) return true;
    const answer = await provider
      .refundEsim?.(iccid, `Never installed. Kuota order ${orderId}.`)
      .catch((err: unknown) => ({ ok: false as const, reason: String((err as Error)?.message ?? err) }));
    if (!answer?.ok) {
      await db.esimPurchase.updateMany({
        where: { orderId, partnerRefundRef: REQUESTING },
        data: { partnerRefundRef: null },
      });
      logger.warn(
        { orderId, reason: answer?.reason ?? 'no refunds at this partner' },
        'partner refused the eSIM refund',
      );
      return false;
    }
    await db.esimPurchase.update({ where: { orderId }, data: { partnerRefundRef: answer.reference || 'requested' } });
    return true;
  }

  return {
    /** The last moment this order's eSIM may be refunded if it stays uninstalled; null when it is not a delivered new eSIM. */
    async refundableUntil(orderId: string): Promise<Date | null> {
      const row = await delivered(orderId);
      return row?.deliveredAt && !row.installedAt ? refundableUntil(row.deliveredAt, settings.refundWindowMs) : null;
    },

    /**
     * Refunds a delivered new eSIM if it was never installed and the window is open; null when the
     * order is no delivered new eSIM (the ordinary refund path applies). `userId` limits it to the
     * traveller's own order.
     */
    async refund(orderId: string, by: RefundAsker, userId?: string): Promise<EsimRefundOutcome | null> {
      const row = await delivered(orderId);
      if (!row?.deliveredAt || !row.iccid || (userId && row.order.userId !== userId)) return null;
      if (row.order.state === 'refunding' || row.order.state === 'refunded')
        return deps.refunds.refund(orderId, { by, reason: 'new eSIM never installed' });
      const isInstalled = (await installed(orderId, row.iccid, row.installedAt)) === true;
      const check = esimRefundCheck({
        installed: isInstalled,
        deliveredAt: row.deliveredAt,
        now: now(),
        windowMs: settings.refundWindowMs,
      });
      const refused =
        check === 'installed' ? 'esim_installed' : check === 'window_passed' ? 'esim_window_passed' : null;
      const outcome = refused ?? ((await partnerRefund(orderId, row.iccid)) ? null : 'esim_partner_refused');
      if (outcome) {
        await auditRefund(db, {
          by,
          subject: orderId,
          reason: 'new eSIM refund refused',
          before: { state: row.order.state },
          after: { state: row.order.state, result: outcome },
        });
        return outcome;
      }
      return deps.refunds.refund(orderId, { by, reason: 'new eSIM never installed' });
    },

    /**
     * Asks after each eSIM delivered within the refund window and not yet seen connected, no more often
     * than the usage reports are kept (Airalo answers one usage request per eSIM per 15 minutes), so its
     * first connection is noticed and greeted (`noteFirstUse`, through the usage service) within minutes
     * even when the traveller opens nothing. Airalo pushes no such event, and its low-data pushes spare
     * its eSIMs the low-data poll.
     */
    async watchFirstUse(): Promise<number> {
      if (!deps.usage) return 0;
      const at = now();
      const stale = new Date(at.getTime() - deps.usage.maxAgeMs);
      const rows = await db.esimPurchase.findMany({
        where: {
          deliveredAt: { gte: new Date(at.getTime() - settings.refundWindowMs) },
          installedAt: null,
          iccid: { not: null },
          order: {
            state: 'fulfilled',
            line: { unlinkedAt: null, OR: [{ usageCheckedAt: null }, { usageCheckedAt: { lt: stale } }] },
          },
        },
        select: { orderId: true, order: { select: { lineId: true } } },
        orderBy: { deliveredAt: 'desc' },
        take: 50,
      });
      for (const row of rows)
        await deps.usage
          .current(row.order.lineId)
          .catch((err: unknown) => logger.warn({ err, orderId: row.orderId }, 'first-use check failed'));
      return rows.length;
    },

    /**
     * Sends the one "not installed yet" message for each eSIM delivered `nudgeAfterMs` ago that the
     * partner still reports as not active; an installed one is remembered and left alone.
     */
    async nudgeNotInstalled(): Promise<number> {
      const due = new Date(now().getTime() - settings.nudgeAfterMs);
      const rows = await db.esimPurchase.findMany({
        where: {
          deliveredAt: { lte: due },
          installedAt: null,
          installNudgedAt: null,
          iccid: { not: null },
          order: { state: 'fulfilled' },
        },
        select: { orderId: true, iccid: true, order: { select: { userId: true } } },
        orderBy: { deliveredAt: 'asc' },
        take: 50,
      });
      let sent = 0;
      for (const row of rows) {
        if ((await installed(row.orderId, row.iccid!, null)) !== false) continue;
        const { count } = await db.esimPurchase.updateMany({
          where: { orderId: row.orderId, installNudgedAt: null },
          data: { installNudgedAt: now() },
        });
        if (!count) continue;
        await enqueue(db, {
          userId: row.order.userId,
          kind: 'esim_not_installed',
          payload: { orderId: row.orderId },
          dedupeKey: `esim_not_installed:${row.orderId}`,
        });
        sent++;
      }
      return sent;
    },
  };
}

export type EsimAfterSale = ReturnType<typeof createEsimAfterSale>;
