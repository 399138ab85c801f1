import Stripe from 'stripe';
import { listen, sendJson } from './http.js';
import { parseForm } from './form.js';

export type FakeSession = {
  id: string;
  object: 'checkout.session';
  mode: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  amount_total: number;
  currency: string;
  metadata: Record<string, string>;
  client_reference_id: string | null;
  expires_at: number;
  url: string | null;
  payment_intent: string | null;
  allowed_payment_method_types: string[];
  locale?: string;
  customer?: string | null;
  setup_intent?: string | null;
  success_url?: string;
  cancel_url?: string;
};

/** A Dispute (https://docs.stripe.com/api/disputes/object), the fields Kuota reads and a few beside them. */
export type FakeDispute = {
  id: string;
  object: 'dispute';
  amount: number;
  currency: string;
  charge: string;
  payment_intent: string;
  reason: string;
  status: string;
  metadata: Record<string, string>;
  created: number;
  is_charge_refundable: boolean;
  balance_transactions: Array<{
    id: string;
    object: 'balance_transaction';
    amount: number;
    currency: string;
    type: string;
    reporting_category: string;
    created: number;
  }>;
  evidence_details: { due_by: number | null; has_evidence: boolean; past_due: boolean; submission_count: number };
};

/** How a saved test card behaves when charged off-session, like Stripe's test cards. */
export type CardBehaviour = 'succeeds' | 'declines' | 'requires_authentication';
export type FakePaymentMethod = {
  id: string;
  object: 'payment_method';
  type: 'card';
  customer: string | null;
  card: { brand: string; last4: string };
  behaviour: CardBehaviour;
};
export type FakeIntent = {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: string;
  customer: string | null;
  payment_method: string | null;
  off_session?: boolean;
  metadata: Record<string, string>;
  latest_charge: string;
  receipt_url: string;
  /** What was refunded, in Stripe's units (the charge's amount_refunded). */
  amount_refunded?: number;
  /** Unix seconds. */
  created: number;
};
export type FakeRefund = {
  id: string;
  object: 'refund';
  payment_intent: string;
  amount: number;
  currency: string;
  status: 'succeeded';
  metadata: Record<string, string>;
  created: number;
};

/**
 * The Stripe endpoints Kuota calls, on loopback, reached through the real stripe-node client.
 * Honours Idempotency-Key like Stripe: the first answer is replayed, a 500 included, and the same key
 * with other parameters is refused with 400 idempotency_error. Builds signed events.
 */
export class FakeStripe {
  readonly requests: Array<{ method: string; path: string; body: Record<string, any>; idempotencyKey?: string }> = [];
  /** Payment method types this account has not activated in its Dashboard: Checkout refuses a session naming one. */
  readonly notActivated = new Set<string>();
  readonly sessions = new Map<string, FakeSession>();
  readonly refunds: FakeRefund[] = [];
  readonly customers = new Map<string, { id: string; object: 'customer'; metadata: Record<string, string> }>();
  readonly paymentMethods = new Map<string, FakePaymentMethod>();
  private readonly setupIntents = new Map<
    string,
    {
      id: string;
      object: 'setup_intent';
      status: string;
      customer: string;
      payment_method: string;
      metadata: Record<string, string>;
    }
  >();
  /** Every PaymentIntent created (a replayed idempotent request creates none). */
  readonly intents = new Map<string, FakeIntent>();
  private held: Array<{ path: RegExp; release?: () => void }> = [];
  private readonly idempotent = new Map<string, { request: string; status: number; body: unknown }>();
  private failures: Array<{ path: RegExp; status: number }> = [];
  private seq = 1;
  readonly webhookSecret = 'whsec_test_fake_secret';
  private readonly signer = new Stripe('sk_test_signer');

  private constructor(
    readonly url: string,
    readonly close: () => Promise<void>,
  ) {}

