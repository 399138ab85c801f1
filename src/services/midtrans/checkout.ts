import type { Db } from '../../adapters/db/client.js';
import { frozenRupiah, methodsFor, midtransOrderId, type MidtransMethod } from '../../domain/midtrans.js';
import { isSettled } from '../../domain/order-state.js';
import type { Logger } from '../../logger.js';
import { noteOrderEvent } from '../order-timeline.js';
import { moveOrder } from '../order-transitions.js';
import type { MidtransGateway } from '../ports/midtrans-gateway.js';

export type MidtransCheckoutResult =
  | { status: 'ready'; url: string; expiresAt: Date }
  | { status: 'not_found' | 'already_paid' | 'expired' | 'canceled' | 'plan_unavailable' }
  /** The plan has no rupiah price, or none of the methods takes this amount. */
  | { status: 'no_method' }
  /** Midtrans is down or refused: the traveller is asked to try again, or to pick another way to pay. */
  | { status: 'payment_unavailable' };

/** The variant an attempt freezes when its page is Midtrans's (orders.ts freezes "main" or "alt" for Stripe's). */
export const MIDTRANS_VARIANT = 'midtrans';

/**
 * A Snap page for an order, at the rupiah price frozen in it, with Kuota's order id as Midtrans's
 * order_id and the order's expiry as the page's. Midtrans takes one page per order id and answers a
 * second "order_id has already been taken", so the page is made once per order: every later tap gets
 * the one saved with the order.
 */
export function createMidtransCheckout(deps: {
  db: Db;
  midtrans: MidtransGateway;
  logger: Logger;
  now: () => Date;
  methods: readonly MidtransMethod[];
  linkMinutes: number;
  finishUrl: (orderId: string) => string;
}) {
  const { db, midtrans, logger, now } = deps;

  async function start(userId: string, orderId: string): Promise<MidtransCheckoutResult> {
    const order = await db.order.findFirst({ where: { id: orderId, userId }, include: { plan: true, line: true } });
    if (!order) return { status: 'not_found' };
    if (isSettled(order.state)) return { status: 'already_paid' };
    if (order.state === 'expired' || order.state === 'payment_failed') return { status: 'expired' };
    if (order.state === 'canceled') return { status: 'canceled' };
    const open = order.checkoutUrl && order.checkoutExpiresAt && order.checkoutExpiresAt > now();
    if (order.state === 'awaiting_payment')
      return open && order.checkoutVariant === MIDTRANS_VARIANT
        ? { status: 'ready', url: order.checkoutUrl!, expiresAt: order.checkoutExpiresAt! }
        : { status: 'expired' };
    if (!order.plan.active || order.line.unlinkedAt) return { status: 'plan_unavailable' };
    const rupiah = frozenRupiah(order);
    const methods = rupiah === null ? [] : methodsFor(rupiah, deps.methods);
    if (rupiah === null || !methods.length) return { status: 'no_method' };
    // An earlier tap asked Midtrans already: the order id is spent there, whatever the answer was.
    if (order.checkoutVariant === MIDTRANS_VARIANT) return { status: 'payment_unavailable' };

    const expiresAt = new Date(now().getTime() + deps.linkMinutes * 60_000);
    const attempt = order.checkoutAttempt + 1;
    const { count } = await db.order.updateMany({
      where: { id: orderId, state: 'draft', checkoutAttempt: order.checkoutAttempt },
      data: { checkoutAttempt: attempt, checkoutVariant: MIDTRANS_VARIANT, checkoutExpiresAt: expiresAt },
    });
    if (!count) return start(userId, orderId);
    const made = await midtrans.createPage({
      orderId: midtransOrderId(orderId, attempt),
      amountIdr: rupiah,
      methods,
      expiresAt,
      finishUrl: deps.finishUrl(orderId),
    });
    if (!made.ok) {
      logger.warn({ orderId, reason: made.reason }, 'Midtrans payment page not made');
      // Nothing was made at Midtrans when it was down: the next tap may ask again.
      if (made.reason === 'unavailable')
        await db.order.updateMany({
          where: { id: orderId, state: 'draft', checkoutAttempt: attempt },
          data: { checkoutVariant: null },
        });
      return { status: 'payment_unavailable' };
    }
    const moved = await moveOrder(db, orderId, {
      to: 'awaiting_payment',
      from: 'draft',
      where: { checkoutAttempt: attempt },
      data: { checkoutUrl: made.page.url, amountMinor: rupiah, currency: 'IDR' },
    });
    if (!moved.moved) return start(userId, orderId);
    await noteOrderEvent(db, {
      orderId,
      kind: 'checkout_created',
      detail: { processor: 'midtrans', amountMinor: rupiah, currency: 'IDR', methods },
    });
    return { status: 'ready', url: made.page.url, expiresAt };
  }

  return { start };
}

export type MidtransCheckout = ReturnType<typeof createMidtransCheckout>;
