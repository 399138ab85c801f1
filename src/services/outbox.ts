import type { Tx, Db } from '../adapters/db/client.js';
import { recordOrderEvent } from './order-timeline.js';

/** Messages that are not a direct reply: receipts, refunds, expiries, reminders, notices. */
export type OutboxKind =
  | 'receipt'
  | 'refunded'
  | 'order_expired'
  | 'payment_failed'
  | 'payment_received'
  /** A Midtrans code to pay (virtual account, minimarket): how, where and by when. */
  | 'midtrans_pending'
  | 'order_update'
  | 'dispute_opened'
  | 'autorenew_card_saved'
  | 'autorenew_over_cap'
  | 'autorenew_action_required'
  | 'autorenew_failed'
  | 'autorenew_monthly'
  | 'low_data'
  | 'stars_refunded'
  | 'stars_subscribed'
  | 'card_refunded_paid_twice'
  /** A second payment for an order already paid: refunded, or owed back by hand (payload.owed). */
  | 'payment_refunded_paid_twice'
  | 'operator_balance_low'
  /** To each operator: the provider applied a top-up of an order already refunded. */
  | 'topup_after_refund'
  | 'operator_reconciliation'
  | 'operator_partner';

export type OutboxEntry = { userId: string; kind: OutboxKind; payload: Record<string, unknown>; dedupeKey: string };

/** Queues a message once: a second call with the same dedupe key is a no-op. */
export async function enqueue(db: Tx | Db, entry: OutboxEntry): Promise<void> {
  const existing = await db.outboxMessage.findUnique({ where: { dedupeKey: entry.dedupeKey }, select: { id: true } });
  if (existing) return;
  await db.outboxMessage.create({
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- tsc needs it: Prisma's JSON input type
    data: { userId: entry.userId, kind: entry.kind, payload: entry.payload as object, dedupeKey: entry.dedupeKey },
  });
  if (typeof entry.payload.orderId === 'string') {
    await recordOrderEvent(db, {
      orderId: entry.payload.orderId,
      kind: 'message_queued',
      detail: { kind: entry.kind, dedupeKey: entry.dedupeKey },
    });
  }
}
