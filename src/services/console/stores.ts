import type { Db } from '../../adapters/db/client.js';
import { periodStart } from '../../domain/console.js';
import { isSettled, ORDER_STATES } from '../../domain/order-state.js';

export type PartnerStoreRow = {
  id: string;
  name: string;
  city: string;
  active: boolean;
  renewals30d: number;
  opens30d: number;
};

const RENEWED = ORDER_STATES.filter(isSettled);

/**
 * The partner stores an operator hands links to, with what each brought in over the overview's
 * 30 days (the operator's local days): paid renewals counted for the store, and opens of its link.
 * A store dropped from the store file is still listed while it has figures, marked inactive.
 */
export function createConsoleStores(deps: { db: Db; now: () => Date }) {
  const { db, now } = deps;
  return {
    /** Whether a store of that id was ever listed (a delisted store's QR code may still hang at its counter). */
    async exists(id: string): Promise<boolean> {
      return (await db.store.count({ where: { id } })) > 0;
    },
    async list(timeZone: string): Promise<PartnerStoreRow[]> {
      const since = periodStart('30d', now(), timeZone);
      const [stores, renewals, opens] = await Promise.all([
        db.store.findMany({
          select: { id: true, name: true, city: true, active: true },
          orderBy: [{ city: 'asc' }, { name: 'asc' }],
        }),
        db.order.groupBy({
          by: ['storeId'],
          where: { source: 'store', storeId: { not: null }, paidAt: { gte: since }, state: { in: RENEWED } },
          _count: { _all: true },
        }),
        db.storeVisit.groupBy({ by: ['storeId'], where: { at: { gte: since } }, _count: { _all: true } }),
      ]);
      const renewed = new Map(renewals.map((r) => [r.storeId, r._count._all]));
      const opened = new Map(opens.map((r) => [r.storeId, r._count._all]));
      return stores
        .map((s) => ({ ...s, renewals30d: renewed.get(s.id) ?? 0, opens30d: opened.get(s.id) ?? 0 }))
        .filter((s) => s.active || s.renewals30d || s.opens30d);
    },
  };
}
