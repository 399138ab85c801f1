import type { Db, Tx } from '../../adapters/db/client.js';
import { isUniqueViolation } from '../db-errors.js';

export type EventOutcome = 'applied' | 'duplicate' | 'ignored' | 'no_change';

/**
 * Runs an event's effect in one transaction with the record of its id: an event delivered twice
 * (or to two instances at once) takes effect once, and the second delivery answers "duplicate".
 */
export async function once(
  db: Db,
  source: string,
  eventId: string,
  effect: (tx: Tx) => Promise<EventOutcome>,
): Promise<EventOutcome> {
  try {
    return await db.$transaction(async (tx) => {
      await tx.processedEvent.create({ data: { source, eventId } });
      return effect(tx);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate';
    throw error;
  }
}
