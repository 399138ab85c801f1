import type { Db } from '../../adapters/db/client.js';
import { MIDTRANS_METHODS } from '../../domain/midtrans.js';
import type { Logger } from '../../logger.js';
import type { EventOutcome } from '../payment-events/once.js';
import { raiseIssue } from './records.js';

/**
 * Midtrans documents no transaction list for Snap merchants (its "Transaction History List" belongs
 * to the BI-SNAP API, with other credentials), so reconciliation asks the status API about each of
 * Kuota's own Midtrans orders in the look-back window that Kuota has not settled. What it says goes
 * through the notification path (a lost notification settles the order as it would have), and a
 * page that lapsed with no method picked, which Midtrans never notifies about, ends the order.
 */
export function midtransReconciliation(deps: {
  db: Db;
  logger: Logger;
  now: () => Date;
  adminIds: number[];
  recheck: (orderId: string) => Promise<EventOutcome | 'amount_mismatch'>;
}) {
  const { db, logger } = deps;
  return {
    processor: 'midtrans' as const,
    /** How many orders were asked about. */
    async run(from: Date): Promise<number> {
      const orders = await db.order.findMany({
        where: {
          OR: [{ checkoutVariant: 'midtrans' }, { paymentMethod: { in: [...MIDTRANS_METHODS] } }],
          createdAt: { gte: from },
          state: { in: ['awaiting_payment', 'expired', 'payment_failed', 'canceled'] },
        },
        select: { id: true, state: true },
      });
      for (const order of orders) {
        try {
          const outcome = await deps.recheck(order.id);
          const now = await db.order.findUnique({ where: { id: order.id } });
          if (outcome !== 'applied' || now?.paidWith !== 'midtrans') continue;
          await raiseIssue(
            db,
            deps.adminIds,
            {
              processor: 'midtrans',
              kind: 'settled_late',
              externalId: order.id,
              orderId: order.id,
              amount: { amountMinor: now.amountMinor, currency: now.currency },
              detail: { was: order.state },
            },
            deps.now(),
          );
        } catch (err) {
          logger.error({ err, orderId: order.id }, 'Midtrans reconciliation of an order failed');
        }
      }
      return orders.length;
    },
  };
}
