import type { Money } from '../../domain/money.js';
import type { StarsInvoice } from './stars-gateway.js';
import type { MethodTerms, PaymentMethodId, ProcessorId } from '../../domain/payment-methods.js';

export type { AmountLimits, MethodTerms, PaymentMethodId, ProcessorId } from '../../domain/payment-methods.js';

/**
 * The payment processors (issue 22): Stripe Checkout, Midtrans Snap and Telegram Stars. Each declares
 * in its `profile` the methods it offers, with each method's currencies and amount limits, whether it
 * refunds through its API or the refund is owed by hand, and how long a payment may stay pending
 * (domain/payment-methods.ts, MethodTerms). The order summary offers the methods of every processor
 * wired in, Stars included, that the operator switched on and whose terms take one of the order's
 * prices (domain/payment-choice.ts): for Stars that price is the plan's price in Stars.
 *
 * Every processor gives money back the same way (`refund`). How a payment starts differs:
 * - `PagePaymentProcessor` (Stripe, Midtrans): a page, opened from a URL button, one per attempt.
 * - `InvoicePaymentProcessor` (Telegram Stars): an invoice paid inside the chat, at the price frozen
 *   in the order (services/stars/ makes it and answers the pre-checkout).
 *
 * For an adapter:
 * - `profile` declares each method it offers. The summary offers a method only when the plan has a
 *   price its terms take and the operator switched it on (Stars: `STARS_PAYMENTS`).
 * - `createPaymentPage` is called once per attempt of an order, with the price frozen in the order,
 *   the method tapped, the order's expiry, and a key that is the same for every tap of one attempt.
 *   The order id is the processor's order id. It never throws for a refusal: it answers
 *   `method_refused` (the account does not offer the method: the service switches it off for a while
 *   and offers the others) or `unavailable` (down, or any other error: "try again").
 * - `refund` gives a payment back, or answers `owed` when the method cannot be refunded through the API.
 *   It is called from the one refund path (services/refunds.ts, and for a payment that arrived twice
 *   services/payment-events/settle-payment.ts; Stars' through services/stars/refunds.ts).
 * - Money reaches Kuota through ONE path: the adapter's route (or Stars' successful_payment) turns a
 *   processor's event into a `SettledPayment` (after confirming it with the processor, never from a
 *   return page) and hands it to `settlePayment` (services/payment-events/settle-payment.ts). That
 *   records the event once, the ledger movement, the order's move to paid, "payment received" to the
 *   traveller, and refunds a second payment.
 */
export interface PaymentProcessor {
  readonly profile: ProcessorProfile;
  refund(request: ProcessorRefund): Promise<ProcessorRefundResult>;
}

/** A processor paid on a page: Stripe Checkout and Midtrans Snap. */
export interface PagePaymentProcessor extends PaymentProcessor {
  createPaymentPage(request: PaymentPageRequest): Promise<PaymentPageResult>;
  /** Closes a page nobody should use any more; false when it was no longer open (paid, or expired already). */
  closePaymentPage(pageId: string): Promise<boolean>;
}

/** A processor paid inside the chat: Telegram Stars, by an invoice link (one price, in XTR). */
export interface InvoicePaymentProcessor extends PaymentProcessor {
  /** The invoice's link; its payload comes back with the payment. Throws when Telegram does not answer. */
  createInvoiceLink(invoice: StarsInvoice): Promise<string>;
}

export type ProcessorProfile = { id: ProcessorId; methods: readonly MethodTerms[] };

export type PaymentPageRequest = {
  orderId: string;
  /** The order's attempt number (Order.checkoutAttempt): a new attempt is a new page. */
  attempt: number;
  method: PaymentMethodId;
  /** The price frozen in the order, in the currency this method settles in. */
  price: Money;
  /** What the traveller sees on the page: plan and masked line. */
  description: string;
  /** The order's expiry: the page (and a pending payment on it) must not outlive it. */
  expiresAt: Date;
  /** The traveller's language (one of the ten); the processor maps it to the nearest it has. */
  locale: string;
  /** One per attempt: every tap of one attempt sends this request unchanged, and gets the same page. */
  idempotencyKey: string;
  /** Where the page sends the traveller back (paid or not): the bot, opened on this order. Never proof of payment. */
  returnUrl: string;
};

export type PaymentPage = {
  /** The processor's id of the page (Stripe: the Checkout Session; Midtrans: the Snap token). */
  pageId: string;
  url: string;
  expiresAt: Date;
};

export type PaymentPageResult =
  | { status: 'created'; page: PaymentPage }
  /** The account does not offer this method (Stripe: payment method type not activated or invalid). */
  | { status: 'method_refused'; code: string }
  /** The processor is down or answered another error: the traveller may try again, or another method. */
  | { status: 'unavailable'; code: string };

export type ProcessorRefund = {
  orderId: string;
  /** SettledPayment.paymentId of the payment given back. */
  paymentId: string;
  method: PaymentMethodId | null;
  amount: Money;
  /** Who paid, by Telegram user id: Stars name the payer in a refund (refundStarPayment's user_id). */
  payerTelegramId?: number;
};

export type ProcessorRefundResult =
  | { status: 'refunded' }
  /** Not through the API (bank transfer, minimarket) or refused by it: the operator pays it back and marks it paid. */
  | { status: 'owed'; code: string };

/** A payment a processor confirmed, in Kuota's words: the one thing that settles an order. */
export type SettledPayment = {
  processor: ProcessorId;
  /** The processor's id of the event (or of the confirmation): recorded once, so a redelivery changes nothing. */
  eventId: string;
  orderId: string;
  /** The page it was paid on, when the processor has one (Stripe: the Checkout Session id). */
  pageId: string | null;
  /** The processor's id of the payment: the ledger's key, and what a refund names. */
  paymentId: string;
  method: PaymentMethodId | null;
  /** As the processor reports it; the ledger keeps this, whatever the order said. */
  paid: Money;
};

/** The processors wired in, by id (a processor the operator has not configured is absent). */
export type PaymentProcessors = {
  stripe?: PagePaymentProcessor;
  midtrans?: PagePaymentProcessor;
  stars?: InvoicePaymentProcessor;
};
