import type { Tx } from '../../adapters/db/client.js';
import type { Logger } from '../../logger.js';

/**
 * The order whose current page a Checkout Session is; null (and a warning) for an unknown order or a
 * session it no longer uses (the traveller left it for another method, or a newer attempt replaced
 * it): that session's end must not end the order on its new page.
 */
export async function orderForSession(
  tx: Tx,
  event: { id: string; orderId: string; sessionId: string },
  logger: Logger,
) {
  const order = await tx.order.findUnique({ where: { id: event.orderId } });
  if (!order || order.stripeSessionId !== event.sessionId) {
    logger.warn({ eventId: event.id, orderId: event.orderId }, 'payment event for an unknown order or session');
    return null;
  }
  return order;
}

/** The order a payment (charge, refund, dispute) belongs to: by its PaymentIntent, else by the order id in its metadata. */
export function orderForPayment(tx: Tx, event: { paymentIntentId: string | null; orderId: string | null }) {
  if (event.paymentIntentId) return tx.order.findFirst({ where: { stripePaymentIntentId: event.paymentIntentId } });
  return event.orderId ? tx.order.findUnique({ where: { id: event.orderId } }) : Promise.resolve(null);
}
