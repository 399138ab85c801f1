import { randomUUID } from 'node:crypto';
import type { Tx, Db } from '../adapters/db/client.js';
import type { OutboxMessage } from './outbox-messages.js';
import { recordOrderEvent } from './order-timeline.js';

export type { OutboxKind } from './outbox-messages.js';

/** One message to queue: its kind decides its payload's shape. */
export type OutboxEntry = { userId: string; dedupeKey: string } & OutboxMessage;

/**
 * Queues a message once: a second call with the same dedupe key is a no-op, by construction. The
 * key (an order's event, such as `receipt:<order id>`) is unique, and one statement inserts the row
 * or does nothing, so two deliveries of the same event, a retry after a failed write, or a second
 * instance settling the same order at the same moment queue one message between them; inside the
 * transaction of the order change, the message exists exactly when the change does. (A read and then
 * an insert let two writers both read "none": on PostgreSQL the second insert's unique violation
 * then aborted its whole transaction, the order change with it.) Returns whether this call queued it.
 */
export async function enqueue(db: Tx | Db, entry: OutboxEntry): Promise<boolean> {
  const postgres = (db as unknown as { _activeProvider: string })._activeProvider === 'postgresql';
  const at = Date.now();
  const inserted = await db.$queryRawUnsafe<Array<{ id: string }>>(
    postgres
      ? `INSERT INTO "OutboxMessage" ("id", "userId", "kind", "payload", "dedupeKey", "nextAttemptAt", "createdAt")
         VALUES ($1, $2, $3, $4::jsonb, $5, $6::timestamp, $6::timestamp) ON CONFLICT ("dedupeKey") DO NOTHING RETURNING "id"`
      : `INSERT INTO "OutboxMessage" ("id", "userId", "kind", "payload", "dedupeKey", "nextAttemptAt", "createdAt")
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("dedupeKey") DO NOTHING RETURNING "id"`,
    randomUUID(),
    entry.userId,
    entry.kind,
    JSON.stringify(entry.payload),
    entry.dedupeKey,
    ...(postgres ? [new Date(at).toISOString()] : [at, at]),
  );
  if (!inserted.length) return false;
  if ('orderId' in entry.payload && typeof entry.payload.orderId === 'string') {
    await recordOrderEvent(db, {
      orderId: entry.payload.orderId,
      kind: 'message_queued',
      detail: { kind: entry.kind, dedupeKey: entry.dedupeKey },
    });
  }
  return true;
}
