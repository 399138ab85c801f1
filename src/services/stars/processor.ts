import { STARS_TERMS } from '../../domain/stars.js';
import type { InvoicePaymentProcessor } from '../ports/payment-processor.js';
import type { StarsGateway } from '../ports/stars-gateway.js';

/**
 * Telegram Stars as a payment processor: its profile (STARS_TERMS), an invoice link to start a payment
 * inside the chat, and refunds through refundStarPayment. Its payments settle through
 * services/stars/successful-payment.ts, its refunds are claimed and recorded by services/stars/refunds.ts.
 */
export function starsProcessor(gateway: StarsGateway): InvoicePaymentProcessor {
  return {
    profile: { id: 'stars', methods: [STARS_TERMS] },
    createInvoiceLink: (invoice) => gateway.createInvoiceLink(invoice),
    async refund(request) {
      // Telegram refunds a charge only to the user who paid it.
      if (request.payerTelegramId === undefined) throw new Error('a Stars refund needs the payer');
      await gateway.refund(request.payerTelegramId, request.paymentId);
      return { status: 'refunded' };
    },
  };
}
