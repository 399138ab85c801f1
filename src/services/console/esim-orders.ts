import type { Db } from '../../adapters/db/client.js';
import { maskIdentifier } from '../../domain/line-identifier.js';
import { audit } from '../audit.js';
import type { EsimAfterSale } from '../esim-sales/after-sale.js';
import type { InstallDetailsService } from '../esim-sales/install-details.js';

/** A new eSIM's side of an order, as the console's order page shows it: the ICCID masked until revealed. */
export type ConsoleEsim = {
  destination: string;
  iccid: string | null;
  deliveredAt: string | null;
  installedAt: string | null;
  nudgedAt: string | null;
  partnerOrderRef: string | null;
  partnerRefundRef: string | null;
  /** The last moment it may be refunded while not installed; null once installed or before delivery. */
  refundableUntil: string | null;
};

/**
 * New eSIMs in the console: what the order page shows, the audited reveal of the full ICCID (as for
 * numbers), and "Resend install details" (the same details again, never a second order), audited.
 */
export function createConsoleEsims(deps: {
  db: Db;
  afterSale: Pick<EsimAfterSale, 'refundableUntil'>;
  install: Pick<InstallDetailsService, 'resend'>;
}) {
  const { db } = deps;
  const row = (orderId: string) =>
    db.esimPurchase.findUnique({ where: { orderId }, include: { order: { select: { userId: true } } } });

  return {
    async ofOrder(orderId: string): Promise<ConsoleEsim | null> {
      const e = await row(orderId);
      if (!e) return null;
      const until = await deps.afterSale.refundableUntil(orderId);
      return {
        destination: e.destination,
        iccid: e.iccid ? maskIdentifier(e.iccid) : null,
        deliveredAt: e.deliveredAt?.toISOString() ?? null,
        installedAt: e.installedAt?.toISOString() ?? null,
        nudgedAt: e.installNudgedAt?.toISOString() ?? null,
        partnerOrderRef: e.partnerOrderRef,
        partnerRefundRef: e.partnerRefundRef,
        refundableUntil: until?.toISOString() ?? null,
      };
    },

    /** The full ICCID, written to the audit log with who asked. */
    async reveal(operatorId: number, orderId: string): Promise<string | null> {
      const e = await row(orderId);
      if (!e?.iccid) return null;
      await audit(db, { actorId: operatorId, action: 'order.esim_reveal', subject: orderId });
      return e.iccid;
    },

    /** The ICCID this operator has just revealed (their last audited action); a reload writes nothing more. */
    async revealed(operatorId: number, orderId: string): Promise<string | null> {
      const last = await db.auditEntry.findFirst({
        where: { actorId: BigInt(operatorId) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        select: { action: true, subject: true },
      });
      if (last?.action !== 'order.esim_reveal' || last.subject !== orderId) return null;
      return (await row(orderId))?.iccid ?? null;
    },

    /** Queues the install details again for the traveller; false when the eSIM was not delivered. */
    async resend(operatorId: number, orderId: string): Promise<boolean> {
      const e = await row(orderId);
      const sent = e ? await deps.install.resend(e.order.userId, orderId) : false;
      await audit(db, { actorId: operatorId, action: 'order.esim_resend', subject: orderId, after: { sent } });
      return sent;
    },
  };
}

export type ConsoleEsims = ReturnType<typeof createConsoleEsims>;
