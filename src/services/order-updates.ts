import type { Tx } from '../adapters/db/client.js';
import { enqueue } from './outbox.js';

type SummaryHolder = { id: string; userId: string; summaryMessageId: number | null };

/**
 * Queues an edit of the order's summary message (once per state), so its Pay button goes and it
 * says what became of the order. No-op for an order whose summary Kuota never showed.
 */
export async function queueSummaryUpdate(tx: Tx, order: SummaryHolder, state: string): Promise<void> {
  if (order.summaryMessageId === null) return;
  await enqueue(tx, {
    userId: order.userId,
    kind: 'order_update',
    payload: { orderId: order.id },
    dedupeKey: `order_update:${order.id}:${state}`,
  });
}
