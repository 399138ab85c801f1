import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { checkout, linkAnother, orderSummary, travellerWithLine } from '../helpers/journeys.js';

const receiptText = (text: string) => text.includes('Top-up applied');

describe.each(databaseKinds)('payments and top-ups on %s', (db) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ db });
  });
  afterEach(async () => {
    await h.stop();
  });

  const orders = () => h.database.db.order.findMany({ where: { state: { not: 'draft' } } });

  it('applies a payment once, however often and in whatever order Stripe delivers its events', async () => {
    const t = await travellerWithLine(h);
    const session = await checkout(h, t);
    const paid = h.stripe.pay(session.id);
    const lateExpiry = h.stripe.event('checkout.session.expired', { ...session, status: 'expired' });

    const answers = await Promise.all([h.stripe.deliver(h.appUrl, paid), h.stripe.deliver(h.appUrl, paid), h.stripe.deliver(h.appUrl, paid)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.filter((a) => a.body.outcome === 'applied')).toHaveLength(1);
    expect((await h.stripe.deliver(h.appUrl, lateExpiry)).body.outcome).toBe('no_change');

    await t.waitFor(receiptText);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.messages().filter((m) => receiptText(m.text ?? ''))).toHaveLength(1);
    expect(t.messages().some((m) => m.text?.includes('expired'))).toBe(false);
    const [order] = await orders();
    expect(order!.state).toBe('fulfilled');
    const line = await h.database.db.line.findFirstOrThrow();
    expect(line.planCode).toBe('axis-weekly-10gb');
    expect(await h.database.db.outboxMessage.count({ where: { kind: 'receipt' } })).toBe(1);
  });

  it('rejects forged and unsigned deliveries and changes nothing', async () => {
    const t = await travellerWithLine(h);
    const session = await checkout(h, t);
    const paid = h.stripe.pay(session.id);
    expect((await h.stripe.deliver(h.appUrl, paid, { secret: 'whsec_someone_else' })).status).toBe(400);
    const unsigned = await fetch(`${h.appUrl}/webhooks/stripe`, { method: 'POST', body: JSON.stringify(paid), headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(400);
    const [order] = await orders();
    expect(order!.state).toBe('awaiting_payment');
  });

  it('settles a delayed method on async success, and says so on async failure', async () => {
    const t = await travellerWithLine(h);
    const first = await checkout(h, t);
    expect((await h.stripe.deliver(h.appUrl, h.stripe.pay(first.id, { delayed: true }))).body.outcome).toBe('ignored');
    expect((await orders())[0]!.state).toBe('awaiting_payment');
    await h.stripe.deliver(h.appUrl, h.stripe.asyncSucceeded(first.id));
    await t.waitFor(receiptText);

    const second = await checkout(h, t);
    await h.stripe.deliver(h.appUrl, h.stripe.pay(second.id, { delayed: true }));
    await h.stripe.deliver(h.appUrl, h.stripe.asyncFailed(second.id));
    await t.waitFor((text) => text.includes("didn't go through"));
    const states = (await orders()).map((o) => o.state).sort();
    expect(states).toEqual(['fulfilled', 'payment_failed']);
  });

  it('refunds a top-up the operator refuses, and tells the traveller', async () => {
    const t = await travellerWithLine(h, '0838 1234 1111');
    const session = await checkout(h, t);
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    const message = await t.waitFor((text) => text.includes('refunded'));
    expect(message.text).toContain('IDR 35,000');
    expect(h.stripe.refunds).toHaveLength(1);
    expect(h.stripe.requests.find((r) => r.path === '/v1/refunds')!.idempotencyKey).toMatch(/^refund-/);
    expect((await orders())[0]!.state).toBe('refunded');
    const line = await h.database.db.line.findFirstOrThrow();
    expect(line.planCode).toBeNull();
    await h.app.fulfilment.sweep();
    expect(h.stripe.refunds).toHaveLength(1);
  });

  it('finishes a pending top-up on the sweep, exactly once', async () => {
    const t = await travellerWithLine(h, '0838 1234 2222');
    const session = await checkout(h, t);
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    await new Promise((r) => setTimeout(r, 200));
    expect((await orders())[0]!.state).toBe('topping_up');
    expect(t.messages().some((m) => receiptText(m.text ?? ''))).toBe(false);
    h.advance(2 * 60_000);
    await Promise.all([h.app.fulfilment.sweep(), h.app.fulfilment.sweep()]);
    await t.waitFor(receiptText);
    expect((await orders())[0]!.state).toBe('fulfilled');
    expect(await h.database.db.outboxMessage.count({ where: { kind: 'receipt' } })).toBe(1);
  });

  it('expires an unpaid order and says so; a payment that still arrives is honoured', async () => {
    const t = await travellerWithLine(h);
    await orderSummary(t);
    const pay = t.buttons().find((b) => b.text.includes('Confirm and pay'))!;
    await t.tap('Confirm and pay');
    const session = h.stripe.latestSession();
    await h.stripe.deliver(h.appUrl, h.stripe.expire(session.id));
    await t.waitFor((text) => text.includes('has expired. Nothing was charged'));
    expect((await orders())[0]!.state).toBe('expired');
    await t.tapData(pay.callback_data!, pay.message.message_id);
    expect(h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)!.payload.text).toContain('This order has expired');

    // Stripe can deliver "completed" after "expired" when the traveller paid at the last second.
    await h.stripe.deliver(h.appUrl, h.stripe.event('checkout.session.completed', { ...session, status: 'complete', payment_status: 'paid', payment_intent: null }));
    await t.waitFor(receiptText);
  });
});

