import type Stripe from 'stripe';
import { fromStripeAmount, toStripeAmount } from '../../domain/money.js';
import type { Logger } from '../../logger.js';
import type {
  CardSetupRequest,
  Checkout,
  CheckoutRequest,
  DisputeChange,
  DisputeFacts,
  OffSessionCharge,
  OffSessionResult,
  PaymentEvent,
  PaymentGateway,
  SavedCard,
} from '../../services/ports/payment-gateway.js';
import { PaymentMethodRefused } from '../../services/ports/payment-gateway.js';

export type StripeOptions = {
  secretKey: string;
  webhookSecret: string;
  /** A local fake's base URL in tests (http://127.0.0.1:port). */
  apiBase?: string;
  /** Where a card-setup page sends the traveller back: the bot's chat (known once the bot has started). */
  returnUrl: () => string;
  /** At debug, each request's method, path, status and time (never its body or key). */
  logger?: Pick<Logger, 'debug'>;
};

const STRIPE_LOCALES = new Set(['en', 'id', 'zh', 'zh-TW', 'zh-HK', 'ms', 'th', 'vi', 'ja', 'ko', 'ru']);

// stripe-node is some 200 modules (a fifth of a second and ~20 MB): loaded at the first payment, not at start.
let loaded: typeof Stripe | undefined;

/** Whether `error` is Stripe's error of this kind (the module is loaded once any Stripe call was made). */
type ErrorKind = 'StripeError' | 'StripeCardError' | 'StripeInvalidRequestError';
function isStripeError<K extends ErrorKind>(error: unknown, kind: K): error is InstanceType<(typeof Stripe.errors)[K]> {
  return loaded !== undefined && error instanceof loaded.errors[kind];
}

export async function createStripeClient(
  options: Pick<StripeOptions, 'secretKey' | 'apiBase' | 'logger'>,
): Promise<Stripe> {
  loaded ??= (await import('stripe')).default;
  const base = options.apiBase ? new URL(options.apiBase) : null;
  const client = new loaded(options.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    ...(base
      ? { host: base.hostname, port: base.port, protocol: base.protocol.replace(':', '') as 'http' | 'https' }
      : {}),
  });
  const logger = options.logger;
  if (logger)
    // stripe-node's typings leave the event emitter untyped; the handler's argument is its documented ResponseEvent.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-call
    client.on('response', (r: { method: string; path: string; status: number; request_id: string; elapsed: number }) =>
      logger.debug(
        { method: r.method, path: r.path, status: r.status, requestId: r.request_id, ms: r.elapsed },
        'Stripe request',
      ),
    );
  return client;
}

export class StripePayments implements PaymentGateway {
  private client: Promise<Stripe> | undefined;

  constructor(private readonly options: StripeOptions) {}

  private stripe(): Promise<Stripe> {
    this.client ??= createStripeClient(this.options);
    return this.client;
  }

  async createCheckout(request: CheckoutRequest): Promise<Checkout> {
    try {
      return await this.createCheckoutSession(request);
    } catch (error) {
      // "The payment method type "paypal" is invalid. Please ensure the provided type is activated in your dashboard…"
      if (
        isStripeError(error, 'StripeInvalidRequestError') &&
        (error.param?.endsWith('payment_method_types') || /payment method type/i.test(error.message))
      )
        throw new PaymentMethodRefused(error.code ?? 'payment_method_type_invalid', error.message);
      throw error;
    }
  }