  static async start(): Promise<FakeStripe> {
    // eslint-disable-next-line prefer-const -- the server's handler needs `fake` before it exists
    let fake!: FakeStripe;
    const s = await listen(async (req, body, res) => {
      const answer = fake.handle(
        req.method ?? 'GET',
        req.url ?? '/',
        body.toString('utf8'),
        req.headers['idempotency-key'] as string | undefined,
      );
      const hold = fake.held.find((h) => !h.release && h.path.test((req.url ?? '').split('?')[0]!));
      // Stripe did the work; its answer never reaches the caller until release() (a process killed mid-request).
      if (hold)
        await new Promise<void>((resolve) => {
          hold.release = resolve;
        });
      if (res.destroyed) return;
      // Stripe asks clients not to retry a 500 it would replay for the same idempotency key.
      const noRetry: Record<string, string> =
        answer.status >= 500 && req.headers['idempotency-key'] ? { 'stripe-should-retry': 'false' } : {};
      sendJson(res, answer.status, answer.body, { 'request-id': `req_${fake.seq++}`, ...noRetry });
    });
    fake = new FakeStripe(s.url, s.close);
    return fake;
  }

  /** The next request to a matching path fails with this status (a Stripe outage). */
  failNext(path: RegExp, status = 500): void {
    this.failures.push({ path, status });
  }

  /** The next request to a matching path is carried out, but its answer is held back until the returned release(). */
  holdNext(path: RegExp): { release(): void; reached(): boolean } {
    const hold: { path: RegExp; release?: () => void } = { path };
    this.held.push(hold);
    return { release: () => hold.release?.(), reached: () => !!hold.release };
  }

  private id(prefix: string): string {
    return `${prefix}_test_${(this.seq++).toString(36).padStart(8, '0')}`;
  }

  private handle(
    method: string,
    rawPath: string,
    rawBody: string,
    idempotencyKey?: string,
  ): { status: number; body: unknown } {
    const [path, query = ''] = rawPath.split('?');
    const body = method === 'GET' ? parseForm(query) : parseForm(rawBody);
    this.requests.push({ method, path: path!, body, idempotencyKey });
    const request = `${method} ${path} ${rawBody}`;
    const earlier = idempotencyKey ? this.idempotent.get(idempotencyKey) : undefined;
    if (earlier && earlier.request !== request) {
      return {
        status: 400,
        body: {
          error: {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          },
        },
      };
    }
    if (earlier) return earlier;
    const failure = this.failures.findIndex((f) => f.path.test(path!));
    const answer =
      failure >= 0
        ? {
            status: this.failures.splice(failure, 1)[0]!.status,
            body: { error: { type: 'api_error', message: 'fake outage' } },
          }
        : this.route(method, path!, body);
    // Stripe keeps the first answer of any request that started executing, errors included.
    if (idempotencyKey && method === 'POST') this.idempotent.set(idempotencyKey, { request, ...answer });
    return answer;
  }

