import type { PaymentMethodId } from '../../domain/payment-methods.js';
import type { Logger } from '../../logger.js';
import { PaymentMethodRefused, type PaymentGateway } from '../ports/payment-gateway.js';
import type { PagePaymentProcessor } from '../ports/payment-processor.js';
import { STRIPE_METHOD_TERMS } from './methods.js';

/** Stripe Checkout as a payment processor: one Checkout Session per attempt, for the one method tapped. */
export function stripeProcessor(
  payments: PaymentGateway,
  enabled: readonly PaymentMethodId[],
  logger: Logger,
): PagePaymentProcessor {
  return {
    profile: { id: 'stripe', methods: STRIPE_METHOD_TERMS.filter((t) => enabled.includes(t.method)) },
    async createPaymentPage(request) {
      try {
        const checkout = await payments.createCheckout({
          orderId: request.orderId,
          price: request.price,
          description: request.description,
          methods: [request.method],
          expiresAt: request.expiresAt,
          locale: request.locale,
          idempotencyKey: request.idempotencyKey,
          returnUrl: request.returnUrl,
        });
        return {
          status: 'created',
          page: { pageId: checkout.sessionId, url: checkout.url, expiresAt: checkout.expiresAt },
        };
      } catch (error) {
        if (error instanceof PaymentMethodRefused) return { status: 'method_refused', code: error.code };
        logger.error(
          { err: error, orderId: request.orderId, attempt: request.attempt },
          'checkout session could not be created',
        );
        return { status: 'unavailable', code: 'stripe_error' };
      }
    },
    closePaymentPage: (pageId) => payments.expireCheckout(pageId),
    async refund(request) {
      await payments.refund(request.paymentId, request.orderId);
      return { status: 'refunded' };
    },
  };
}
