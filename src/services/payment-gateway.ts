import type { Money } from '../domain/money.js';

export type PaymentMethod = 'card' | 'alipay' | 'wechat_pay';

export type CheckoutRequest = {
  orderId: string;
  price: Money;
  description: string;
  methods: PaymentMethod[];
  expiresAt: Date;
  locale: string;
};

export type Checkout = { sessionId: string; url: string; expiresAt: Date };

/** What a payment provider told Kuota, in Kuota's words. */
export type PaymentEvent =
  | { id: string; kind: 'paid'; orderId: string; sessionId: string; paymentIntentId: string | null; paid: Money }
  | { id: string; kind: 'awaiting_async'; orderId: string; sessionId: string }
  | { id: string; kind: 'failed'; orderId: string; sessionId: string }
  | { id: string; kind: 'expired'; orderId: string; sessionId: string }
  | { id: string; kind: 'ignored'; type: string };

export interface PaymentGateway {
  createCheckout(request: CheckoutRequest): Promise<Checkout>;
  receiptUrl(paymentIntentId: string): Promise<string | null>;
  refund(paymentIntentId: string, orderId: string): Promise<void>;
  /** null when the signature does not match: the caller answers 400. */
  parseWebhook(rawBody: Buffer, signature: string | undefined): PaymentEvent | null;
}
