import { statesThatCanMoveTo } from '../domain/order-state.js';
import { isUniqueViolation } from './db-errors.js';
import type { ServiceDeps } from './deps.js';
import { recordOrderEvent } from './order-timeline.js';
import { enqueue } from './outbox.js';
import type { OrderPaymentEvent } from './payment-gateway.js';

export type EventOutcome = 'applied' | 'duplicate' | 'ignored' | 'no_change';

/**
 * Settles orders from payment events. Each event counts once (its id is recorded in the same
 * transaction as its effect), and an event that arrives late or out of order changes nothing.
 */
export function createPaymentService(deps: ServiceDeps & { onPaid: (orderId: string) => void }) {
  const { db, now, logger } = deps;

  return {
    async handle(event: OrderPaymentEvent): Promise<EventOutcome> {
      if (event.kind === 'ignored' || event.kind === 'awaiting_async') return 'ignored';
      let outcome: EventOutcome;
      try {
        outcome = await db.$transaction(async (tx) => {
          await tx.processedEvent.create({ data: { source: 'stripe', eventId: event.id } });
          const order = await tx.order.findUnique({ where: { id: event.orderId } });
          if (!order || (order.stripeSessionId && order.stripeSessionId !== event.sessionId)) {
            logger.warn({ eventId: event.id, orderId: event.orderId }, 'payment event for an unknown order or session');
            return 'ignored' as const;
          }
          if (event.kind === 'paid') {
            if (event.paid.amountMinor !== order.amountMinor || event.paid.currency !== order.currency) {
              logger.error({ orderId: order.id, paid: event.paid, expected: { amountMinor: order.amountMinor, currency: order.currency } }, 'paid amount differs from the order');
            }
            const { count } = await tx.order.updateMany({
              where: { id: order.id, state: { in: statesThatCanMoveTo('paid') } },
              data: { state: 'paid', paidAt: now(), stripePaymentIntentId: event.paymentIntentId, stripeSessionId: event.sessionId },
            });
            await recordOrderEvent(tx, { orderId: order.id, kind: 'payment_paid', detail: { eventId: event.id, amountMinor: event.paid.amountMinor, currency: event.paid.currency, applied: count === 1 } });
            return count ? ('applied' as const) : ('no_change' as const);
          }
          const to = event.kind === 'failed' ? 'payment_failed' : 'expired';
          const { count } = await tx.order.updateMany({ where: { id: order.id, state: 'awaiting_payment' }, data: { state: to } });
          await recordOrderEvent(tx, { orderId: order.id, kind: to === 'expired' ? 'payment_expired' : 'payment_failed', detail: { eventId: event.id, applied: count === 1 } });
          if (!count) return 'no_change' as const;
          await enqueue(tx, { userId: order.userId, kind: to === 'expired' ? 'order_expired' : 'payment_failed', payload: { orderId: order.id }, dedupeKey: `${to}:${order.id}` });
          return 'applied' as const;
        });
      } catch (error) {
        if (isUniqueViolation(error)) return 'duplicate';
        throw error;
      }
      if (outcome === 'applied' && event.kind === 'paid') deps.onPaid(event.orderId);
      return outcome;
    },
  };
}

export type PaymentService = ReturnType<typeof createPaymentService>;
