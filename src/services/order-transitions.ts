import type { Db, Prisma, Tx } from '../adapters/db/client.js';
import { canMove, statesThatCanMoveTo, type OrderState } from '../domain/order-state.js';

type OrderRow = NonNullable<Awaited<ReturnType<Db['order']['findUnique']>>>;

/** The move happened, or it did not and `order` is the order as it is now (null when there is none). */
export type Moved = { moved: true; order: OrderRow } | { moved: false; order: OrderRow | null };

export type Move = {
  to: OrderState;
  /** Narrows where the move may start (each must be allowed by the table); by default every state the table allows. */
  from?: OrderState | readonly OrderState[];
  /** Written with the new state. */
  data?: Omit<Prisma.OrderUpdateManyMutationInput, 'state'>;
  /** Further conditions on the row (e.g. no payment page made yet). */
  where?: Omit<Prisma.OrderWhereInput, 'id' | 'state'>;
};

/**
 * The only writer of Order.state. A compare-and-set against the states the table in
 * domain/order-state.ts allows the move from: two paths that race (a card and Stars, a webhook and
 * the sweep, two instances) cannot both move the order. When the set matches nothing, the order is
 * read again, so the caller decides what to do from where the order stands now, never from what it
 * read before (that read may be stale: another transaction committed in between).
 */
export async function moveOrder(db: Db | Tx, orderId: string, move: Move): Promise<Moved> {
  const allowed = move.from === undefined ? statesThatCanMoveTo(move.to) : [move.from].flat();
  const from = allowed.filter((s) => canMove(s, move.to));
  const { count } = await db.order.updateMany({
    where: { ...move.where, id: orderId, state: { in: from } },
    data: { ...move.data, state: move.to },
  });
  const order = await db.order.findUnique({ where: { id: orderId } });
  return count === 1 && order ? { moved: true, order } : { moved: false, order };
}
