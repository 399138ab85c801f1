import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { createI18n } from '../../src/bot/i18n.js';
import {
  checkout,
  linkAnother,
  operatorInChat,
  orderSummary,
  outboxDelivered,
  paidOrder,
  receiptsOfTheirOwn,
  sweepPendingTopUps,
  travellerWithLine,
} from '../helpers/journeys.js';
import { RECEIPT_HEADLINE, english, fragment, words, phrase, rendered } from '../helpers/copy.js';

const receiptText = (text: string) => text.includes(RECEIPT_HEADLINE);

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

    const answers = await Promise.all([
      h.stripe.deliver(h.appUrl, paid),
      h.stripe.deliver(h.appUrl, paid),
      h.stripe.deliver(h.appUrl, paid),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.filter((a) => a.body.outcome === 'applied')).toHaveLength(1);
    expect((await h.stripe.deliver(h.appUrl, lateExpiry)).body.outcome).toBe('no_change');

    await t.waitFor(receiptText);
    await outboxDelivered(h);
    expect(await receiptsOfTheirOwn(h, t)).toHaveLength(1);
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
    const unsigned = await fetch(`${h.appUrl}/webhooks/stripe`, {
      method: 'POST',
      body: JSON.stringify(paid),
      headers: { 'content-type': 'application/json' },
    });
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
    await t.waitFor((text) => text.includes(words('notify.payment_failed', 1)));
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
    // With the provider, which answered "pending".
    await expect
      .poll(() => h.database.db.order.count({ where: { state: 'topping_up', providerRef: { not: null } } }))
      .toBe(1);
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
    const pay = t.buttons().find((b) => b.text.includes(words('renew.pay_card')))!;
    await t.tap(words('renew.pay_card'));
    const session = h.stripe.latestSession();
    await h.stripe.deliver(h.appUrl, h.stripe.expire(session.id));
    await t.waitFor((text) => text.includes(words('notify.order_expired', 3)));
    expect((await orders())[0]!.state).toBe('expired');
    await t.tapData(pay.callback_data!, pay.message.message_id);
    expect(h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)!.payload.text).toContain(
      words('renew.expired'),
    );

    // Stripe can deliver "completed" after "expired" when the traveller paid at the last second.
    await h.stripe.deliver(
      h.appUrl,
      h.stripe.event('checkout.session.completed', {
        ...session,
        status: 'complete',
        payment_status: 'paid',
        payment_intent: null,
      }),
    );
    await t.waitFor(receiptText);
  });

  it('says at once that the payment arrived while the top-up is pending, and turns the summary into what happened', async () => {
    const t = await travellerWithLine(h, '0838 1234 2222');
    const session = await checkout(h, t);
    const withLink = t
      .messages()
      .find((m) => m.reply_markup?.inline_keyboard?.flat().some((b) => b.url === session.url))!;
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    const received = await t.waitFor((text) =>
      text.includes(phrase('notify.payment_received', { price: 'IDR 35,000' })),
    );
    expect(received.text).toContain(fragment('notify.payment_received', 2));
    // The old Pay link is gone from the summary, which now says the order is paid.
    const summary = async () => t.messages().find((m) => m.message_id === withLink.message_id)!;
    await expect.poll(async () => (await summary()).reply_markup).toBeUndefined();
    expect((await summary()).text).toContain(english['state.paid']!);

    await sweepPendingTopUps(h);
    await t.waitFor(receiptText);
    await expect.poll(async () => (await summary()).text).toContain(RECEIPT_HEADLINE);
    expect(t.messages().filter((m) => m.text?.includes('received'))).toHaveLength(1);
  });

  it('shows an expired order on its summary, and a summary that cannot be edited any more breaks nothing', async () => {
    const t = await travellerWithLine(h);
    const first = await checkout(h, t);
    const withLink = t
      .messages()
      .find((m) => m.reply_markup?.inline_keyboard?.flat().some((b) => b.url === first.url))!;
    await h.stripe.deliver(h.appUrl, h.stripe.expire(first.id));
    await t.waitFor((text) => text.includes(words('notify.order_expired', 3)));
    await expect
      .poll(() => t.messages().find((m) => m.message_id === withLink.message_id)!.text)
      .toContain(english['state.expired']!);
    const edited = t.messages().find((m) => m.message_id === withLink.message_id)!;
    expect(edited.text).toContain(english['state.expired']!);
    expect(edited.reply_markup).toBeUndefined();

    // The traveller deleted the second summary: the edit is refused, the receipt still comes, nothing is logged as an error.
    const second = await checkout(h, t);
    await h.database.db.order.update({ where: { id: second.metadata.orderId! }, data: { summaryMessageId: 999_999 } });
    await h.stripe.deliver(h.appUrl, h.stripe.pay(second.id));
    await t.waitFor(receiptText);
    await expect
      .poll(() =>
        h.database.db.outboxMessage.count({ where: { kind: 'order_update', state: { in: ['pending', 'sending'] } } }),
      )
      .toBe(0);
    const update = (await h.database.db.outboxMessage.findMany({ where: { kind: 'order_update' } })).find(
      (r) => (r.payload as { orderId: string }).orderId === second.metadata.orderId,
    )!;
    expect(update.state).toBe('sent');
    expect(update.lastError).toContain('message to edit not found');
    expect(h.logs.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
  });

  it('marks an order refunded in the Dashboard and tells the traveller, once; the refund path then refunds nothing more', async () => {
    const t = await travellerWithLine(h);
    const session = await checkout(h, t);
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    await t.waitFor(receiptText);
    const orderId = session.metadata.orderId!;
    const paymentIntent = h.stripe.sessions.get(session.id)!.payment_intent!;

    const refunded = h.stripe.refundInDashboard(paymentIntent);
    expect((await h.stripe.deliver(h.appUrl, refunded)).body.outcome).toBe('applied');
    expect((await h.stripe.deliver(h.appUrl, refunded)).body.outcome).toBe('duplicate');
    const message = await t.waitFor((text) => text.includes(words('notify.refunded_by_operator', 3)));
    expect(message.text).toContain('IDR 35,000');
    expect((await h.database.db.order.findUniqueOrThrow({ where: { id: orderId } })).state).toBe('refunded');

    expect(await h.app.refunds.refund(orderId)).toBe('already_refunded');
    expect(h.stripe.refunds).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.messages().filter((m) => m.text?.includes('refunded'))).toHaveLength(1);
  });

  it('refunds a paid order once through the one refund path, however often it is asked', async () => {
    const t = await travellerWithLine(h);
    const session = await checkout(h, t);
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    await t.waitFor(receiptText);
    const orderId = session.metadata.orderId!;
    const answers = await Promise.all([h.app.refunds.refund(orderId), h.app.refunds.refund(orderId)]);
    expect(answers).toContain('refunded');
    expect(h.stripe.refunds).toHaveLength(1);
    // Stripe's own charge.refunded for that refund changes nothing more.
    const event = h.stripe.event('charge.refunded', {
      id: 'ch_x',
      object: 'charge',
      payment_intent: h.stripe.sessions.get(session.id)!.payment_intent,
      refunded: true,
      amount: 3_500_000,
      amount_refunded: 3_500_000,
      metadata: {},
    });
    expect((await h.stripe.deliver(h.appUrl, event)).body.outcome).toBe('no_change');
    await t.waitFor((text) => text.includes(words('notify.refunded_by_operator', 3)));
    await new Promise((r) => setTimeout(r, 300));
    expect(t.messages().filter((m) => m.text?.includes('refunded'))).toHaveLength(1);
  });

  it('tells the operators of a dispute opened on Stripe, once', async () => {
    await h.stop();
    h = await startHarness({ db, env: { ADMIN_IDS: '5550001,5550002' } });
    const t = await travellerWithLine(h);
    const session = await checkout(h, t);
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    await t.waitFor(receiptText);
    const dispute = h.stripe.dispute(h.stripe.sessions.get(session.id)!.payment_intent!);
    expect((await h.stripe.deliver(h.appUrl, dispute)).body.outcome).toBe('applied');
    expect((await h.stripe.deliver(h.appUrl, dispute)).body.outcome).toBe('duplicate');
    const number = `KU-${session.metadata.orderId!.slice(-8).toUpperCase()}`;
    for (const id of [5550001, 5550002]) {
      const operator = h.telegram.traveller(id);
      const alert = await operator.waitFor((text) => text.includes(words('admin.dispute')));
      expect(alert.text).toContain(number);
      expect(alert.text).toContain('IDR 35,000');
      expect(alert.text).toContain('fraudulent');
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(h.telegram.traveller(5550001).messages()).toHaveLength(1);
    expect(t.messages().some((m) => m.text?.includes('disputed'))).toBe(false);
  });

  it("refuses an operator's /refund of a disputed payment, in the operator's language, as the console does", async () => {
    await h.stop();
    h = await startHarness({ db, env: { ADMIN_IDS: '5550001' } });
    const op = await operatorInChat(h, 5550001, 'id');
    const t = await travellerWithLine(h);
    const order = await paidOrder(h, t);
    await t.waitFor(receiptText);
    const { stripePaymentIntentId } = await h.database.db.order.findUniqueOrThrow({ where: { id: order.id } });
    await h.stripe.deliver(h.appUrl, h.stripe.dispute(stripePaymentIntentId!));
    await op.send(`/refund ${order.number}`);
    const refused = (await createI18n()).getFixedT('id')('stars.operator.disputed', { order: order.number });
    await op.waitFor((text) => text === refused);
    // Asked again, the answer is the same: the money stays with the dispute, nothing went back twice.
    await op.send(`/refund ${order.number}`);
    expect(op.messages().filter((m) => m.text === refused)).toHaveLength(2);
    expect(h.stripe.refunds).toHaveLength(0);
    expect((await h.database.db.order.findUniqueOrThrow({ where: { id: order.id } })).state).toBe('fulfilled');
    expect(t.messages().some((m) => m.text?.includes('refunded'))).toBe(false);
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
    const pay = t.buttons().find((b) => b.text.includes(words('renew.pay_card')))!;
    await Promise.all([
      t.tapData(pay.callback_data!, pay.message.message_id),
      t.tapData(pay.callback_data!, pay.message.message_id),
    ]);
    await t.tapData(pay.callback_data!, pay.message.message_id);
    expect(h.stripe.sessions.size).toBe(1);
    expect(await h.database.db.order.count()).toBe(1);
    const links = new Set(
      t
        .buttons()
        .filter((b) => b.url)
        .map((b) => b.url),
    );
    expect(links).toEqual(new Set([h.stripe.latestSession().url]));
  });

  it('answers a Pay tap on an order that is already paid without charging again', async () => {
    const t = await travellerWithLine(h);
    await orderSummary(t);
    const pay = t.buttons().find((b) => b.text.includes(words('renew.pay_card')))!;
    await t.tap(words('renew.pay_card'));
    await h.stripe.deliver(h.appUrl, h.stripe.pay(h.stripe.latestSession().id));
    await t.waitFor(receiptText);
    await t.tapData(pay.callback_data!, pay.message.message_id);
    expect(h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)!.payload.text).toContain(
      words('renew.already_paid'),
    );
    expect(h.stripe.sessions.size).toBe(1);
  });

  it('charges the price on the summary the traveller confirmed; a plan changed or switched off before Pay asks again', async () => {
    const t = await travellerWithLine(h);
    await orderSummary(t, 'AXIS Daily 2 GB');
    const first = await h.database.db.order.findFirstOrThrow();
    await h.database.db.plan.update({ where: { code: 'axis-daily-2gb' }, data: { priceMinor: 6000 } });
    await t.tap(words('renew.pay_card'));
    // Nothing is charged at a price the traveller never saw: a fresh summary at the new price asks again.
    expect(h.stripe.sessions.size).toBe(0);
    expect(t.last().text).toContain(words('renew.plan_changed'));
    expect(t.last().text).toContain('IDR 6,000');
    expect((await h.database.db.order.findUniqueOrThrow({ where: { id: first.id } })).state).toBe('canceled');
    await t.tap(rendered('renew.pay_card', { price: 'IDR 6,000' }));
    expect(h.stripe.latestSession().amount_total).toBe(600_000);

    // The price is frozen in the order at the summary, and a switched-off plan is not sold.
    await orderSummary(t, 'AXIS Daily 2 GB');
    const second = await h.database.db.order.findFirstOrThrow({ where: { state: 'draft' } });
    expect(second.amountMinor).toBe(6000);
    await h.database.db.plan.update({ where: { code: 'axis-daily-2gb' }, data: { active: false } });
    await t.tap(words('renew.pay_card'));
    // Switched off from another process (catalog:load): the menus see it within a second.
    h.advance(1_000);
    expect(h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)!.payload.text).toContain(
      words('renew.plan_unavailable'),
    );
    expect(h.stripe.sessions.size).toBe(1);
    await t.tap('Renew');
    expect(t.last().text).toContain(words('renew.pick_plan', 2));
    expect(t.last().text).not.toContain('AXIS Daily 2 GB');
  });

  it('shows on the summary the plan as the order froze it, when another process changed it while the list was on screen', async () => {
    const t = await travellerWithLine(h);
    await t.send('/renew');
    // catalog:load ran beside the bot: more data, a new price; the plan list is a second old.
    await h.database.db.plan.update({ where: { code: 'axis-daily-2gb' }, data: { dataMb: 3072, priceMinor: 7000 } });
    await t.tap('AXIS Daily 2 GB');
    const order = await h.database.db.order.findFirstOrThrow({ where: { state: 'draft' } });
    expect(order.amountMinor).toBe(7000);
    expect(t.last().text).toContain('3 GB');
    expect(t.last().text).toContain('IDR 7,000');
    expect(t.last().text).not.toContain('2 GB ·');
  });

  it('gives a link on the next tap after Stripe failed the first, with a new key, and one page however often tapped', async () => {
    const t = await travellerWithLine(h);
    await orderSummary(t);
    h.stripe.failNext(/^\/v1\/checkout\/sessions$/);
    await t.tap(words('renew.pay_card'));
    expect(h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)!.payload.text).toContain(
      words('renew.payment_unavailable'),
    );
    expect(t.buttons().some((b) => b.url)).toBe(false);

    // A minute later (a new expiry, were it recomputed) the traveller taps again, twice at once.
    h.advance(90_000);
    const pay = t.buttons().find((b) => b.text.includes(words('renew.pay_card')))!;
    await Promise.all([
      t.tapData(pay.callback_data!, pay.message.message_id),
      t.tapData(pay.callback_data!, pay.message.message_id),
    ]);
    expect(h.stripe.sessions.size).toBe(1);
    expect(t.urlButton('Pay IDR 35,000')).toBe(h.stripe.latestSession().url);
    const creates = h.stripe.requests.filter((r) => r.path === '/v1/checkout/sessions');
    const order = await h.database.db.order.findFirstOrThrow();
    expect(new Set(creates.map((r) => r.idempotencyKey))).toEqual(
      new Set([`checkout-${order.id}-1`, `checkout-${order.id}-2`]),
    );
    // Every request under one key carried the same parameters: Stripe never answered idempotency_error.
    for (const key of new Set(creates.map((r) => r.idempotencyKey))) {
      expect(new Set(creates.filter((r) => r.idempotencyKey === key).map((r) => JSON.stringify(r.body))).size).toBe(1);
    }
  });

  it('sends the traveller back to the bot on their order, and shows that order to them alone', async () => {
    const t = await travellerWithLine(h);
    const session = await checkout(h, t);
    const orderId = session.metadata.orderId!;
    const link = `https://t.me/${h.telegram.botInfo.username}?start=o_${orderId}`;
    expect(session.success_url).toBe(link);
    expect(session.cancel_url).toBe(link);
    const number = `KU-${orderId.slice(-8).toUpperCase()}`;

    await t.send(`/start o_${orderId}`);
    expect(t.last().text).toContain(number);
    expect(t.last().text).toContain(words('state.awaiting_payment'));
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    await t.waitFor(receiptText);
    await t.send(`/start o_${orderId}`);
    expect(t.last().text).toContain(RECEIPT_HEADLINE);

    const stranger = h.telegram.traveller(4_040_404);
    await stranger.send(`/start o_${orderId}`);
    expect(stranger.last().text).toContain(words('order.not_found'));
    expect(stranger.last().text).not.toContain(number);
    await stranger.send('/start');
    expect(stranger.last().text).toContain(words('menu.title'));
  });

  it('cancels at the plan step and at the summary, charging nothing', async () => {
    const t = await travellerWithLine(h);
    await t.send('/renew');
    await t.send('/cancel');
    expect(t.last().text).toContain('Cancelled');
    await orderSummary(t);
    await t.tap('Cancel');
    expect(t.last().text).toContain(words('renew.order_canceled'));
    const stale = t.buttons().find((b) => b.callback_data?.startsWith('rp:'))!;
    await t.tapData(stale.callback_data!, stale.message.message_id);
    expect(h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)!.payload.text).toContain(
      words('common.stale_button'),
    );
    expect(h.stripe.sessions.size).toBe(0);
  });

  it("asks which line to renew when there are several, and offers only that carrier's plans", async () => {
    const t = await travellerWithLine(h);
    await linkAnother(h, t, '0817 1234 5678', 'Dad');
    await t.send('/renew');
    expect(t.last().text).toContain(words('renew.pick_line'));
    await t.tap('Dad');
    expect(t.last().text).toContain('XL Weekly 8 GB');
    expect(t.last().text).not.toContain('AXIS');
  });

  it('tells a traveller with no line how to start', async () => {
    const t = h.telegram.traveller(777);
    await t.send('/renew');
    expect(t.last().text).toContain(words('renew.no_lines'));
    await t.send('/history');
    expect(t.last().text).toContain(words('history.empty'));
  });

  it("offers Alipay and WeChat Pay, each on its own page, at the plan's second price when configured", async () => {
    await h.stop();
    h = await startHarness({ env: { PAYMENT_METHODS: 'card,alipay,wechat_pay' } });
    const t = await travellerWithLine(h);
    await orderSummary(t);
    await t.tap(words('payment_method.wechat_pay'));
    const session = h.stripe.latestSession();
    expect(session.currency).toBe('sgd');
    expect(session.amount_total).toBe(310);
    expect(session.allowed_payment_method_types).toEqual(['wechat_pay']);
  });

  it('freezes the Alipay / WeChat Pay price too: a change to it before Pay asks again', async () => {
    await h.stop();
    h = await startHarness({ env: { PAYMENT_METHODS: 'card,alipay,wechat_pay' } });
    const t = await travellerWithLine(h);
    await orderSummary(t);
    expect((await h.database.db.order.findFirstOrThrow()).altAmountMinor).toBe(310);
    await h.database.db.plan.update({ where: { code: 'axis-weekly-10gb' }, data: { altPriceMinor: 350 } });
    await t.tap('Alipay');
    expect(h.stripe.sessions.size).toBe(0);
    expect(t.last().text).toContain(words('renew.plan_changed'));
    await t.tap('Alipay · SGD 3.50');
    expect(h.stripe.latestSession().amount_total).toBe(350);
  });
});
