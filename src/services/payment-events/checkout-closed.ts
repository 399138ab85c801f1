import type { Tx } from '../../adapters/db/client.js';
import type { ServiceDeps } from '../deps.js';
import { recordOrderEvent } from '../order-timeline.js';
import { moveOrder } from '../order-transitions.js';
import { queueSummaryUpdate } from '../order-updates.js';
import { enqueue } from '../outbox.js';
import type { PaymentEvent } from '../ports/payment-gateway.js';
import type { EventOutcome } from './once.js';
import { orderForSession } from './session-order.js';

type Closed = Extract<PaymentEvent, { kind: 'failed' | 'expired' }>;

/** checkout.session.expired and async_payment_failed: an unpaid order ends, and the traveller is told. */
export function checkoutClosed(deps: Pick<ServiceDeps, 'logger'>) {
  return async (tx: Tx, event: Closed): Promise<EventOutcome> => {
    const order = await orderForSession(tx, event, deps.logger);
    if (!order) return 'ignored';
    const to = event.kind === 'failed' ? 'payment_failed' : 'expired';
    const { moved } = await moveOrder(tx, order.id, { to, from: 'awaiting_payment' });
    const count = moved ? 1 : 0;
    await recordOrderEvent(tx, {
      orderId: order.id,
      kind: to === 'expired' ? 'payment_expired' : 'payment_failed',
      detail: { eventId: event.id, applied: count === 1 },
    });
    if (!count) return 'no_change';
    await enqueue(tx, {
      userId: order.userId,
      kind: to === 'expired' ? 'order_expired' : 'payment_failed',
      payload: { orderId: order.id },
      dedupeKey: `${to}:${order.id}`,
    });
    await queueSummaryUpdate(tx, order, to);
    return 'applied';
  };
}
