import type { Money } from '../../domain/money.js';

export type Processor = 'stripe' | 'stars' | 'midtrans';

/** Money a processor says it took: a succeeded PaymentIntent, or a Stars payment from a user. */
export type ReportedPayment = {
  /** The PaymentIntent id, or the telegram_payment_charge_id. */
  externalId: string;
  amount: Money;
  at: Date;
  method: string | null;
  /** Kuota's order, from the PaymentIntent's metadata; null for a payment Kuota did not start. */
  orderId: string | null;
  /** Stars only: what the successful_payment message would have said. */
  stars?: { telegramUserId: number; payload: string; recurring: boolean };
};

/** Money a processor says it gave back. */
export type ReportedRefund = {
  /** The refund id (re_…), or "refund:" + the Stars charge id. The ledger keys Stripe refunds by payment and total. */
  externalId: string;
  /** The payment it gives back: PaymentIntent or Stars charge id. */
  paymentId: string;
  /** Positive: what went back. */
  amount: Money;
  at: Date;
  /** Set when Kuota asked for it (its refunds carry the order id). */
  orderId: string | null;
};

/** What reconciliation asks of each processor: everything that moved since a moment. */
export interface ProcessorActivity {
  readonly processor: Processor;
  since(from: Date): Promise<{ payments: ReportedPayment[]; refunds: ReportedRefund[] }>;
}

/** The existing ways money is settled or given back, so the job decides and the payment paths act. */
export interface Settlement {
  /** Settles an order with a card payment, as its webhook would have; true when the order is now paid by it. */
  card(payment: ReportedPayment & { orderId: string }): Promise<boolean>;
  /** Hands a Stars payment to the bot's settlement, as its successful_payment would have. */
  stars(
    payment: ReportedPayment & { stars: NonNullable<ReportedPayment['stars']> },
  ): Promise<'settled' | 'refunded' | 'duplicate' | 'unsettled'>;
  /** Gives a card payment back (the order id keys the refund at Stripe). */
  refundCard(paymentIntentId: string, orderId: string): Promise<void>;
}
