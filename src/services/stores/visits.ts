import type { Db } from '../../adapters/db/client.js';

/**
 * How long after opening a store's link a renewal still counts for that store: a day, so the
 * traveller who scans the QR code at the counter and pays that evening at the hotel still counts,
 * while one who comes back a week later on their own does not. The newest store link wins.
 */
export const STORE_ATTRIBUTION_MS = 24 * 3_600_000;

/** Opens of partner stores' links, and which store a renewal started from. */
export function createStoreVisits(deps: { db: Db; now: () => Date }) {
  const { db, now } = deps;
  return {
    /** Notes that `userId` opened `storeId`'s link; the store's name, or null when it is unknown or no longer a partner (nothing is noted). */
    async open(userId: string, storeId: string): Promise<{ id: string; name: string } | null> {
      const store = await db.store.findFirst({
        where: { id: storeId, active: true },
        select: { id: true, name: true },
      });
      if (!store) return null;
      await db.storeVisit.create({ data: { storeId: store.id, userId, at: now() } });
      return store;
    },
    /** The store a renewal drafted now by `userId` counts for, if they opened a store's link within the window. */
    async storeFor(userId: string): Promise<string | null> {
      const at = now();
      const visit = await db.storeVisit.findFirst({
        where: { userId, at: { gt: new Date(at.getTime() - STORE_ATTRIBUTION_MS), lte: at } },
        orderBy: { at: 'desc' },
        select: { storeId: true },
      });
      return visit?.storeId ?? null;
    },
  };
}

export type StoreVisits = ReturnType<typeof createStoreVisits>;
