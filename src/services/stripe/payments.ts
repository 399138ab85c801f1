import type { ServiceDeps } from '../deps.js';
import { chargeRefunded } from '../payment-events/charge-refunded.js';
import { checkoutClosed } from '../payment-events/checkout-closed.js';
import { checkoutPaid } from '../payment-events/checkout-paid.js';
import { disputeChanged } from '../payment-events/dispute-changed.js';
import { disputeCreated } from '../payment-events/dispute-created.js';
import { once, type EventOutcome } from '../payment-events/once.js';
import type { OrderPaymentEvent } from '../ports/payment-gateway.js';
import type { SettledPayment } from '../ports/payment-processor.js';
import { settlePayment } from '../payment-events/settle-payment.js';

export type { EventOutcome } from '../payment-events/once.js';

/**
 * Settles orders from payment events: routes each to its handler (payment-events/, one per event).
 * Each event counts once (its id is recorded in the same transaction as its effect), and an event
 * that arrives late or out of order changes nothing.
 */
export function createPaymentService(deps: ServiceDeps & { onPaid: (orderId: string) => void; adminIds: number[] }) {
  const paid = checkoutPaid(deps);
  const closed = checkoutClosed(deps);
  const refunded = chargeRefunded(deps);
  const dispute = disputeCreated(deps);
  const disputeChange = disputeChanged(deps);
  const settle = settlePayment(deps);

  return {
    /**
     * A payment another processor (Midtrans) confirmed: the same settle path as Stripe's, counted once
     * per (processor, eventId). Throws when the transaction fails, so the processor's retry asks again.
     */
    async settle(payment: SettledPayment): Promise<EventOutcome> {
      const outcome = await once(deps.db, payment.processor, payment.eventId, (tx) => settle(tx, payment));
      if (outcome === 'applied') deps.onPaid(payment.orderId);
      return outcome;
    },

    async handle(event: OrderPaymentEvent): Promise<EventOutcome> {
      if (event.kind === 'ignored' || event.kind === 'awaiting_async') return 'ignored';
      const outcome = await once(deps.db, 'stripe', event.id, (tx) => {
        switch (event.kind) {
          case 'paid':
            return paid(tx, event);
          case 'failed':
          case 'expired':
            return closed(tx, event);
          case 'refunded':
            return refunded(tx, event);
          case 'dispute_opened':
            return dispute(tx, event);
          case 'dispute_changed':
            return disputeChange(tx, event);
        }
      });
      if (outcome === 'applied' && event.kind === 'paid') deps.onPaid(event.orderId);
      return outcome;
    },
  };
}

export type PaymentService = ReturnType<typeof createPaymentService>;
