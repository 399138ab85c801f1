import type { Db } from '../../adapters/db/client.js';
import { periodStart } from '../../domain/console.js';
import type { Money } from '../../domain/money.js';
import { isSettled, ORDER_STATES } from '../../domain/order-state.js';
import { storeEditing } from './store-editing.js';

export type PartnerStoreRow = {
  id: string;
  name: string;
  city: string;
  active: boolean;
  /** The carriers it sells for, as codes of CARRIERS. */
  carriers: string[];
  renewals30d: number;
  opens30d: number;
  /** What its renewals brought in, per currency, net of refunds and disputes (from the ledger). */
  revenue30d: Money[];
};

const RENEWED = ORDER_STATES.filter(isSettled);

/** Each store's money over the period, per currency, from the ledger of the orders its link started. */
async function storeRevenue(db: Db, since: Date): Promise<Map<string, Money[]>> {
  const orders = await db.order.findMany({
    where: { source: 'store', storeId: { not: null }, paidAt: { gte: since } },
    select: { id: true, storeId: true },
  });
  const storeOf = new Map(orders.map((o) => [o.id, o.storeId!]));
  const sums = orders.length
    ? await db.ledgerEntry.groupBy({
        by: ['orderId', 'currency'],
        where: { orderId: { in: [...storeOf.keys()] } },
        _sum: { amountMinor: true },
      })
    : [];
  const out = new Map<string, Map<string, number>>();
  for (const row of sums) {
    const store = storeOf.get(row.orderId!)!;
    const byCurrency = out.get(store) ?? new Map<string, number>();
    byCurrency.set(row.currency, (byCurrency.get(row.currency) ?? 0) + (row._sum.amountMinor ?? 0));
    out.set(store, byCurrency);
  }
  return new Map(
    [...out].map(([store, byCurrency]) => [
      store,
      [...byCurrency]
        .filter(([, amountMinor]) => amountMinor !== 0)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, amountMinor]) => ({ amountMinor, currency })),
    ]),
  );
}

/**
 * The partner stores an operator hands links to, with what each brought in over the overview's
 * 30 days (the operator's local days): paid renewals counted for the store, opens of its link, and the
 * money. Every store is listed, a switched-off one marked, so that an owner can switch it on again.
 */
export function createConsoleStores(deps: { db: Db; now: () => Date }) {
  const { db, now } = deps;
  return {
    ...storeEditing({ db }),
    /** Whether a store of that id was ever listed (a delisted store's QR code may still hang at its counter). */
    async exists(id: string): Promise<boolean> {
      return (await db.store.count({ where: { id } })) > 0;
    },
    async list(timeZone: string): Promise<PartnerStoreRow[]> {
      const since = periodStart('30d', now(), timeZone);
      const [stores, renewals, opens, revenue] = await Promise.all([
        db.store.findMany({
          select: { id: true, name: true, city: true, active: true, carriers: true },
          orderBy: [{ city: 'asc' }, { name: 'asc' }],
        }),
        db.order.groupBy({
          by: ['storeId'],
          where: { source: 'store', storeId: { not: null }, paidAt: { gte: since }, state: { in: RENEWED } },
          _count: { _all: true },
        }),
        db.storeVisit.groupBy({ by: ['storeId'], where: { at: { gte: since } }, _count: { _all: true } }),
        storeRevenue(db, since),
      ]);
      const renewed = new Map(renewals.map((r) => [r.storeId, r._count._all]));
      const opened = new Map(opens.map((r) => [r.storeId, r._count._all]));
      return stores.map((s) => ({
        ...s,
        carriers: s.carriers as string[],
        renewals30d: renewed.get(s.id) ?? 0,
        opens30d: opened.get(s.id) ?? 0,
        revenue30d: revenue.get(s.id) ?? [],
      }));
    },
  };
}
