import type { Tx, Db } from '../adapters/db/client.js';
import type { OutboxMessage } from './outbox-messages.js';
import { recordOrderEvent } from './order-timeline.js';

export type { OutboxKind } from './outbox-messages.js';

/** One message to queue: its kind decides its payload's shape. */
export type OutboxEntry = { userId: string; dedupeKey: string } & OutboxMessage;

/** Queues a message once: a second call with the same dedupe key is a no-op. */
export async function enqueue(db: Tx | Db, entry: OutboxEntry): Promise<void> {
  const existing = await db.outboxMessage.findUnique({ where: { dedupeKey: entry.dedupeKey }, select: { id: true } });
  if (existing) return;
  await db.outboxMessage.create({
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- tsc needs it: Prisma's JSON input type
    data: { userId: entry.userId, kind: entry.kind, payload: entry.payload as object, dedupeKey: entry.dedupeKey },
  });
  if ('orderId' in entry.payload && typeof entry.payload.orderId === 'string') {
    await recordOrderEvent(db, {
      orderId: entry.payload.orderId,
      kind: 'message_queued',
      detail: { kind: entry.kind, dedupeKey: entry.dedupeKey },
    });
  }
}
