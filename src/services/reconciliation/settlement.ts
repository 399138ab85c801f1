import type { Db } from '../../adapters/db/client.js';
import { STARS } from '../../domain/stars.js';
import type { PaymentGateway } from '../ports/payment-gateway.js';
import type { PaymentService } from '../stripe/payments.js';
import type { StarsService } from '../stars/stars-service.js';
import type { Settlement } from '../ports/reconciliation.js';

/** Reconciliation's Settlement through the payment paths' own entry points, as a late delivery would reach them. */
export function paymentPathsSettlement(deps: {
  db: Db;
  payments: PaymentService;
  stars: Pick<StarsService, 'paid'>;
  gateway: Pick<PaymentGateway, 'refund'>;
}): Settlement {
  const { db } = deps;
  return {
    async card(p) {
      const order = await db.order.findUnique({ where: { id: p.orderId }, select: { stripeSessionId: true } });
      if (!order) return false;
      await deps.payments.handle({
        // Its own event id: the webhook's, if it ever arrives, then finds the order paid and changes nothing.
        id: `reconcile:${p.externalId}`,
        kind: 'paid',
        orderId: p.orderId,
        // An order charged off-session has no session: undefined leaves the column as it is.
        sessionId: order.stripeSessionId ?? (undefined as unknown as string),
        paymentIntentId: p.externalId,
        paid: p.amount,
      });
      const after = await db.order.findUnique({ where: { id: p.orderId }, select: { stripePaymentIntentId: true } });
      return after?.stripePaymentIntentId === p.externalId;
    },

    async stars(p) {
      // A subscription's first payment is the first one Kuota sees with its payload.
      const earlier = p.stars.recurring && (await db.starsPayment.findFirst({ where: { payload: p.stars.payload } }));
      const outcome = await deps.stars.paid({
        telegramUserId: p.stars.telegramUserId,
        chargeId: p.externalId,
        payload: p.stars.payload,
        amount: p.amount.amountMinor,
        currency: STARS,
        recurring: p.stars.recurring,
        firstRecurring: p.stars.recurring && !earlier,
      });
      if (outcome.status === 'settled' || outcome.status === 'renewed') return 'settled';
      return outcome.status;
    },

    refundCard: (paymentIntentId, orderId) => deps.gateway.refund(paymentIntentId, orderId),
  };
}