  private async createCheckoutSession(request: CheckoutRequest): Promise<Checkout> {
    const session = await (
      await this.stripe()
    ).checkout.sessions.create(
      {
        mode: 'payment',
        // Kuota's method ids are Stripe's payment method types for every method Stripe takes.
        allowed_payment_method_types: request.methods,
        ...(request.methods.includes('wechat_pay')
          ? { payment_method_options: { wechat_pay: { client: 'web' } } }
          : {}),
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: request.price.currency.toLowerCase(),
              unit_amount: toStripeAmount(request.price),
              product_data: { name: request.description },
            },
          },
        ],
        client_reference_id: request.orderId,
        metadata: { orderId: request.orderId },
        payment_intent_data: { metadata: { orderId: request.orderId } },
        expires_at: Math.floor(request.expiresAt.getTime() / 1000),
        locale: stripeLocale(request.locale),
        success_url: request.returnUrl,
        cancel_url: request.returnUrl,
      },
      { idempotencyKey: request.idempotencyKey },
    );
    if (!session.url) throw new Error(`Stripe returned session ${session.id} without a url`);
    return { sessionId: session.id, url: session.url, expiresAt: new Date(session.expires_at * 1000) };
  }

  async expireCheckout(sessionId: string): Promise<boolean> {
    try {
      await (await this.stripe()).checkout.sessions.expire(sessionId);
      return true;
    } catch (error) {
      // Stripe refuses to expire a session that is complete or expired already.
      if (isStripeError(error, 'StripeInvalidRequestError') && error.statusCode === 400) return false;
      throw error;
    }
  }

  async receiptUrl(paymentIntentId: string): Promise<string | null> {
    const intent = await (await this.stripe()).paymentIntents.retrieve(paymentIntentId, { expand: ['latest_charge'] });
    const charge = intent.latest_charge;
    return charge && typeof charge === 'object' ? (charge.receipt_url ?? null) : null;
  }

  async refund(paymentIntentId: string, orderId: string): Promise<void> {
    try {
      await (
        await this.stripe()
      ).refunds.create(
        { payment_intent: paymentIntentId, metadata: { orderId } },
        // One full refund per payment: an order paid twice gives back the second payment, and later its own.
        { idempotencyKey: `refund-${paymentIntentId}` },
      );
    } catch (error) {
      // Refunded already (in the Dashboard): the money is back, which is what was asked.
      if (isStripeError(error, 'StripeInvalidRequestError') && error.code === 'charge_already_refunded') return;
      throw error;
    }
  }

  async createCustomer(userId: string): Promise<string> {
    const customer = await (
      await this.stripe()
    ).customers.create({ metadata: { userId } }, { idempotencyKey: `customer-${userId}` });
    return customer.id;
  }

  async createCardSetup(request: CardSetupRequest): Promise<Checkout> {
    const metadata = { autoRenewId: request.autoRenewId };
    const session = await (
      await this.stripe()
    ).checkout.sessions.create(
      {
        mode: 'setup',
        customer: request.customerId,
        // Only cards can be charged later without the traveller: Alipay and WeChat Pay need them each time.
        allowed_payment_method_types: ['card'],
        metadata,
        setup_intent_data: { metadata },
        expires_at: Math.floor(request.expiresAt.getTime() / 1000),
        locale: stripeLocale(request.locale),
        success_url: this.options.returnUrl(),
        cancel_url: this.options.returnUrl(),
      },
      { idempotencyKey: `card-setup-${request.autoRenewId}-${request.attempt}` },
    );
    if (!session.url) throw new Error(`Stripe returned setup session ${session.id} without a url`);
    return { sessionId: session.id, url: session.url, expiresAt: new Date(session.expires_at * 1000) };
  }

  async savedCard(setupIntentId: string): Promise<SavedCard> {
    const intent = await (await this.stripe()).setupIntents.retrieve(setupIntentId, { expand: ['payment_method'] });
    const method = intent.payment_method;
    if (!method || typeof method === 'string' || !method.card)
      throw new Error(`setup intent ${setupIntentId} holds no card`);
    return { paymentMethodId: method.id, brand: method.card.brand, last4: method.card.last4 };
  }

  async chargeOffSession(charge: OffSessionCharge): Promise<OffSessionResult> {
    try {
      const intent = await (
        await this.stripe()
      ).paymentIntents.create(
        {
          amount: toStripeAmount(charge.price),
          currency: charge.price.currency.toLowerCase(),
          customer: charge.customerId,
          payment_method: charge.paymentMethodId,
          off_session: true,
          confirm: true,
          description: charge.description,
          metadata: { orderId: charge.orderId, autoRenewChargeId: charge.chargeId },
        },
        { idempotencyKey: charge.idempotencyKey },
      );
      if (intent.status === 'succeeded') return { status: 'succeeded', paymentIntentId: intent.id };
      if (intent.status === 'requires_action')
        return { status: 'authentication_required', paymentIntentId: intent.id, code: 'authentication_required' };
      return { status: 'declined', paymentIntentId: intent.id, code: intent.status };
    } catch (error) {
      // A refused card is an answer, not an outage.
      if (isStripeError(error, 'StripeCardError')) {
        const paymentIntentId = error.payment_intent?.id ?? null;
        if (error.code === 'authentication_required')
          return { status: 'authentication_required', paymentIntentId, code: error.code };
        return { status: 'declined', paymentIntentId, code: error.decline_code ?? error.code ?? 'card_declined' };
      }
      if (isFinalRefusal(error)) return { status: 'refused', paymentIntentId: null, code: error.code ?? error.type };
      if (isStripeError(error, 'StripeError') && (error.statusCode ?? 0) >= 500)
        return { status: 'unavailable', paymentIntentId: null, code: error.code ?? error.type };
      // No answer at all (a timeout, a dropped connection): the same key, repeated, tells what Stripe did.
      throw error;
    }
  }

  async detachCard(paymentMethodId: string): Promise<void> {
    try {
      await (await this.stripe()).paymentMethods.detach(paymentMethodId);
    } catch (error) {
      // Already detached (or removed in the Dashboard): the card is gone, which is what was asked.
      if (isStripeError(error, 'StripeInvalidRequestError') && error.statusCode === 404) return;
      throw error;
    }
  }

  async parseWebhook(rawBody: Buffer, signature: string | undefined): Promise<PaymentEvent | null> {
    if (!signature) return null;
    const stripe = await this.stripe();
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(rawBody, signature, this.options.webhookSecret);
    } catch {
      return null;
    }
    // Signed but not an event (null, a string): nothing Stripe sends, refused like a bad signature.
    if (!event || typeof event !== 'object' || typeof event.type !== 'string') return null;
    return toPaymentEvent(event);
  }
}