describe('the order summary buttons', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('makes one order and one payment link from a double tap on Pay', async () => {
    const t = await travellerWithLine(h);
    await orderSummary(t);
    const pay = t.buttons().find((b) => b.text.includes('Confirm and pay'))!;
    await Promise.all([t.tapData(pay.callback_data!, pay.message.message_id), t.tapData(pay.callback_data!, pay.message.message_id)]);
    await t.tapData(pay.callback_data!, pay.message.message_id);
    expect(h.stripe.sessions.size).toBe(1);
    expect(await h.database.db.order.count()).toBe(1);
    const links = new Set(t.buttons().filter((b) => b.url).map((b) => b.url));
    expect(links).toEqual(new Set([h.stripe.latestSession().url]));
  });

  it('answers a Pay tap on an order that is already paid without charging again', async () => {
    const t = await travellerWithLine(h);
    await orderSummary(t);
    const pay = t.buttons().find((b) => b.text.includes('Confirm and pay'))!;
    await t.tap('Confirm and pay');
    await h.stripe.deliver(h.appUrl, h.stripe.pay(h.stripe.latestSession().id));
    await t.waitFor(receiptText);
    await t.tapData(pay.callback_data!, pay.message.message_id);
    expect(h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)!.payload.text).toContain('already paid');
    expect(h.stripe.sessions.size).toBe(1);
  });

  it('takes the price from the catalog, not from the button', async () => {
    const t = await travellerWithLine(h);
    await orderSummary(t, 'AXIS Daily 2 GB');
    const order = await h.database.db.order.findFirstOrThrow();
    await h.database.db.plan.update({ where: { code: 'axis-daily-2gb' }, data: { priceMinor: 6000 } });
    await t.tap('Confirm and pay');
    expect(h.stripe.latestSession().amount_total).toBe(600_000);
    expect((await h.database.db.order.findUniqueOrThrow({ where: { id: order.id } })).amountMinor).toBe(6000);
  });

  it('cancels at the plan step and at the summary, charging nothing', async () => {
    const t = await travellerWithLine(h);
    await t.send('/renew');
    await t.send('/cancel');
    expect(t.last().text).toContain('Cancelled');
    await orderSummary(t);
    await t.tap('Cancel');
    expect(t.last().text).toContain('Order cancelled');
    const stale = t.buttons().find((b) => b.callback_data?.startsWith('rp:'))!;
    await t.tapData(stale.callback_data!, stale.message.message_id);
    expect(h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)!.payload.text).toContain('older message');
    expect(h.stripe.sessions.size).toBe(0);
  });

  it('asks which line to renew when there are several, and offers only that carrier\'s plans', async () => {
    const t = await travellerWithLine(h);
    await linkAnother(h, t, '0817 1234 5678', 'Dad');
    await t.send('/renew');
    expect(t.last().text).toContain('Which number');
    await t.tap('Dad');
    expect(t.last().text).toContain('XL Weekly 8 GB');
    expect(t.last().text).not.toContain('AXIS');
  });

  it('tells a traveller with no line how to start', async () => {
    const t = h.telegram.traveller(777);
    await t.send('/renew');
    expect(t.last().text).toContain('Link a number first');
    await t.send('/history');
    expect(t.last().text).toContain('No orders yet');
  });

  it('offers Alipay / WeChat Pay at the plan\'s second price when configured', async () => {
    await h.stop();
    h = await startHarness({ env: { PAYMENT_METHODS: 'card,alipay,wechat_pay' } });
    const t = await travellerWithLine(h);
    await orderSummary(t);
    await t.tap('Alipay / WeChat Pay');
    const session = h.stripe.latestSession();
    expect(session.currency).toBe('sgd');
    expect(session.amount_total).toBe(310);
    expect(session.allowed_payment_method_types).toEqual(['alipay', 'wechat_pay']);
  });
});
