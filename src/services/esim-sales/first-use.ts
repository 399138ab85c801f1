import { installedBy } from '../../domain/esim-refund.js';
import type { Db } from '../../adapters/db/client.js';
import type { Usage } from '../ports/provider-gateway.js';
import { enqueue } from '../outbox.js';

/**
 * A new eSIM Kuota sold, seen connected for the first time: its installation is remembered (refunds stop
 * there) and the traveller is greeted once with the data they have. Airalo sends no "first use"
 * notification (its webhooks are low data, credit limit and async orders, on its "Webhook definition"
 * page), so first use is the first usage report ("Get usage", status NOT_ACTIVE until the eSIM first
 * connects) that says otherwise, whichever check made it: My numbers, the first-use watch, the "not
 * installed yet" sweep or a refund check. Lines Kuota renews but did not sell have no purchase, so no
 * greeting. Once: the conditional update and the outbox's dedupe key, in one transaction.
 */
export async function noteFirstUse(db: Db, iccid: string, usage: Usage, at: Date): Promise<boolean> {
  if (installedBy(usage.status) !== true) return false;
  const purchase = await db.esimPurchase.findFirst({
    where: { iccid, installedAt: null, deliveredAt: { not: null } },
    select: { orderId: true, order: { select: { userId: true, state: true } } },
  });
  if (!purchase) return false;
  const { orderId } = purchase;
  return db.$transaction(async (tx) => {
    const { count } = await tx.esimPurchase.updateMany({
      where: { orderId, installedAt: null },
      data: { installedAt: at },
    });
    // A refunded (or refunding) eSIM that connects anyway is remembered, never celebrated.
    if (!count || purchase.order.state !== 'fulfilled') return false;
    return enqueue(tx, {
      userId: purchase.order.userId,
      kind: 'esim_first_use',
      payload: {
        orderId,
        remainingMb: usage.remainingMb,
        totalMb: usage.totalMb,
        unlimited: usage.unlimited,
        expiresAt: usage.expiresAt?.toISOString() ?? null,
      },
      dedupeKey: `esim_first_use:${orderId}`,
    });
  });
}
