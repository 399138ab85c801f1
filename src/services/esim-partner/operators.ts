import type { Db, Tx } from '../../adapters/db/client.js';
import { enqueue } from '../outbox.js';

/** A message to every operator, in each one's language: `key` names the string in locales/<lang>/*.json. */
export type OperatorAlert = {
  key: string;
  vars?: Record<string, string | number>;
  /** A sum to show in the reader's language (`{{amount}}`). */
  money?: { amountMinor: number; currency: string };
};

/** Queues the alert for every operator in ADMIN_IDS who has opened the bot; `incident` makes it once per incident. */
export async function alertOperators(db: Db | Tx, adminIds: number[], incident: string, alert: OperatorAlert) {
  const operators = await db.user.findMany({
    where: { telegramId: { in: adminIds.map(BigInt) } },
    select: { id: true },
  });
  for (const op of operators)
    await enqueue(db, {
      userId: op.id,
      kind: 'operator_partner',
      payload: alert,
      dedupeKey: `partner:${incident}:${op.id}`,
    });
  return operators.length;
}
