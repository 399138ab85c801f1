import type { Tx } from '../../adapters/db/client.js';
import { recordMovement } from '../ledger.js';
import { recordOrderEvent } from '../order-timeline.js';
import { moveOrder } from '../order-transitions.js';
import { queueSummaryUpdate } from '../order-updates.js';
import { enqueue } from '../outbox.js';
import type { MidtransTransaction } from '../ports/midtrans-gateway.js';

type OrderRow = NonNullable<Awaited<ReturnType<Tx['order']['findUnique']>>> & { line: { unlinkedAt: Date | null } };

/** What the settlement of a confirmed payment did: settled the order, nothing (seen before), or left money to give back. */
export type Settled = 'settled' | 'duplicate' | 'give_back';

/** The order's price in rupiah, as frozen at the summary; null when the traveller was never offered rupiah. */
export function frozenRupiah(order: {
  amountMinor: number;
  currency: string;
  altAmountMinor: number | null;
  altCurrency: string | null;
}): number | null {
  if (order.currency === 'IDR') return order.amountMinor;
  if (order.altCurrency === 'IDR') return order.altAmountMinor;
  return null;
}

/**
 * A payment Midtrans confirmed, through the one settle path: the ledger row (unique on Midtrans's
 * transaction id, so a second notification finds it and does nothing), then moveOrder to paid. An
 * order that expired is still honoured while its line is linked; one paid another way, or whose
 * line is gone, leaves the money to give back (the caller does, outside this transaction).
 */
export async function settleMidtrans(tx: Tx, order: OrderRow, paid: MidtransTransaction, at: Date): Promise<Settled> {
  const recorded = await recordMovement(tx, {
    processor: 'midtrans',
    kind: 'payment',
    externalId: paid.transactionId ?? paid.orderId,
    orderId: order.id,
    method: paid.method,
    amountMinor: paid.amountIdr,
    currency: 'IDR',
    occurredAt: at,
  });
  if (!recorded) return 'duplicate';
  const honoured = !order.line.unlinkedAt || !['expired', 'canceled', 'payment_failed'].includes(order.state);
  const { moved } = honoured
    ? await moveOrder(tx, order.id, { to: 'paid', data: { paidAt: at, paidWith: 'midtrans' } })
    : { moved: false };
  await recordOrderEvent(tx, {
    orderId: order.id,
    kind: 'payment_paid',
    detail: {
      processor: 'midtrans',
      method: paid.method,
      amountMinor: paid.amountIdr,
      currency: 'IDR',
      applied: moved,
    },
  });
  if (!moved) return 'give_back';
  await enqueue(tx, {
    userId: order.userId,
    kind: 'payment_received',
    payload: { orderId: order.id },
    dedupeKey: `payment_received:${order.id}`,
  });
  await queueSummaryUpdate(tx, order, 'paid');
  return 'settled';
}
