import type { Money } from '../../domain/money.js';
import type { PaymentMethodId } from '../../domain/payment-methods.js';

/** A Stripe Checkout payment method type (domain/payment-methods.ts names every method Kuota knows). */
export type PaymentMethod = PaymentMethodId;

/** Stripe refused a Checkout Session because the account has not activated a payment method type it names. */
export class PaymentMethodRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PaymentMethodRefused';
  }
}

export type CheckoutRequest = {
  orderId: string;
  price: Money;
  description: string;
  methods: PaymentMethod[];
  expiresAt: Date;
  locale: string;
  /** One per attempt: every tap of one attempt sends Stripe this request unchanged, so Stripe answers each with the same session. */
  idempotencyKey: string;
  /** Where Checkout sends the traveller back (after paying or not): the bot, opened on this order. */
  returnUrl: string;
};

export type Checkout = { sessionId: string; url: string; expiresAt: Date };

/** Checkout in setup mode: the traveller saves a card for auto-renew on their Customer. */
export type CardSetupRequest = {
  customerId: string;
  autoRenewId: string;
  attempt: number;
  locale: string;
  expiresAt: Date;
};

export type SavedCard = { paymentMethodId: string; brand: string; last4: string };

export type OffSessionCharge = {
  customerId: string;
  paymentMethodId: string;
  price: Money;
  description: string;
  /** One per line, expiry and attempt: a repeat after a crash or by a second instance is the same charge. */
  idempotencyKey: string;
  orderId: string;
  chargeId: string;
};

export type OffSessionResult =
  | { status: 'succeeded'; paymentIntentId: string }
  | { status: 'authentication_required' | 'declined'; paymentIntentId: string | null; code: string }
  /** Stripe refused the request itself (a card no longer attached, an invalid request): trying again cannot help. */
  | { status: 'refused'; paymentIntentId: null; code: string }
  /** Stripe answered with a server error, which it replays for this key: only a new attempt (a new key) may go through. */
  | { status: 'unavailable'; paymentIntentId: null; code: string };

export type DisputeChange = 'updated' | 'closed' | 'funds_withdrawn' | 'funds_reinstated';

/** A Stripe Dispute object as an event carried it (https://docs.stripe.com/api/disputes/object). */
export type DisputeFacts = {
  disputeId: string;
  paymentIntentId: string | null;
  orderId: string | null;
  amount: Money;
  reason: string;
  /** Stripe's status, as sent (domain/disputes.ts names them). */
  status: string;
  /** evidence_details.due_by; null when nothing more can be sent. */
  dueBy: Date | null;
  /** The dispute's own `created`: when the bank opened it. */
  openedAt: Date;
  /** The event's `created`: which of two events about the dispute is newer. */
  at: Date;
};

/** What a payment provider told Kuota, in Kuota's words. */
export type PaymentEvent =
  | { id: string; kind: 'paid'; orderId: string; sessionId: string; paymentIntentId: string | null; paid: Money }
  | { id: string; kind: 'awaiting_async'; orderId: string; sessionId: string }
  | { id: string; kind: 'failed'; orderId: string; sessionId: string }
  | { id: string; kind: 'expired'; orderId: string; sessionId: string }
  | { id: string; kind: 'card_saved'; autoRenewId: string; sessionId: string; setupIntentId: string }
  /** An off-session auto-renew charge went through (the webhook twin of the API's answer). */
  | { id: string; kind: 'charge_succeeded'; chargeId: string; orderId: string; paymentIntentId: string }
  /** A payment was refunded (from the Dashboard, or Kuota's own refund coming back); `fully` when nothing of it is left. */
  | {
      id: string;
      kind: 'refunded';
      paymentIntentId: string | null;
      orderId: string | null;
      fully: boolean;
      /** How much of the payment Stripe says is refunded in all (charge.amount_refunded), in minor units. */
      refundedMinor: number;
    }
  /** The cardholder's bank disputes a payment (charge.dispute.created); the operators answer it in Stripe. */
  | ({ id: string; kind: 'dispute_opened' } & DisputeFacts)
  /** Later news of a dispute: charge.dispute.updated, .closed, .funds_withdrawn or .funds_reinstated. */
  | ({ id: string; kind: 'dispute_changed'; change: DisputeChange } & DisputeFacts)
  | { id: string; kind: 'ignored'; type: string };

export interface PaymentGateway {
  createCheckout(request: CheckoutRequest): Promise<Checkout>;
  /** Closes a payment page nobody should use any more; false when it was no longer open (paid, or expired already). */
  expireCheckout(sessionId: string): Promise<boolean>;
  receiptUrl(paymentIntentId: string): Promise<string | null>;
  refund(paymentIntentId: string, orderId: string): Promise<void>;
  /** The traveller's Customer, made once (the user id is the idempotency key). */
  createCustomer(userId: string): Promise<string>;
  createCardSetup(request: CardSetupRequest): Promise<Checkout>;
  savedCard(setupIntentId: string): Promise<SavedCard>;
  chargeOffSession(charge: OffSessionCharge): Promise<OffSessionResult>;
  detachCard(paymentMethodId: string): Promise<void>;
  /** null when the signature does not match: the caller answers 400. */
  parseWebhook(rawBody: Buffer, signature: string | undefined): Promise<PaymentEvent | null>;
}

/** Events about auto-renew: a saved card, an off-session charge. */
export type AutoRenewEvent = Extract<PaymentEvent, { kind: 'card_saved' | 'charge_succeeded' }>;
export type OrderPaymentEvent = Exclude<PaymentEvent, AutoRenewEvent>;

export function isAutoRenewEvent(event: PaymentEvent): event is AutoRenewEvent {
  return event.kind === 'card_saved' || event.kind === 'charge_succeeded';
}
