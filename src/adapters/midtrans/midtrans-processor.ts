import { METHOD_TERMS, midtransOrderId, outcomeOf, type MidtransMethod } from '../../domain/midtrans.js';
import { isPaymentMethodId, type MethodTerms } from '../../domain/payment-methods.js';
import type { MidtransGateway } from '../../services/ports/midtrans-gateway.js';
import type { PagePaymentProcessor } from '../../services/ports/payment-processor.js';

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
 * Midtrans Snap behind the payment-processor port: one Snap page per attempt, for the method tapped
 * (Kuota's order id is the first attempt's Midtrans order_id; see midtransOrderId). Its payments reach Kuota through the notification route (services/midtrans),
 * confirmed with the status API.
 */
export function midtransProcessor(gateway: MidtransGateway, methods: readonly MidtransMethod[]): PagePaymentProcessor {
  const offered = new Set<string>(methods);
  return {
    profile: { id: 'midtrans', methods: midtransTerms(methods) },
    async createPaymentPage(request) {
      if (request.price.currency !== 'IDR' || !offered.has(request.method))
        return { status: 'method_refused', code: 'not_offered' };
      const pageId = midtransOrderId(request.orderId, request.attempt);
      const made = await gateway.createPage({
        orderId: pageId,
        amountIdr: request.price.amountMinor,
        methods: [request.method as MidtransMethod],
        expiresAt: request.expiresAt,
        finishUrl: request.returnUrl,
      });
      if (made.ok)
        return {
          status: 'created',
          page: { pageId, url: made.page.url, expiresAt: request.expiresAt },
        };
      return { status: 'unavailable', code: made.reason === 'refused' ? 'midtrans_refused' : 'midtrans_unavailable' };
    },
    /**
     * Midtrans has no call that closes a Snap page, only "Expire Transaction" for a pending one (a code
     * handed out, a QR shown). So: false when it is paid; a pending payment is expired; a page with no
     * method picked yet stays open, and a payment made on it later settles or goes back by the refund rule.
     */
    async closePaymentPage(pageId) {
      const now = await gateway.status(pageId);
      if (!now) return true;
      const outcome = outcomeOf(now.transactionStatus, now.fraudStatus);
      if (outcome === 'paid' || outcome === 'refunded' || outcome === 'partially_refunded') return false;
      if (outcome === 'pending') await gateway.expire(pageId);
      return true;
    },
    async refund(request) {
      const method = request.method as MidtransMethod | null;
      if (!method || !METHOD_TERMS[method]?.refundByApi) return { status: 'owed', code: 'not_refundable_by_api' };
      // By transaction id, which Midtrans takes in place of the order_id: the payment may be an earlier attempt's.
      const answer = await gateway.refund({
        orderId: request.paymentId,
        refundKey: `${request.paymentId}-refund`,
        amountIdr: request.amount.amountMinor,
        reason: 'paid_twice',
      });
      return answer.ok ? { status: 'refunded' } : { status: 'owed', code: answer.statusCode };
    },
  };
}