/**
 * A 4xx that repeating cannot change: a detached card, an invalid request, a key reused with other
 * parameters. A lock conflict (409) or a rate limit (429) may pass, so those are retried.
 */
function isFinalRefusal(error: unknown): error is Stripe.errors.StripeError {
  if (!isStripeError(error, 'StripeError') || typeof error.statusCode !== 'number') return false;
  return error.statusCode >= 400 && error.statusCode < 500 && error.statusCode !== 409 && error.statusCode !== 429;
}

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  typeof value === 'string' ? value : (value?.id ?? null);

function disputeFacts(event: Stripe.Event, dispute: Stripe.Dispute): DisputeFacts {
  const dueBy = dispute.evidence_details?.due_by;
  return {
    disputeId: dispute.id,
    paymentIntentId: idOf(dispute.payment_intent),
    orderId: dispute.metadata?.orderId ?? null,
    amount: fromStripeAmount(dispute.amount, dispute.currency),
    reason: dispute.reason,
    status: dispute.status,
    dueBy: typeof dueBy === 'number' ? new Date(dueBy * 1000) : null,
    openedAt: new Date((dispute.created ?? event.created) * 1000),
    at: new Date(event.created * 1000),
  };
}

export function toPaymentEvent(event: Stripe.Event): PaymentEvent {
  switch (event.type) {
    case 'charge.refunded': {
      const charge = event.data.object;
      return {
        id: event.id,
        kind: 'refunded',
        paymentIntentId: idOf(charge.payment_intent),
        orderId: charge.metadata?.orderId ?? null,
        fully: charge.refunded,
        refundedMinor: fromStripeAmount(charge.amount_refunded ?? 0, charge.currency ?? 'usd').amountMinor,
      };
    }
    // https://docs.stripe.com/api/events/types#event_types-charge.dispute.created, and the four after it:
    // each carries the Dispute object as it stands (https://docs.stripe.com/api/disputes/object).
    case 'charge.dispute.created':
      return { id: event.id, kind: 'dispute_opened', ...disputeFacts(event, event.data.object) };
    case 'charge.dispute.updated':
    case 'charge.dispute.closed':
    case 'charge.dispute.funds_withdrawn':
    case 'charge.dispute.funds_reinstated':
      return {
        id: event.id,
        kind: 'dispute_changed',
        change: event.type.slice('charge.dispute.'.length) as DisputeChange,
        ...disputeFacts(event, event.data.object),
      };
    case 'payment_intent.succeeded': {
      const intent = event.data.object;
      const { autoRenewChargeId, orderId } = intent.metadata ?? {};
      if (!autoRenewChargeId || !orderId) return { id: event.id, kind: 'ignored', type: event.type };
      return {
        id: event.id,
        kind: 'charge_succeeded',
        chargeId: autoRenewChargeId,
        orderId,
        paymentIntentId: intent.id,
      };
    }
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired': {
      const session = event.data.object;
      if (session.mode === 'setup') {
        const autoRenewId = session.metadata?.autoRenewId;
        const setupIntentId =
          typeof session.setup_intent === 'string' ? session.setup_intent : session.setup_intent?.id;
        if (event.type !== 'checkout.session.completed' || !autoRenewId || !setupIntentId)
          return { id: event.id, kind: 'ignored', type: event.type };
        return { id: event.id, kind: 'card_saved', autoRenewId, sessionId: session.id, setupIntentId };
      }
      const orderId = session.metadata?.orderId ?? session.client_reference_id;
      if (!orderId) return { id: event.id, kind: 'ignored', type: event.type };
      const base = { id: event.id, orderId, sessionId: session.id };
      if (event.type === 'checkout.session.expired') return { ...base, kind: 'expired' };
      if (event.type === 'checkout.session.async_payment_failed') return { ...base, kind: 'failed' };
      if (session.payment_status !== 'paid') return { ...base, kind: 'awaiting_async' };
      const paymentIntentId =
        typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
      return {
        ...base,
        kind: 'paid',
        paymentIntentId,
        paid: fromStripeAmount(session.amount_total ?? 0, session.currency ?? 'usd'),
      };
    }
    default:
      return { id: event.id, kind: 'ignored', type: event.type };
  }
}

function stripeLocale(language: string): Stripe.Checkout.SessionCreateParams.Locale {
  if (language === 'zh-CN') return 'zh';
  if (STRIPE_LOCALES.has(language)) return language;
  return 'auto';
}
