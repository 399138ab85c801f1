import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStripeClient } from '../../src/adapters/stripe/stripe-payments.js';
import { FakeStripe } from '../fakes/stripe-api.js';

/** The fake refuses what Stripe refuses, through the real stripe-node client. */
describe('the Stripe fake, as Stripe answers idempotent requests', () => {
  let fake: FakeStripe;
  let stripe: Stripe;
  beforeEach(async () => {
    fake = await FakeStripe.start();
    stripe = await createStripeClient({ secretKey: 'sk_test_fake', apiBase: fake.url });
  });
  afterEach(() => fake.close());

  it('replays the first answer for a key, and refuses the key with other parameters (400 idempotency_error)', async () => {
    const first = await stripe.customers.create({ metadata: { userId: 'u1' } }, { idempotencyKey: 'customer-u1' });
    const again = await stripe.customers.create({ metadata: { userId: 'u1' } }, { idempotencyKey: 'customer-u1' });
    expect(again.id).toBe(first.id);
    const conflict = await stripe.customers
      .create({ metadata: { userId: 'u2' } }, { idempotencyKey: 'customer-u1' })
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect((conflict as Stripe.errors.StripeError).statusCode).toBe(400);
    expect(fake.customers.size).toBe(1);
  });

  it('replays a 500 for its key, as Stripe does, while a new key goes through', async () => {
    fake.failNext(/^\/v1\/customers$/);
    const failed = await stripe.customers
      .create({ metadata: { userId: 'u1' } }, { idempotencyKey: 'k1' })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Stripe.errors.StripeAPIError);
    const replayed = await stripe.customers
      .create({ metadata: { userId: 'u1' } }, { idempotencyKey: 'k1' })
      .catch((e: unknown) => e);
    expect(replayed).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect((await stripe.customers.create({ metadata: { userId: 'u1' } }, { idempotencyKey: 'k2' })).object).toBe(
      'customer',
    );
  });

  it('refuses to expire a Checkout Session that is no longer open, and to refund a charge twice', async () => {
    const request = {
      mode: 'payment' as const,
      line_items: [
        { quantity: 1, price_data: { currency: 'idr', unit_amount: 3_500_000, product_data: { name: 'x' } } },
      ],
      metadata: { orderId: 'o1' },
      success_url: 'https://t.me/bot',
      expires_at: Math.floor(Date.now() / 1000) + 3600,
    };
    const session = await stripe.checkout.sessions.create(request);
    fake.pay(session.id);
    await expect(stripe.checkout.sessions.expire(session.id)).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
    const intent = fake.sessions.get(session.id)!.payment_intent!;
    fake.refundInDashboard(intent);
    const twice = await stripe.refunds.create({ payment_intent: intent }).catch((e: unknown) => e);
    expect((twice as Stripe.errors.StripeError).code).toBe('charge_already_refunded');

    const open = await stripe.checkout.sessions.create({ ...request, metadata: { orderId: 'o2' } });
    expect((await stripe.checkout.sessions.expire(open.id)).status).toBe('expired');
  });
});
