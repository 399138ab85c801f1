import { METHOD_TERMS, type MidtransMethod } from '../../domain/midtrans.js';
import { isPaymentMethodId, type MethodTerms } from '../../domain/payment-methods.js';
import type { MidtransGateway } from '../../services/ports/midtrans-gateway.js';
import type { PaymentProcessor } from '../../services/ports/payment-processor.js';

/** Midtrans's methods as the processor port declares them: rupiah only, with Midtrans's limits and pending times. */
export function midtransTerms(methods: readonly MidtransMethod[]): MethodTerms[] {
  // Cards are Stripe's on the summary (Kuota's "card"); Midtrans's credit_card stays on its own page only.
  return methods.flatMap((method) => {
    if (!isPaymentMethodId(method)) return [];
    const terms = METHOD_TERMS[method];
    return {
      method,
      currencies: ['IDR'],
      limits: { IDR: { minMinor: terms.minIdr, maxMinor: terms.maxIdr } },
      refund: terms.refundByApi ? 'api' : 'owed',
      pendingMs: terms.pendingMinutes * 60_000,
    } satisfies MethodTerms;
  });
}

/**
 * Midtrans Snap behind the payment-processor port: one Snap page per order (Kuota's order id is
 * Midtrans's order_id, so a second attempt is refused by Midtrans and answered "unavailable"), for
 * the method tapped. Its payments reach Kuota through the notification route (services/midtrans),
 * confirmed with the status API.
 */
export function midtransProcessor(gateway: MidtransGateway, methods: readonly MidtransMethod[]): PaymentProcessor {
  const offered = new Set<string>(methods);
  return {
    profile: { id: 'midtrans', methods: midtransTerms(methods) },
    async createPaymentPage(request) {
      if (request.price.currency !== 'IDR' || !offered.has(request.method))
        return { status: 'method_refused', code: 'not_offered' };
      const made = await gateway.createPage({
        orderId: request.orderId,
        amountIdr: request.price.amountMinor,
        methods: [request.method as MidtransMethod],
        expiresAt: request.expiresAt,
        finishUrl: request.returnUrl,
      });
      if (made.ok)
        return {
          status: 'created',
          page: { pageId: made.page.token, url: made.page.url, expiresAt: request.expiresAt },
        };
      return { status: 'unavailable', code: made.reason === 'refused' ? 'midtrans_refused' : 'midtrans_unavailable' };
    },
    // Snap pages cannot be closed by token; a pending payment on one ends with the order's expiry.
    closePaymentPage: () => Promise.resolve(false),
    async refund(request) {
      const method = request.method as MidtransMethod | null;
      if (!method || !METHOD_TERMS[method]?.refundByApi) return { status: 'owed', code: 'not_refundable_by_api' };
      const answer = await gateway.refund({
        orderId: request.orderId,
        refundKey: `${request.orderId}-refund`,
        amountIdr: request.amount.amountMinor,
        reason: 'paid_twice',
      });
      return answer.ok ? { status: 'refunded' } : { status: 'owed', code: answer.statusCode };
    },
  };
}