  private route(method: string, path: string, body: Record<string, any>): { status: number; body: unknown } {
    let m0: RegExpExecArray | null;
    const notFound = {
      status: 404,
      body: { error: { type: 'invalid_request_error', message: `No such resource: ${path}` } },
    };
    if (method === 'POST' && path === '/v1/customers') {
      const customer = { id: this.id('cus'), object: 'customer' as const, metadata: body.metadata ?? {} };
      this.customers.set(customer.id, customer);
      return { status: 200, body: customer };
    }
    if (method === 'POST' && path === '/v1/checkout/sessions' && body.mode === 'setup') {
      if (!this.customers.has(body.customer))
        return {
          status: 400,
          body: { error: { type: 'invalid_request_error', message: `No such customer: '${body.customer}'` } },
        };
      const id = this.id('cs');
      const session: FakeSession = {
        id,
        object: 'checkout.session',
        mode: 'setup',
        status: 'open',
        payment_status: 'no_payment_required',
        amount_total: 0,
        currency: '',
        metadata: body.metadata ?? {},
        client_reference_id: null,
        expires_at: Number(body.expires_at),
        url: `https://checkout.stripe.test/c/setup/${id}`,
        payment_intent: null,
        allowed_payment_method_types: body.allowed_payment_method_types ?? [],
        locale: body.locale,
        customer: body.customer,
        setup_intent: null,
      };
      this.sessions.set(id, session);
      return { status: 200, body: session };
    }
    m0 = /^\/v1\/setup_intents\/([^/]+)$/.exec(path);
    if (method === 'GET' && m0) {
      const intent = this.setupIntents.get(m0[1]!);
      if (!intent) return notFound;
      const expand: string[] = body.expand ?? [];
      return {
        status: 200,
        body: {
          ...intent,
          payment_method: expand.includes('payment_method')
            ? this.paymentMethods.get(intent.payment_method)
            : intent.payment_method,
        },
      };
    }
    m0 = /^\/v1\/payment_methods\/([^/]+)\/detach$/.exec(path);
    if (method === 'POST' && m0) {
      const pm = this.paymentMethods.get(m0[1]!);
      if (!pm || !pm.customer)
        return {
          status: 404,
          body: {
            error: { type: 'invalid_request_error', message: 'The payment method is not attached to a customer' },
          },
        };
      pm.customer = null;
      return { status: 200, body: pm };
    }
    if (method === 'POST' && path === '/v1/payment_intents') return this.createIntent(body);
    // https://docs.stripe.com/api/checkout/sessions/create: a payment method type the account has not
    // activated is refused with 400 invalid_request_error naming the type.
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const refused = ((body.allowed_payment_method_types ?? []) as string[]).find((m) => this.notActivated.has(m));
      if (refused)
        return {
          status: 400,
          body: {
            error: {
              type: 'invalid_request_error',
              param: 'allowed_payment_method_types',
              message: `The payment method type "${refused}" is invalid. Please ensure the provided type is activated in your dashboard (https://dashboard.stripe.com/account/payments/settings) and your account is enabled for any preview features that you are trying to use.`,
            },
          },
        };
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const item = body.line_items?.[0];
      if (!item?.price_data?.currency || !item.price_data.unit_amount)
        return {
          status: 400,
          body: { error: { type: 'invalid_request_error', message: 'line_items[0][price_data] is required' } },
        };
      const id = this.id('cs');
      const session: FakeSession = {
        id,
        object: 'checkout.session',
        mode: body.mode,
        status: 'open',
        payment_status: 'unpaid',
        amount_total: Number(item.price_data.unit_amount) * Number(item.quantity ?? 1),
        currency: item.price_data.currency,
        metadata: body.metadata ?? {},
        client_reference_id: body.client_reference_id ?? null,
        expires_at: Number(body.expires_at),
        url: `https://checkout.stripe.test/c/pay/${id}`,
        payment_intent: null,
        allowed_payment_method_types: body.allowed_payment_method_types ?? ['card'],
        locale: body.locale,
        success_url: body.success_url,
        cancel_url: body.cancel_url,
      };
      this.sessions.set(id, session);
      return { status: 200, body: session };
    }
    let m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (method === 'GET' && m)
      return this.sessions.has(m[1]!) ? { status: 200, body: this.sessions.get(m[1]!) } : notFound;
    m = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path);
    if (method === 'POST' && m) {
      const session = this.sessions.get(m[1]!);
      if (!session) return notFound;
      if (session.status !== 'open') {
        return {
          status: 400,
          body: {
            error: {
              type: 'invalid_request_error',
              message: `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
            },
          },
        };
      }
      session.status = 'expired';
      session.url = null;
      return { status: 200, body: session };
    }
    m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
    if (method === 'GET' && m) {
      const intent = this.intents.get(m[1]!);
      if (!intent) return notFound;
      const expand: string[] = body.expand ?? [];
      const charge = expand.includes('latest_charge')
        ? { id: intent.latest_charge, object: 'charge', receipt_url: intent.receipt_url }
        : intent.latest_charge;
      return { status: 200, body: { ...intent, latest_charge: charge } };
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = this.intents.get(body.payment_intent);
      if (!intent) return notFound;
      if ((intent.amount_refunded ?? 0) >= intent.amount) {
        return {
          status: 400,
          body: {
            error: {
              type: 'invalid_request_error',
              code: 'charge_already_refunded',
              message: `Charge ${intent.latest_charge} has already been refunded.`,
            },
          },
        };
      }
      return { status: 200, body: this.refundIntent(intent, body.metadata ?? {}) };
    }
    // https://docs.stripe.com/api/payment_intents/list
    if (method === 'GET' && path === '/v1/payment_intents') return this.list(path, [...this.intents.values()], body);
    // https://docs.stripe.com/api/refunds/list
    if (method === 'GET' && path === '/v1/refunds') return this.list(path, this.refunds, body);
    return notFound;
  }

  /**
   * A list endpoint as Stripe's pagination documents it (https://docs.stripe.com/api/pagination):
   * newest first, `created[gte|gt|lte|lt]`, `limit` 1–100 (default 10), `starting_after` an object id
   * of the previous page, and `has_more`.
   */
  private list(url: string, objects: Array<{ id: string; created: number }>, query: Record<string, any>) {
    const limit = query.limit === undefined ? 10 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return {
        status: 400,
        body: { error: { type: 'invalid_request_error', param: 'limit', message: 'Invalid integer: limit' } },
      };
    const c = query.created ?? {};
    const bound = (v: unknown, test: (created: number, n: number) => boolean) => (o: { created: number }) =>
      v === undefined || test(o.created, Number(v));
    // Insertion order breaks ties between objects created in the same second, as Stripe's ids do.
    let rows = objects
      .map((o, i) => ({ o, i }))
      .filter(({ o }) =>
        [
          bound(c.gte, (a, n) => a >= n),
          bound(c.gt, (a, n) => a > n),
          bound(c.lte, (a, n) => a <= n),
          bound(c.lt, (a, n) => a < n),
        ].every((f) => f(o)),
      )
      .sort((a, b) => b.o.created - a.o.created || b.i - a.i)
      .map(({ o }) => o);
    if (query.starting_after) {
      const at = rows.findIndex((o) => o.id === query.starting_after);
      if (at < 0)
        return {
          status: 400,
          body: {
            error: {
              type: 'invalid_request_error',
              param: 'starting_after',
              message: `No such object: '${query.starting_after}'`,
            },
          },
        };
      rows = rows.slice(at + 1);
    }
    const data = rows.slice(0, limit);
    return { status: 200, body: { object: 'list', url, has_more: rows.length > limit, data } };
  }

  private now(): number {
    return Math.floor(Date.now() / 1000) + this.skew;
  }

  private refundIntent(intent: FakeIntent, metadata: Record<string, string> = {}) {
    const refund: FakeRefund = {
      id: this.id('re'),
      object: 'refund',
      payment_intent: intent.id,
      amount: intent.amount - (intent.amount_refunded ?? 0),
      currency: intent.currency,
      status: 'succeeded',
      metadata,
      created: this.now(),
    };
    intent.amount_refunded = intent.amount;
    this.refunds.push(refund);
    return refund;
  }

  private charge(intent: FakeIntent) {
    const refunded = intent.amount_refunded ?? 0;
    return {
      id: intent.latest_charge,
      object: 'charge',
      amount: intent.amount,
      amount_refunded: refunded,
      currency: intent.currency,
      payment_intent: intent.id,
      metadata: intent.metadata,
      refunded: refunded >= intent.amount,
      receipt_url: intent.receipt_url,
      status: 'succeeded',
    };
  }

  /** The operator refunds a payment in Stripe's Dashboard: `charge.refunded`, as Stripe sends it. */
  refundInDashboard(paymentIntentId: string, options: { amount?: number } = {}): Stripe.Event {
    const intent = this.intents.get(paymentIntentId);
    if (!intent) throw new Error(`no payment intent ${paymentIntentId}`);
    if (options.amount !== undefined && options.amount < intent.amount) {
      intent.amount_refunded = (intent.amount_refunded ?? 0) + options.amount;
      this.refunds.push({
        id: this.id('re'),
        object: 'refund',
        payment_intent: intent.id,
        amount: options.amount,
        currency: intent.currency,
        status: 'succeeded',
        metadata: {},
        created: this.now(),
      });
    } else this.refundIntent(intent);
    return this.event('charge.refunded', this.charge(intent));
  }

  /** The `charge.refunded` Stripe sends about a payment's refunds so far (one Kuota made through the API, say). */
  refundedEvent(paymentIntentId: string): Stripe.Event {
    const intent = this.intents.get(paymentIntentId);
    if (!intent) throw new Error(`no payment intent ${paymentIntentId}`);
    return this.event('charge.refunded', this.charge(intent));
  }

  /**
   * The cardholder's bank opens a dispute: `charge.dispute.created`, carrying the Dispute object
   * (https://docs.stripe.com/api/disputes/object). A chargeback starts in needs_response with its money
   * withdrawn; an inquiry (https://docs.stripe.com/disputes/how-disputes-work#inquiries) in
   * warning_needs_response, with nothing withdrawn. evidence_details.due_by is when the answer is due.
   */
  dispute(paymentIntentId: string, reason = 'fraudulent', options: { inquiry?: boolean } = {}): Stripe.Event {
    const intent = this.intents.get(paymentIntentId);
    if (!intent) throw new Error(`no payment intent ${paymentIntentId}`);
    const dispute: FakeDispute = {
      id: this.id('dp'),
      object: 'dispute',
      amount: intent.amount,
      currency: intent.currency,
      charge: intent.latest_charge,
      payment_intent: intent.id,
      reason,
      status: options.inquiry ? 'warning_needs_response' : 'needs_response',
      metadata: {},
      created: this.now(),
      is_charge_refundable: !!options.inquiry,
      balance_transactions: [],
      evidence_details: {
        due_by: this.now() + 7 * 86_400,
        has_evidence: false,
        past_due: false,
        submission_count: 0,
      },
    };
    if (!options.inquiry) dispute.balance_transactions.push(this.disputeMovement(dispute, -dispute.amount));
    this.disputes.set(dispute.id, dispute);
    return this.event('charge.dispute.created', dispute);
  }

  /** The disputes opened so far, by id. */
  readonly disputes = new Map<string, FakeDispute>();

  /**
   * The operator submits evidence in the Dashboard (https://docs.stripe.com/api/disputes/update with
   * submit=true): the dispute goes to under_review (warning_under_review for an inquiry), evidence_details
   * counts the submission, and Stripe sends `charge.dispute.updated`
   * (https://docs.stripe.com/api/events/types#event_types-charge.dispute.updated).
   */
  submitEvidence(disputeId: string): Stripe.Event {
    const dispute = this.disputeById(disputeId);
    dispute.status = dispute.status.startsWith('warning_') ? 'warning_under_review' : 'under_review';
    dispute.evidence_details.has_evidence = true;
    dispute.evidence_details.submission_count += 1;
    return this.event('charge.dispute.updated', dispute);
  }

  /**
   * The bank decides (https://docs.stripe.com/disputes/how-disputes-work): `charge.dispute.closed`
   * (https://docs.stripe.com/api/events/types#event_types-charge.dispute.closed) with won or lost
   * (warning_closed for an inquiry), then, for a chargeback won, `charge.dispute.funds_reinstated`
   * (https://docs.stripe.com/api/events/types#event_types-charge.dispute.funds_reinstated) with the
   * reinstating balance transaction. A lost dispute keeps the money withdrawn: no further event.
   */
  closeDispute(disputeId: string, outcome: 'won' | 'lost'): Stripe.Event[] {
    const dispute = this.disputeById(disputeId);
    const inquiry = dispute.status.startsWith('warning_');
    dispute.status = inquiry ? 'warning_closed' : outcome;
    dispute.is_charge_refundable = false;
    const events = [this.event('charge.dispute.closed', dispute)];
    if (!inquiry && outcome === 'won') {
      dispute.balance_transactions.push(this.disputeMovement(dispute, dispute.amount));
      events.push(this.event('charge.dispute.funds_reinstated', dispute));
    }
    return events;
  }

  /**
   * An inquiry the bank turns into a chargeback: the same dispute goes to needs_response and Stripe
   * withdraws the money, `charge.dispute.funds_withdrawn`
   * (https://docs.stripe.com/api/events/types#event_types-charge.dispute.funds_withdrawn).
   */
  escalateInquiry(disputeId: string): Stripe.Event {
    const dispute = this.disputeById(disputeId);
    dispute.status = 'needs_response';
    dispute.is_charge_refundable = false;
    dispute.balance_transactions.push(this.disputeMovement(dispute, -dispute.amount));
    return this.event('charge.dispute.funds_withdrawn', dispute);
  }

  private disputeById(disputeId: string): FakeDispute {
    const dispute = this.disputes.get(disputeId);
    if (!dispute) throw new Error(`no dispute ${disputeId}`);
    return dispute;
  }

  /** A balance transaction as a Dispute lists it (https://docs.stripe.com/api/balance_transactions/object). */
  private disputeMovement(dispute: FakeDispute, amount: number) {
    return {
      id: this.id('txn'),
      object: 'balance_transaction' as const,
      amount,
      currency: dispute.currency,
      type: 'adjustment',
      reporting_category: amount < 0 ? 'dispute' : 'dispute_reversal',
      created: this.now(),
    };
  }

  /** Moves the fake's clock (the `created` of the events and objects it makes from now on) ahead. */
  advanceClock(seconds: number): void {
    this.skew += seconds;
  }
  private skew = 0;

  /** The saved card is removed in the Dashboard (or by the bank): it can no longer be charged. */
  detachInDashboard(paymentMethodId: string): void {
    const pm = this.paymentMethods.get(paymentMethodId);
    if (!pm) throw new Error(`no payment method ${paymentMethodId}`);
    pm.customer = null;
  }

  /** The traveller pays on the Checkout page. `delayed`: a method that settles later (async events follow). */
  pay(sessionId: string, options: { delayed?: boolean } = {}): Stripe.Event {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
    const intent = this.id('pi');
    this.intents.set(intent, {
      id: intent,
      object: 'payment_intent',
      amount: session.amount_total,
      currency: session.currency,
      status: 'succeeded',
      customer: null,
      payment_method: null,
      metadata: session.metadata,
      latest_charge: this.id('ch'),
      receipt_url: `https://pay.stripe.test/receipts/${intent}`,
      created: this.now(),
    });
    session.status = 'complete';
    session.payment_intent = intent;
    session.payment_status = options.delayed ? 'unpaid' : 'paid';
    return this.event('checkout.session.completed', session);
  }

  /** An off-session charge of a saved card, answered as the card's behaviour says. */
  private createIntent(body: Record<string, any>): { status: number; body: unknown } {
    const pm = this.paymentMethods.get(body.payment_method);
    if (!pm || pm.customer !== body.customer) {
      // Stripe's answer for a card detached from the Customer (in the Dashboard, or by the traveller's bank).
      return {
        status: 400,
        body: {
          error: {
            type: 'invalid_request_error',
            code: 'resource_missing',
            param: 'payment_method',
            message: `The customer does not have a payment method with the ID ${body.payment_method}. The payment method must be attached to the customer.`,
          },
        },
      };
    }
    const succeeded = pm.behaviour === 'succeeds';
    const intent: FakeIntent = {
      id: this.id('pi'),
      object: 'payment_intent',
      amount: Number(body.amount),
      currency: body.currency,
      status: succeeded ? 'succeeded' : 'requires_payment_method',
      customer: body.customer,
      payment_method: pm.id,
      off_session: body.off_session === 'true',
      metadata: body.metadata ?? {},
      latest_charge: this.id('ch'),
      receipt_url: '',
      created: this.now(),
    };
    intent.receipt_url = `https://pay.stripe.test/receipts/${intent.id}`;
    this.intents.set(intent.id, intent);
    if (succeeded) return { status: 200, body: intent };
    const code = pm.behaviour === 'declines' ? 'card_declined' : 'authentication_required';
    const decline = pm.behaviour === 'declines' ? 'insufficient_funds' : 'authentication_required';
    return {
      status: 402,
      body: {
        error: {
          type: 'card_error',
          code,
          decline_code: decline,
          message: 'Your card was declined.',
          payment_intent: intent,
        },
      },
    };
  }

  /** The traveller saves a card on a setup-mode Checkout page; the card then behaves as told. */
  completeSetup(
    sessionId: string,
    card: { brand?: string; last4?: string; behaviour?: CardBehaviour } = {},
  ): Stripe.Event {
    const session = this.sessions.get(sessionId);
    if (!session || session.mode !== 'setup') throw new Error(`no setup session ${sessionId}`);
    const pm: FakePaymentMethod = {
      id: this.id('pm'),
      object: 'payment_method',
      type: 'card',
      customer: session.customer ?? null,
      card: { brand: card.brand ?? 'visa', last4: card.last4 ?? '4242' },
      behaviour: card.behaviour ?? 'succeeds',
    };
    this.paymentMethods.set(pm.id, pm);
    const setupIntent = {
      id: this.id('seti'),
      object: 'setup_intent' as const,
      status: 'succeeded',
      customer: session.customer!,
      payment_method: pm.id,
      metadata: session.metadata,
    };
    this.setupIntents.set(setupIntent.id, setupIntent);
    session.status = 'complete';
    session.setup_intent = setupIntent.id;
    return this.event('checkout.session.completed', session);
  }

  /** The PaymentIntents created off-session with saved cards. */
  offSessionIntents(): FakeIntent[] {
    return [...this.intents.values()].filter((i) => i.off_session);
  }

  intentSucceeded(intentId: string): Stripe.Event {
    return this.event('payment_intent.succeeded', this.intents.get(intentId)!);
  }

  asyncSucceeded(sessionId: string): Stripe.Event {
    const session = this.sessions.get(sessionId)!;
    session.payment_status = 'paid';
    return this.event('checkout.session.async_payment_succeeded', session);
  }

  asyncFailed(sessionId: string): Stripe.Event {
    return this.event('checkout.session.async_payment_failed', this.sessions.get(sessionId)!);
  }

  expire(sessionId: string): Stripe.Event {
    const session = this.sessions.get(sessionId)!;
    session.status = 'expired';
    session.url = null;
    return this.event('checkout.session.expired', session);
  }

  event(type: string, object: unknown): Stripe.Event {
    return {
      id: this.id('evt'),
      object: 'event',
      type,
      api_version: '2026-10-28.endive',
      created: this.now(),
      livemode: false,
      pending_webhooks: 1,
      request: null,
      data: { object: structuredClone(object) },
    } as unknown as Stripe.Event;
  }

  /** Posts the event to the app as Stripe would: the raw JSON, signed with the endpoint's secret. */
  async deliver(
    appUrl: string,
    event: Stripe.Event,
    options: { secret?: string } = {},
  ): Promise<{ status: number; body: any }> {
    return this.deliverRaw(appUrl, JSON.stringify(event), options);
  }

  /** Posts any payload, signed as Stripe signs its events (for bodies Stripe would never send). */
  async deliverRaw(
    appUrl: string,
    payload: string,
    options: { secret?: string } = {},
  ): Promise<{ status: number; body: any }> {
    const header = this.signer.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? this.webhookSecret,
    });
    const response = await fetch(`${appUrl}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      body: payload,
    });
    return { status: response.status, body: await response.json() };
  }

  sessionForOrder(orderId: string): FakeSession | undefined {
    return [...this.sessions.values()].find((s) => s.metadata.orderId === orderId);
  }

  latestSession(mode: 'payment' | 'setup' = 'payment'): FakeSession {
    const all = [...this.sessions.values()].filter((s) => s.mode === mode);
    if (!all.length) throw new Error('no checkout session was created');
    return all[all.length - 1]!;
  }
}
