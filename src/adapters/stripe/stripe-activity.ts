import { fromStripeAmount } from '../../domain/money.js';
import type { ProcessorActivity, ReportedPayment, ReportedRefund } from '../../services/ports/reconciliation.js';
import { createStripeClient, type StripeOptions } from './stripe-payments.js';

/**
 * What moved at Stripe, for reconciliation: succeeded PaymentIntents and refunds created since a
 * moment, read with stripe-node's auto-pagination (`created[gte]`, 100 a page, `starting_after`).
 */
export class StripeActivity implements ProcessorActivity {
  readonly processor = 'stripe' as const;
  private client: ReturnType<typeof createStripeClient> | undefined;

  constructor(
    private readonly options: Pick<StripeOptions, 'secretKey' | 'apiBase'>,
    /** Objects a page (Stripe allows 1–100). */
    private readonly pageSize = 100,
  ) {}

  async since(from: Date): Promise<{ payments: ReportedPayment[]; refunds: ReportedRefund[] }> {
    this.client ??= createStripeClient(this.options);
    const stripe = await this.client;
    const created = { gte: Math.floor(from.getTime() / 1000) };
    const payments: ReportedPayment[] = [];
    for await (const intent of stripe.paymentIntents.list({ created, limit: this.pageSize })) {
      if (intent.status !== 'succeeded') continue;
      payments.push({
        externalId: intent.id,
        amount: fromStripeAmount(intent.amount, intent.currency),
        at: new Date(intent.created * 1000),
        method: intent.payment_method_types?.[0] ?? null,
        orderId: intent.metadata?.orderId ?? null,
      });
    }
    const refunds: ReportedRefund[] = [];
    for await (const refund of stripe.refunds.list({ created, limit: this.pageSize })) {
      const paymentIntent =
        typeof refund.payment_intent === 'string' ? refund.payment_intent : refund.payment_intent?.id;
      if (refund.status !== 'succeeded' || !paymentIntent) continue;
      refunds.push({
        externalId: refund.id,
        paymentId: paymentIntent,
        amount: fromStripeAmount(refund.amount, refund.currency),
        at: new Date(refund.created * 1000),
        orderId: refund.metadata?.orderId ?? null,
      });
    }
    return { payments, refunds };
  }
}
