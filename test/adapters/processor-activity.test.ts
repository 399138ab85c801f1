import { Api } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { StripeActivity } from '../../src/adapters/stripe/stripe-activity.js';
import { createStripeClient } from '../../src/adapters/stripe/stripe-payments.js';
import { StarsActivity } from '../../src/adapters/telegram/stars-activity.js';
import { FakeStripe } from '../fakes/stripe-api.js';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { TEST_TOKEN } from '../helpers/harness.js';

const HOUR = 3_600_000;
const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

describe("what moved at Stripe, through stripe-node's auto-pagination", () => {
  it('lists every succeeded PaymentIntent and refund created since the window opened, two to a page', async () => {
    const fake = await FakeStripe.start();
    closing.push(fake.close);
    const stripe = await createStripeClient({ secretKey: 'sk_test_kuota', apiBase: fake.url });
    const intents: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const session = await stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [
          { quantity: 1, price_data: { currency: 'usd', unit_amount: 100 * i, product_data: { name: 'x' } } },
        ],
        metadata: { orderId: `order-${i}` },
        expires_at: Math.floor(Date.now() / 1000) + 3600,
      });
      fake.pay(session.id);
      intents.push(fake.sessions.get(session.id)!.payment_intent!);
    }
    for (const id of intents.slice(0, 3))
      await stripe.refunds.create({ payment_intent: id, metadata: { orderId: 'x' } });
    // Before the window: not listed.
    fake.intents.get(intents[0]!)!.created -= 80 * 3600;

    const moved = await new StripeActivity({ secretKey: 'sk_test_kuota', apiBase: fake.url }, 2).since(
      new Date(Date.now() - 72 * HOUR),
    );
    expect(moved.payments.map((p) => [p.externalId, p.orderId, p.amount])).toEqual(
      intents
        .slice(1)
        .reverse()
        .map((id) => [
          id,
          `order-${intents.indexOf(id) + 1}`,
          { amountMinor: 100 * (intents.indexOf(id) + 1), currency: 'USD' },
        ]),
    );
    expect(moved.refunds.map((r) => r.paymentId)).toEqual(intents.slice(0, 3).reverse());
    expect(moved.refunds[0]).toMatchObject({ amount: { amountMinor: 300, currency: 'USD' }, orderId: 'x' });
    const lists = fake.requests.filter((r) => r.method === 'GET' && r.path === '/v1/payment_intents');
    expect(lists).toHaveLength(2);
    expect(lists[0]!.body).toMatchObject({ limit: '2', created: { gte: expect.any(String) } });
    expect(lists[1]!.body.starting_after).toBe(intents[3]);
    expect(fake.requests.filter((r) => r.path === '/v1/refunds' && r.method === 'GET')).toHaveLength(2);
  });
});

describe("what moved in Telegram Stars, through grammY's getStarTransactions", () => {
  it('pages newest first by offset, a payment with its payer as source and its refund with the payer as receiver', async () => {
    const telegram = await FakeTelegram.start();
    closing.push(() => telegram.close());
    const api = new Api(TEST_TOKEN, { apiRoot: telegram.url });
    const user = { id: 70_001, is_bot: false, first_name: 'Ana' };
    const charges = [];
    for (let i = 1; i <= 5; i++) {
      const link = await api.createInvoiceLink(`Plan ${i}`, 'x', `order:${i}`, '', 'XTR', [
        { label: 'x', amount: 10 * i },
      ]);
      charges.push(telegram.charge(user, telegram.invoice(link)));
    }
    await api.refundStarPayment(user.id, charges[1]!.chargeId);

    const page = await api.getStarTransactions({ offset: 0, limit: 2 });
    expect(page.transactions.map((t) => [t.id, t.receiver ? 'refund' : 'payment'])).toEqual([
      [charges[1]!.chargeId, 'refund'],
      [charges[4]!.chargeId, 'payment'],
    ]);
    expect(page.transactions[1]).toMatchObject({
      amount: 50,
      source: { type: 'user', transaction_type: 'invoice_payment', user: { id: user.id }, invoice_payload: 'order:5' },
    });

    const moved = await new StarsActivity(api, 2).since(new Date(Date.now() - 72 * HOUR));
    expect(moved.payments.map((p) => [p.externalId, p.amount.amountMinor, p.stars?.payload])).toEqual(
      [...charges].reverse().map((c) => [c.chargeId, c.amount, c.payload]),
    );
    expect(moved.refunds).toEqual([
      expect.objectContaining({ externalId: `refund:${charges[1]!.chargeId}`, paymentId: charges[1]!.chargeId }),
    ]);
    const offsets = telegram.calls.filter((c) => c.method === 'getStarTransactions').map((c) => c.payload.offset);
    // Six transactions, two a page: the empty fourth page says the list has ended.
    expect(offsets).toEqual([0, 0, 2, 4, 6]);
  });
});
