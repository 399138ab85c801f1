import type { PaymentGateway } from '../../services/ports/payment-gateway.js';

/**
 * Stands in for Stripe with STARS_PAYMENTS=only and no Stripe keys: nothing offers a card then, so
 * a call here is a bug, and a Stripe webhook (which cannot be signed) is refused.
 */
export function noCardPayments(): PaymentGateway {
  const off = async (): Promise<never> => {
    throw new Error('card payments are off: STARS_PAYMENTS=only and no STRIPE_SECRET_KEY');
  };
  return {
    createCheckout: off,
    expireCheckout: off,
    receiptUrl: async () => null,
    refund: off,
    createCustomer: off,
    createCardSetup: off,
    savedCard: off,
    chargeOffSession: off,
    detachCard: off,
    parseWebhook: async () => null,
  };
}
