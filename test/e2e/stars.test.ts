import { afterEach, describe, expect, it, vi } from 'vitest';
import { orderNumber } from '../../src/domain/order-state.js';
import { readCatalogFile } from '../../src/services/catalog/catalog.js';
import type { Traveller } from '../fakes/telegram-api.js';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import {
  orderSummary,
  STARS_ENV,
  starsInvoiceLink,
  sweepPendingTopUps,
  travellerWithLine,
} from '../helpers/journeys.js';
import { copy, fragment, RECEIPT_HEADLINE, words, rendered, phrase, literally } from '../helpers/copy.js';
import { until } from '../helpers/wait.js';

const DAY = 86_400_000;
const isReceipt = (text: string) => text.includes(RECEIPT_HEADLINE);
const OPERATOR_ID = 4242;

describe.each(databaseKinds)('paying in Telegram Stars on %s', (db) => {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
  });

  const start = async (env: Record<string, string> = {}) => {
    h = await startHarness({ db, env: { ...STARS_ENV, ADMIN_IDS: String(OPERATOR_ID), ...env } });
  };
  const order = () => h.database.db.order.findFirstOrThrow({ where: { state: { notIn: ['draft', 'canceled'] } } });
  /** Receipts sent as messages of their own (the summary, edited into a receipt too, is not one). */
  const receipts = async (t: Traveller) => {
    const summaries = (await h.database.db.order.findMany({ select: { summaryMessageId: true } })).map(
      (o) => o.summaryMessageId,
    );
    return t.messages().filter((m) => isReceipt(m.text ?? '') && !summaries.includes(m.message_id));
  };
  /** Until no order is between payment and its end and no message is left to send (20 s on a loaded machine). */
  const settled = () =>
    vi.waitFor(
      async () => {
        const busy = await h.database.db.order.count({ where: { state: { in: ['paid', 'topping_up', 'refunding'] } } });
        const unsent = await h.database.db.outboxMessage.count({ where: { state: { in: ['pending', 'sending'] } } });
        if (busy || unsent) throw new Error(`orders or messages still under way: ${busy} orders, ${unsent} messages`);
      },
      { timeout: 20_000, interval: 25 },
    );
  /** The simulator's pending top-up (a number ending 2222) succeeds at the sweep's next status check. */
  const PENDING_LINE = '0838 1234 2222';
  const finishTopUps = () => sweepPendingTopUps(h);
  const received = (stars: number) => rendered('stars.received', { stars });

  /**
   * The next `times` transactions of the Stars settlement fail, as a deadlock or a dropped connection
   * would: the app's own client, wrapped where the settlement calls it.
   */
  const failStarsSettlement = (times: number) => {
    const db = h.app.db as unknown as { $transaction: (...args: unknown[]) => Promise<unknown> };
    const real = db.$transaction.bind(db);
    let left = times;
    db.$transaction = (...args: unknown[]) => {
      if (left > 0 && new Error().stack?.includes('settleStarsPayment')) {
        left--;
        return Promise.reject(Object.assign(new Error('deadlock detected'), { code: '40P01' }));
      }
      return real(...args);
    };
  };

  it('settles a Stars payment whose first write fails once (issue 20, defect 2)', async () => {
    await start();
    const t = await travellerWithLine(h);
    const link = await starsInvoiceLink(t);
    failStarsSettlement(1);
    const { payment } = await t.payInvoice(link);
    await t.waitFor(isReceipt);
    await settled();
    expect(await order()).toMatchObject({ state: 'fulfilled', paidWith: 'stars', telegramChargeId: payment!.chargeId });
    expect(h.telegram.starPayments.get(payment!.chargeId)!.refunded).toBe(false);
    expect(
      await h.database.db.ledgerEntry.findMany({ select: { processor: true, kind: true, amountMinor: true } }),
    ).toEqual([{ processor: 'stars', kind: 'payment', amountMinor: 150 }]);
  });

  it("answers in the traveller's language and logs the charge at error when every write fails (issue 20, defect 2)", async () => {
    await start();
    const t = await travellerWithLine(h, '0838 1234 5678', 'id');
    await orderSummary(t, 'AXIS Mingguan 10 GB');
    const link = t.urlButton('Stars');
    failStarsSettlement(10);
    const { payment } = await t.payInvoice(link);
    expect(t.last().text).toContain('pembayarannya belum bisa saya catat');
    const errors = h.logs.map((l) => JSON.parse(l)).filter((l) => l.level >= 50);
    expect(errors).toEqual([
      expect.objectContaining({ chargeId: payment!.chargeId, msg: 'Stars payment could not be recorded' }),
    ]);
  });

  it('sells a top-up for Stars inside the chat: invoice at the frozen price, "payment received" then the receipt, History shows the method', async () => {
    await start();
    const t = await travellerWithLine(h, PENDING_LINE);
    const link = await starsInvoiceLink(t);
    const summary = t.last();
    const buttons = summary.reply_markup!.inline_keyboard.flat().map((b) => b.text);
    expect(buttons).toEqual(
      expect.arrayContaining([
        rendered('stars.pay', { stars: 150 }),
        rendered('renew.pay_card', { price: 'IDR 35,000' }),
      ]),
    );

    const created = h.telegram.calls.find((c) => c.method === 'createInvoiceLink')!.payload;
    expect(created).toMatchObject({
      currency: 'XTR',
      provider_token: '',
      title: 'AXIS Weekly 10 GB',
      prices: [{ amount: 150 }],
    });
    expect(created.description).toContain('•••• 2222');
    const draft = await h.database.db.order.findFirstOrThrow();
    expect(created.payload).toBe(`o:${draft.id}`);
    expect(draft.starsAmount).toBe(150);

    const { answer, payment } = await t.payInvoice(link);
    expect(answer).toEqual({ ok: true });
    // Said through the shared path's "payment received" while the top-up is under way, then the receipt.
    await t.waitFor((text) => text.includes(received(150)));
    await finishTopUps();
    await t.waitFor(isReceipt);
    await settled();
    const paid = await order();
    expect(paid).toMatchObject({
      state: 'fulfilled',
      paidWith: 'stars',
      telegramChargeId: payment!.chargeId,
      starsAmount: 150,
    });
    expect((await h.database.db.line.findFirstOrThrow()).planCode).toBe('axis-weekly-10gb');

    // The summary's buttons are gone: it now shows what became of the order.
    const shown = t.messages().find((m) => m.message_id === summary.message_id)!;
    expect(shown.reply_markup?.inline_keyboard?.flat().some((b) => b.url?.includes('t.me/$'))).toBeFalsy();

    await t.send('/history');
    expect(t.last().text).toContain(rendered('history.paid_with.stars', { stars: 150 }));
    expect(h.telegram.starPayments.get(payment!.chargeId)!.refunded).toBe(false);
  });

  it("writes the invoice in the traveller's language, and with Stars alone offers no Stripe button", async () => {
    await start({ STARS_PAYMENTS: 'only' });
    const t = await travellerWithLine(h, '0838 1234 5678', 'id');
    await t.send('/renew');
    await t.tap('AXIS Mingguan 10 GB');
    const buttons = t.last().reply_markup!.inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual(['⭐ Bayar 150 Stars', 'Batal'].map((x) => expect.stringContaining(x)));
    const created = h.telegram.calls.find((c) => c.method === 'createInvoiceLink')!.payload;
    expect(created.title).toBe('AXIS Mingguan 10 GB');
    expect(created.description).toMatch(/^AXIS Mingguan 10 GB untuk •+ ?5678 \(7 hari\)\. Pesanan KU-/);
  });

  it("with Stars alone, a reminder's Renew now offers the Stars invoice, not only Cancel", async () => {
    await start({ STARS_PAYMENTS: 'only' });
    const t = await travellerWithLine(h);
    const line = await h.database.db.line.findFirstOrThrow();
    await h.database.db.line.update({
      where: { id: line.id },
      data: { expiresAt: new Date(h.now().getTime() + 20 * 3_600_000), planCode: 'axis-weekly-10gb' },
    });
    await h.database.db.user.updateMany({ data: { quietStart: 0, quietEnd: 0 } });
    expect((await h.app.reminders.tick()).queued).toBe(1);
    await until(async () => {
      await h.app.outbox.runOnce();
      return t.messages().some((m) => m.text?.includes('⏰'));
    });
    await t.tap(words('reminder.renew_now'));
    await until(() => t.messages().some((m) => m.text?.includes(words('renew.summary'))));
    const summary = t.messages().find((m) => m.text?.includes(words('renew.summary')))!;
    const buttons = summary.reply_markup!.inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual([rendered('stars.pay', { stars: 150 }), words('renew.cancel')]);
    expect(buttons[0]!.url).toContain('t.me/$');
  });

  it('prices a plan without starsPrice from the configured rate, rounded up to a whole Star', async () => {
    await start();
    const t = await travellerWithLine(h);
    await starsInvoiceLink(t, 'AXIS Daily 2 GB');
    // IDR 5,000 × 0.004 = 20 Stars exactly; 35,000 would be 140, but that plan has its own starsPrice.
    expect(
      t
        .last()
        .reply_markup!.inline_keyboard.flat()
        .map((b) => b.text),
    ).toContain(rendered('stars.pay', { stars: 20 }));
  });

  it('settles a successful_payment once, however often Telegram delivers it', async () => {
    await start();
    const t = await travellerWithLine(h, PENDING_LINE);
    const { payment } = await t.payInvoice(await starsInvoiceLink(t));
    await Promise.all([t.redeliverPayment(payment!), t.redeliverPayment(payment!)]);
    await t.redeliverPayment(payment!);
    await t.waitFor((text) => text.includes(received(150)));
    await finishTopUps();
    await t.waitFor(isReceipt);
    await settled();
    expect(await receipts(t)).toHaveLength(1);
    expect(t.messages().filter((m) => m.text?.includes(received(150)))).toHaveLength(1);
    expect(await h.database.db.starsPayment.count()).toBe(1);
    expect((await order()).state).toBe('fulfilled');
    expect(h.telegram.starPayments.get(payment!.chargeId)!.refunded).toBe(false);
  });

  it("says no at pre-checkout, in the traveller's words, to a paid, expired, re-priced or unlinked order", async () => {
    await start();
    const t = await travellerWithLine(h);

    const paidByCard = await starsInvoiceLink(t);
    await t.tap(words('renew.pay_card'));
    await h.stripe.deliver(h.appUrl, h.stripe.pay(h.stripe.latestSession().id));
    await settled();
    expect((await t.payInvoice(paidByCard)).answer).toEqual({
      ok: false,
      error_message: words('stars.refused.already_paid'),
    });

    const repriced = await starsInvoiceLink(t);
    const catalog = readCatalogFile('data/catalog.sample.json').map((p) =>
      p.code === 'axis-weekly-10gb' ? { ...p, starsPrice: 180 } : p,
    );
    await h.app.services.catalog.load(catalog);
    expect((await t.payInvoice(repriced)).answer).toMatchObject({
      ok: false,
      error_message: expect.stringContaining(words('stars.refused.repriced')),
    });

    // An invoice whose amount is not the frozen one (an old or forged link) is refused the same way.
    const current = await starsInvoiceLink(t);
    expect((await t.payInvoice(current, { amount: 1 })).answer).toMatchObject({
      ok: false,
      error_message: expect.stringContaining('price'),
    });

    const late = await starsInvoiceLink(t);
    await h.database.db.line.updateMany({ data: { unlinkedAt: h.now() } });
    expect((await t.payInvoice(current)).answer).toMatchObject({
      ok: false,
      error_message: expect.stringContaining(words('stars.refused.line_gone')),
    });

    // An invoice lives as long as a Stripe link (CHECKOUT_EXPIRES_MINUTES, 60 by default).
    h.advance(61 * 60_000);
    expect((await t.payInvoice(late)).answer).toMatchObject({
      ok: false,
      error_message: expect.stringContaining(words('stars.refused.expired')),
    });

    expect(h.telegram.starPayments.size).toBe(0);
    expect(await h.database.db.starsPayment.count()).toBe(0);
  });

  it('refunds Stars that arrive for an order Stripe paid in the meantime, and tells the traveller', async () => {
    await start();
    const t = await travellerWithLine(h);
    const invoice = h.telegram.invoice(await starsInvoiceLink(t));
    await t.tap(words('renew.pay_card'));
    // Telegram asked and Kuota said yes; the card payment lands before the Stars do.
    expect(await h.telegram.preCheckout(t.user, invoice)).toEqual({ ok: true });
    await h.stripe.deliver(h.appUrl, h.stripe.pay(h.stripe.latestSession().id));
    const payment = h.telegram.charge(t.user, invoice);
    await h.telegram.deliver(h.telegram.successfulPayment(t.user, payment, true));

    await t.waitFor((text) => text.includes(words('stars.refunded.paid_twice', 1)));
    await settled();
    expect(h.telegram.starPayments.get(payment.chargeId)!.refunded).toBe(true);
    expect(await h.database.db.starsPayment.findUniqueOrThrow({ where: { chargeId: payment.chargeId } })).toMatchObject(
      { outcome: 'refunded', refundReason: 'paid_twice' },
    );
    expect(await order()).toMatchObject({ state: 'fulfilled', paidWith: 'stripe' });
    expect(await receipts(t)).toHaveLength(1);
    expect(h.stripe.refunds).toHaveLength(0);
  });

  it('honours Stars paid after a yes at pre-checkout even when the order expired in between (the rule for late payments)', async () => {
    await start();
    const t = await travellerWithLine(h);
    const invoice = h.telegram.invoice(await starsInvoiceLink(t));
    await t.tap(words('renew.pay_card'));
    const session = h.stripe.latestSession();
    expect(await h.telegram.preCheckout(t.user, invoice)).toEqual({ ok: true });
    await h.stripe.deliver(h.appUrl, h.stripe.event('checkout.session.expired', { ...session, status: 'expired' }));
    expect((await order()).state).toBe('expired');
    const payment = h.telegram.charge(t.user, invoice);
    await h.telegram.deliver(h.telegram.successfulPayment(t.user, payment, true));
    await t.waitFor(isReceipt);
    await settled();
    expect(await order()).toMatchObject({ state: 'fulfilled', paidWith: 'stars' });
    expect(h.telegram.starPayments.get(payment.chargeId)!.refunded).toBe(false);
  });

  it('refunds a card payment for an order already paid in Stars, and tells the traveller', async () => {
    await start();
    const t = await travellerWithLine(h);
    const link = await starsInvoiceLink(t);
    await t.tap(words('renew.pay_card'));
    const session = h.stripe.latestSession();
    await t.payInvoice(link);
    await t.waitFor(isReceipt);

    const card = h.stripe.pay(session.id);
    expect((await h.stripe.deliver(h.appUrl, card)).status).toBe(200);
    expect((await h.stripe.deliver(h.appUrl, card)).body.outcome).toBe('duplicate');
    await t.waitFor((text) => text.includes(phrase('stars.card_refunded_paid_twice', { price: 'IDR 35,000' })));
    await settled();
    expect(h.stripe.refunds).toHaveLength(1);
    expect(await order()).toMatchObject({ state: 'fulfilled', paidWith: 'stars' });
    expect(await receipts(t)).toHaveLength(1);
  });

  it('gives the Stars back when the top-up fails for good, and an operator can refund a Stars order exactly once', async () => {
    await start();
    const failing = await travellerWithLine(h, '0838 1234 1111');
    const { payment } = await failing.payInvoice(await starsInvoiceLink(failing));
    await failing.waitFor(
      (text) =>
        text.includes(fragment('stars.refunded.top_up_failed')) &&
        text.includes(phrase('stars.refunded.top_up_failed', { stars: 150 })),
    );
    await settled();
    expect(h.telegram.starPayments.get(payment!.chargeId)!.refunded).toBe(true);
    expect((await order()).state).toBe('refunded');
    await h.app.fulfilment.sweep();
    expect(h.telegram.calls.filter((c) => c.method === 'refundStarPayment')).toHaveLength(1);

    const t = await travellerWithLine(h, '0838 1234 5678');
    const paid = await t.payInvoice(await starsInvoiceLink(t));
    await t.waitFor(isReceipt);
    await settled();
    const fulfilled = await h.database.db.order.findFirstOrThrow({
      where: { telegramChargeId: paid.payment!.chargeId },
    });
    const number = `KU-${fulfilled.id.slice(-8).toUpperCase()}`;
    const operator = h.telegram.traveller(OPERATOR_ID);
    await operator.send('/start');
    await operator.send(`/refund ${number}`);
    expect(operator.last().text).toBe(rendered('stars.operator.refunded', { order: number, amount: '150 Stars' }));
    await operator.send(`/refund ${number}`);
    expect(operator.last().text).toBe(rendered('stars.operator.already_refunded', { order: number }));
    await t.waitFor((text) => text.includes(rendered('stars.refunded.operator', { order: number, stars: 150 })));
    expect(h.telegram.starPayments.get(paid.payment!.chargeId)!.refunded).toBe(true);
    expect((await h.database.db.order.findUniqueOrThrow({ where: { id: fulfilled.id } })).state).toBe('refunded');
    // Travellers cannot refund.
    await t.send(`/refund ${number}`);
    expect(t.last().text).not.toContain(words('stars.operator.refunded', 2));
  });

  it('renews a line by Stars subscription each time Telegram renews it, within the budget, until auto-renew is switched off', async () => {
    await start();
    const t = await travellerWithLine(h, PENDING_LINE);
    const before = (await h.database.db.line.findFirstOrThrow()).expiresAt!.getTime();
    await t.send('/numbers');
    await t.tap('Auto-renew');
    await t.tap(words('autorenew.setup'));
    await t.tap('AXIS Monthly 30 GB');
    await t.send('250000');
    await t.tap(rendered('autorenew.when_before_button', { count: 6 }));
    await t.tap('Confirm');
    await t.send('/numbers');
    await t.tap('Auto-renew');
    await t.tap(await copy('stars.subscribe_button', { stars: 420 }));
    const link = t.urlButton(rendered('stars.subscribe_pay', { stars: 420 }));
    expect(h.telegram.invoice(link)).toMatchObject({ amount: 420, currency: 'XTR', subscriptionPeriod: 2_592_000 });

    const { answer, payment: first } = await t.payInvoice(link);
    expect(answer).toEqual({ ok: true });
    await t.waitFor((text) => text.includes(words('stars.subscribed', 1)));
    await t.waitFor((text) => text.includes(received(420)));
    await finishTopUps();
    await t.waitFor(isReceipt);
    await settled();
    const afterFirst = (await h.database.db.line.findFirstOrThrow()).expiresAt!.getTime();
    expect(afterFirst - before).toBe(30 * DAY);
    expect(await h.database.db.autoRenew.findFirstOrThrow()).toMatchObject({
      state: 'active',
      starsChargeId: first!.chargeId,
      starsAmount: 420,
    });

    // Telegram renews after 30 days: one more period, once, however often the message comes.
    const renewal = await t.renewSubscription(first!);
    await t.redeliverPayment(renewal, false);
    await t.waitFor((text) => text.includes(rendered('stars.renewal_received', { stars: 420 })));
    await finishTopUps();
    await settled();
    expect((await h.database.db.line.findFirstOrThrow()).expiresAt!.getTime() - afterFirst).toBe(30 * DAY);
    expect(await h.database.db.order.count({ where: { paidWith: 'stars', state: 'fulfilled' } })).toBe(2);
    // The subscription's order and the renewal's: an operator finds each by the number on its receipt.
    for (const o of await h.database.db.order.findMany({ where: { paidWith: 'stars' } }))
      expect(await h.app.operator.orders.find(orderNumber(o.id))).toBe(o.id);

    // A third renewal in the same month would pass the IDR 250,000 budget: refunded, and said.
    const over = await t.renewSubscription(first!);
    await t.waitFor((text) => text.includes(phrase('stars.refunded.over_budget', { stars: 420 })));
    await settled();
    expect(h.telegram.starPayments.get(over.chargeId)!.refunded).toBe(true);
    expect(await h.database.db.order.count({ where: { paidWith: 'stars' } })).toBe(2);

    // The card job leaves a Stars-renewed line alone.
    h.advance(59 * DAY);
    await h.app.autoRenew.tick();
    expect(h.stripe.requests.filter((r) => r.path === '/v1/payment_intents')).toHaveLength(0);

    await t.send('/numbers');
    await t.tap('Auto-renew');
    expect(t.last().text).toContain(rendered('stars.subscription_active', { stars: 420 }));
    await t.tap(words('autorenew.off'));
    await t.tap(words('autorenew.off_yes'));
    expect(h.telegram.calls.find((c) => c.method === 'editUserStarSubscription')!.payload).toMatchObject({
      user_id: t.user.id,
      telegram_payment_charge_id: first!.chargeId,
      is_canceled: true,
    });
    await expect(t.renewSubscription(first!)).rejects.toThrow(/cancelled/);
    expect(await h.database.db.autoRenew.findFirstOrThrow()).toMatchObject({ state: 'off', starsChargeId: null });
  });

  it('cancels the Stars subscription when auto-renew moves to another plan, which then needs a new payment method', async () => {
    await start();
    const t = await travellerWithLine(h);
    const setUp = async (plan: string, cap: string) => {
      await t.send('/numbers');
      await t.tap('Auto-renew');
      await t.tap(new RegExp(`${literally(words('autorenew.setup'))}|${literally(words('autorenew.change'))}`));
      await t.tap(plan);
      await t.send(cap);
      await t.tap(rendered('autorenew.when_before_button', { count: 6 }));
      await t.tap('Confirm');
    };
    await setUp('AXIS Monthly 30 GB', '250000');
    await t.send('/numbers');
    await t.tap('Auto-renew');
    await t.tap(fragment('stars.subscribe_button'));
    const { payment } = await t.payInvoice(t.urlButton('Subscribe'));
    await t.waitFor(isReceipt);
    await settled();

    await setUp('AXIS Weekly 10 GB', '140000');
    expect(h.telegram.starPayments.get(payment!.chargeId)!.subscription!.canceled).toBe(true);
    expect(await h.database.db.autoRenew.findFirstOrThrow()).toMatchObject({
      state: 'pending_card',
      starsChargeId: null,
      planCode: 'axis-weekly-10gb',
    });
  });

  it('keeps the plan while Telegram cannot cancel the subscription, and a renewal buys what the subscription was for (issue 20, defect 5)', async () => {
    await start();
    const t = await travellerWithLine(h);
    const setUp = async (plan: string, cap: string) => {
      await t.send('/numbers');
      await t.tap('Auto-renew');
      await t.tap(new RegExp(`${literally(words('autorenew.setup'))}|${literally(words('autorenew.change'))}`));
      await t.tap(plan);
      await t.send(cap);
      await t.tap(rendered('autorenew.when_before_button', { count: 6 }));
      await t.tap('Confirm');
    };
    await setUp('AXIS Monthly 30 GB', '250000');
    await t.send('/numbers');
    await t.tap('Auto-renew');
    await t.tap(fragment('stars.subscribe_button'));
    const { payment } = await t.payInvoice(t.urlButton('Subscribe'));
    await t.waitFor(isReceipt);
    await settled();

    // Telegram answers the cancellation with a 502: nothing changes, and the traveller is asked to try again.
    h.telegram.failNext('editUserStarSubscription');
    await setUp('AXIS Weekly 10 GB', '140000');
    expect(t.last().text).toContain(words('autorenew.stars_not_cancelled'));
    expect(await h.database.db.autoRenew.findFirstOrThrow()).toMatchObject({
      planCode: 'axis-monthly-30gb',
      starsChargeId: payment!.chargeId,
    });

    // The subscription renews: one more month of the plan it was bought for, at its price.
    const renewal = await t.renewSubscription(payment!);
    // Its receipt: the second, after the subscription's first payment's (neither order had a summary).
    await t.waitFor(() => t.messages().filter((m) => isReceipt(m.text ?? '')).length === 2);
    await settled();
    const bought = await h.database.db.order.findFirstOrThrow({
      where: { telegramChargeId: renewal.chargeId },
      include: { plan: true },
    });
    expect(bought.plan.code).toBe('axis-monthly-30gb');
    expect(await h.database.db.order.count({ where: { paidWith: 'stars', plan: { code: 'axis-weekly-10gb' } } })).toBe(
      0,
    );
  });

  it('refunds a renewal of a subscription bought for another plan, and ends the subscription (issue 20, defect 5)', async () => {
    await start();
    const t = await travellerWithLine(h);
    await t.send('/numbers');
    await t.tap('Auto-renew');
    await t.tap(words('autorenew.setup'));
    await t.tap('AXIS Monthly 30 GB');
    await t.send('250000');
    await t.tap(rendered('autorenew.when_before_button', { count: 6 }));
    await t.tap('Confirm');
    await t.send('/numbers');
    await t.tap('Auto-renew');
    await t.tap(fragment('stars.subscribe_button'));
    const { payment } = await t.payInvoice(t.urlButton('Subscribe'));
    await t.waitFor(isReceipt);
    await settled();
    // As a plan change written before its cancellation left it (the state today's main could reach).
    await h.database.db.autoRenew.updateMany({ data: { planCode: 'axis-weekly-10gb' } });

    const renewal = await t.renewSubscription(payment!);
    await settled();
    await t.waitFor((text) => text.includes(phrase('stars.refunded.not_payable', { stars: 420 })));
    expect(h.telegram.starPayments.get(renewal.chargeId)!.refunded).toBe(true);
    expect(h.telegram.starPayments.get(payment!.chargeId)!.subscription!.canceled).toBe(true);
    expect(await h.database.db.order.count({ where: { paidWith: 'stars' } })).toBe(1);
    const ledger = await h.database.db.ledgerEntry.findMany({ where: { externalId: { contains: renewal.chargeId } } });
    expect(ledger.map((l) => l.amountMinor).sort((a, b) => a - b)).toEqual([-420, 420]);
  });

  it('does not offer a Stars subscription when one period costs more than the budget allows, or the plan is not 30 days', async () => {
    await start();
    const t = await travellerWithLine(h);
    await t.send('/numbers');
    await t.tap('Auto-renew');
    await t.tap(words('autorenew.setup'));
    await t.tap('AXIS Weekly 10 GB');
    await t.send('100000');
    await t.tap(rendered('autorenew.when_before_button', { count: 6 }));
    await t.tap('Confirm');
    await t.send('/numbers');
    await t.tap('Auto-renew');
    expect(
      t
        .buttons()
        .map((b) => b.text)
        .filter((x) => x.includes(words('stars.subscribe_button'))),
    ).toEqual([]);
    expect(
      await h.app.services.stars.subscriptionPrice(
        (await h.database.db.user.findFirstOrThrow()).id,
        (await h.database.db.line.findFirstOrThrow()).id,
      ),
    ).toBeNull();
  });
});

describe('Stars switched off', () => {
  it('offers no Stars button, and says no to a pre-checkout', async () => {
    const h = await startHarness();
    try {
      const t = await travellerWithLine(h);
      await orderSummary(t);
      expect(t.buttons().some((b) => b.text.includes('Stars'))).toBe(false);
      const draft = await h.database.db.order.findFirstOrThrow();
      const answer = await h.telegram.preCheckout(t.user, {
        slug: 'x',
        title: 'x',
        description: 'x',
        payload: `o:${draft.id}`,
        currency: 'XTR',
        amount: 150,
      });
      expect(answer).toMatchObject({
        ok: false,
        error_message: expect.stringContaining(words('stars.refused.stars_off')),
      });
    } finally {
      await h.stop();
    }
  });
});
