import { afterEach, describe, expect, it, vi } from 'vitest';
import { monthOf } from '../../src/domain/auto-renew.js';
import { orderNumber } from '../../src/domain/order-state.js';
import type { CardBehaviour } from '../fakes/stripe-api.js';
import type { Traveller } from '../fakes/telegram-api.js';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { checkout, travellerWithLine } from '../helpers/journeys.js';
import { RECEIPT_HEADLINE, words, rendered, phrase } from '../helpers/copy.js';
import { WAIT_MS } from '../helpers/wait.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The simulator's line 0838 1234 5678 expires 9 days after it is linked. */
const FIRST_EXPIRY_IN = 9 * DAY;
const WEEKLY_PRICE_IN_STRIPE = 35_000 * 100;

const isReceipt = (text: string) => text.includes(RECEIPT_HEADLINE);

describe.each(databaseKinds)('auto-renew with a monthly budget on %s', (db) => {
  let h: Harness;
  const others: Harness[] = [];
  afterEach(async () => {
    for (const other of others.splice(0)) await other.stop();
    await h.stop();
  });

  const start = async (env: Record<string, string> = {}) => {
    h = await startHarness({ db, env });
    return h;
  };
  const line = () => h.database.db.line.findFirstOrThrow();
  const receipts = (t: Traveller) => t.messages().filter((m) => isReceipt(m.text ?? ''));
  /**
   * Waits until the outbox has nothing left to send within the next minute. The worker takes due rows every
   * OUTBOX_POLL_MS (50 ms in the harness) and the fake Telegram answers at once; a send that fails is tried again
   * after 2 s, the outbox's first backoff. The wait is the suite's 20 s, room for that retry on a loaded machine.
   */
  const delivered = () =>
    vi.waitFor(
      async () => {
        const left = await h.database.db.outboxMessage.count({
          where: {
            state: { in: ['pending', 'sending'] },
            nextAttemptAt: { lte: new Date(h.now().getTime() + 60_000) },
          },
        });
        if (left) throw new Error(`the outbox did not drain: ${left} messages left`);
      },
      { timeout: WAIT_MS, interval: 50 },
    );
  /**
   * Waits until no order is paid and still unfulfilled, then for its receipt. The simulator tops up at once, so
   * an order goes from paid to fulfilled in a few writes after the payment's webhook; a renewal that ends in a
   * retry is the auto-renew job's business, not this wait's. 20 s, as for the outbox.
   */
  const settled = async () => {
    await vi.waitFor(
      async () => {
        const open = await h.database.db.order.count({ where: { state: { in: ['paid', 'topping_up'] } } });
        if (open) throw new Error(`the order was not fulfilled: ${open} paid and not yet topped up`);
      },
      { timeout: WAIT_MS, interval: 50 },
    );
    await delivered();
  };

  /** My numbers → Auto-renew → plan → budget → before expiry → confirm → a card saved on Stripe. */
  async function switchOn(
    t: Traveller,
    options: { cap?: string; card?: CardBehaviour; brand?: string; last4?: string } = {},
  ) {
    await t.send('/numbers');
    await t.tap('Auto-renew');
    await t.tap(words('autorenew.setup'));
    await t.tap('AXIS Weekly 10 GB');
    if (options.cap) await t.send(options.cap);
    else await t.tap('IDR 140,000');
    await t.tap(rendered('autorenew.when_before_button', { count: 6 }));
    await t.tap('Confirm');
    const setup = h.stripe.latestSession('setup');
    const event = h.stripe.completeSetup(setup.id, {
      behaviour: options.card ?? 'succeeds',
      brand: options.brand,
      last4: options.last4,
    });
    expect((await h.stripe.deliver(h.appUrl, event)).body.outcome).toBe('applied');
    await t.waitFor((text) => text.includes(words('autorenew.card_saved_paused')));
    return { setup, event };
  }

  it('stops after five budgets it cannot use, without sending the traveller to “Link a number”', async () => {
    await start();
    const t = await travellerWithLine(h);
    await t.send('/numbers');
    await t.tap('Auto-renew');
    await t.tap(words('autorenew.setup'));
    await t.tap('AXIS Weekly 10 GB');
    for (let i = 0; i < 5; i++) await t.send('lots 🙂');
    expect(t.last().text).toContain(words('common.too_many_tries'));
    expect(t.last().text).not.toContain(words('link.too_many_tries'));
    expect(await h.database.db.autoRenew.count()).toBe(0);
  });

  it('switches on from My numbers: plan, a typed budget, a card saved through Checkout in setup mode', async () => {
    await start();
    const t = await travellerWithLine(h);
    await t.send('how does auto renew work?');
    expect(t.last().text).toContain('Auto-renew · •••• 5678');
    await t.send('/numbers');
    await t.tap('Auto-renew');
    expect(t.last().text).toContain(words('autorenew.intro_other', 4));
    expect(t.last().text).toContain(words('autorenew.card_why'));
    await t.tap(words('autorenew.setup'));
    await t.tap('AXIS Weekly 10 GB');
    expect(t.last().text).toContain(phrase('autorenew.ask_cap', { price: 'IDR 35,000' }));

    await t.send('lots 🙂');
    expect(t.last().text).toContain(words('autorenew.cap_invalid.not_a_number'));
    await t.sendSticker();
    expect(t.last().text).toContain(words('common.type_text'));
    await t.tapData('arc:5000'); // a budget button from an older message, for the daily plan
    expect(t.last().text).toContain(phrase('autorenew.cap_invalid.below_price', { price: 'IDR 35,000' }));
    await t.send('20.000');
    expect(t.last().text).toContain(phrase('autorenew.cap_invalid.below_price', { price: 'IDR 35,000' }));
    await t.send('Rp 150.000');
    expect(t.last().text).toContain(words('autorenew.ask_when'));
    await t.tap(rendered('autorenew.when_low_button', { data: '1 GB' }));
    expect(t.last().text).toContain(phrase('autorenew.summary', { cap: 'IDR 150,000' }));
    expect(t.last().text).toContain(phrase('autorenew.when_low', { data: '1 GB', count: 6 }));
    await t.tap('Confirm');

    expect(t.last().text).toContain(words('autorenew.needs_card'));
    expect(t.last().text).toContain(words('autorenew.card_why'));
    const setup = h.stripe.latestSession('setup');
    expect(t.urlButton(words('autorenew.open_card_page'))).toBe(setup.url);
    expect(setup.allowed_payment_method_types).toEqual(['card']);
    expect(setup.customer).toMatch(/^cus_/);
    expect(h.stripe.customers.size).toBe(1);

    const completed = h.stripe.completeSetup(setup.id, { brand: 'visa', last4: '4242' });
    const deliveries = await Promise.all([
      h.stripe.deliver(h.appUrl, completed),
      h.stripe.deliver(h.appUrl, completed),
    ]);
    expect(deliveries.map((d) => d.body.outcome).sort()).toEqual(['applied', 'duplicate']);
    expect((await h.stripe.deliver(h.appUrl, completed)).body.outcome).toBe('duplicate');
    const saved = await t.waitFor((text) => text.includes(words('autorenew.card_saved_paused')));
    expect(saved.text).toContain('Visa •••• 4242');
    expect(saved.text).toContain(phrase('autorenew.card_saved', { cap: 'IDR 150,000', count: 6 }));

    await t.send('/numbers');
    expect(t.last().text).toContain('Auto-renew: on');
    await t.tap('Auto-renew');
    expect(t.last().text).toContain(phrase('autorenew.status', { cap: 'IDR 150,000', spent: 'IDR 0' }));
    expect(t.last().text).toContain(phrase('autorenew.status', { card: 'Visa •••• 4242' }));
    const settings = await h.database.db.autoRenew.findFirstOrThrow();
    expect(settings).toMatchObject({
      planCode: 'axis-weekly-10gb',
      capMinor: 150_000,
      trigger: 'low_data',
      lowDataMb: 1024,
      state: 'active',
    });
    await delivered();
    expect(t.messages().filter((m) => m.text?.includes(words('autorenew.card_saved_paused')))).toHaveLength(1);

    // Low data, days before expiry: renewed once the operator reports less than the threshold left.
    await h.app.autoRenew.tick();
    h.simulator.setRemainingData('6283812345678', 2048);
    await h.app.autoRenew.tick();
    expect(h.stripe.offSessionIntents()).toHaveLength(0);
    h.simulator.setRemainingData('6283812345678', 900);
    await h.app.autoRenew.tick();
    // The last report is kept for USAGE_REFRESH_MINUTES (5): the provider is asked again only after that.
    expect(h.stripe.offSessionIntents()).toHaveLength(0);
    h.advance(5 * 60_000);
    await h.app.autoRenew.tick();
    await settled();
    expect(h.stripe.offSessionIntents()).toHaveLength(1);
    await t.waitFor(isReceipt);
    await h.app.autoRenew.tick();
    expect(h.stripe.offSessionIntents()).toHaveLength(1);
  });

  it('charges the saved card once before expiry, tops up and sends the receipt; duplicate webhooks change nothing', async () => {
    await start();
    const t = await travellerWithLine(h);
    await switchOn(t);
    const before = await line();

    h.advance(FIRST_EXPIRY_IN - 7 * HOUR);
    await h.app.autoRenew.tick();
    expect(h.stripe.offSessionIntents()).toHaveLength(0);

    h.advance(2 * HOUR);
    await h.app.autoRenew.tick();
    await settled();
    const [intent] = h.stripe.offSessionIntents();
    expect(h.stripe.offSessionIntents()).toHaveLength(1);
    expect(intent).toMatchObject({
      amount: WEEKLY_PRICE_IN_STRIPE,
      currency: 'idr',
      status: 'succeeded',
      off_session: true,
    });
    const request = h.stripe.requests.find((r) => r.path === '/v1/payment_intents')!;
    expect(request.idempotencyKey).toBe(`autorenew-${before.id}-${before.expiresAt!.getTime()}-1`);

    const receipt = await t.waitFor(isReceipt);
    expect(receipt.text).toContain(words('autorenew.receipt_note'));
    const renewal = await h.database.db.order.findFirstOrThrow({ where: { source: 'auto_renew' } });
    expect(receipt.text).toContain(orderNumber(renewal.id));
    expect(await h.app.operator.orders.find(orderNumber(renewal.id))).toBe(renewal.id); // the operator finds it by that number
    const after = await line();
    expect(after.expiresAt!.getTime()).toBe(before.expiresAt!.getTime() + 7 * DAY);

    await h.app.autoRenew.tick();
    const succeeded = h.stripe.intentSucceeded(intent!.id);
    expect((await h.stripe.deliver(h.appUrl, succeeded)).body.outcome).toBe('no_change');
    expect((await h.stripe.deliver(h.appUrl, succeeded)).body.outcome).toBe('duplicate');
    await delivered();
    expect(h.stripe.offSessionIntents()).toHaveLength(1);
    expect(receipts(t)).toHaveLength(1);
    expect(await h.database.db.order.count({ where: { state: 'fulfilled' } })).toBe(1);

    await t.send('/numbers');
    await t.tap('Auto-renew');
    await t.tap('Spending');
    expect(t.last().text).toContain(
      phrase('autorenew.spending_item', { spent: 'IDR 35,000', cap: 'IDR 140,000', renewals: 1 }),
    );

    // When the traveller's month is over, a summary of it, once, after their quiet hours.
    const [year, month] = monthOf(h.now(), 'Asia/Jakarta').split('-').map(Number) as [number, number];
    const charged = new Date(Date.UTC(year, month - 1, 15));
    const nextMonth = new Date(Date.UTC(year, month, 1, 3)); // 10:00 in Jakarta
    h.advance(nextMonth.getTime() - h.now().getTime());
    await h.app.autoRenew.tick();
    await h.app.autoRenew.tick();
    const spendingScreen = t.last();
    const summary = await t.waitFor(
      (text, m) => text.includes(words('autorenew.spending_title', 1)) && m.message_id !== spendingScreen.message_id,
    );
    expect(summary.text).toContain(new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric' }).format(charged));
    expect(summary.text).toContain(
      rendered('autorenew.spending_item', { name: '•••• 5678', spent: 'IDR 35,000', cap: 'IDR 140,000', renewals: 1 }),
    );
    await delivered();
    expect(
      t
        .messages()
        .filter(
          (m) => m.text?.includes(words('autorenew.spending_title', 1)) && m.message_id !== spendingScreen.message_id,
        ),
    ).toHaveLength(1);

    // Unlinking the line switches auto-renew off and removes the card.
    await t.send('/numbers');
    await t.tap('Unlink');
    await t.tap(words('lines.unlink_yes'));
    expect((await h.database.db.autoRenew.findFirstOrThrow()).state).toBe('off');
    expect([...h.stripe.paymentMethods.values()].map((pm) => pm.customer)).toEqual([null]);
  });

  it('charges nothing past the budget: a Pay button and where the budget stands instead, and a raised budget renews', async () => {
    await start();
    const t = await travellerWithLine(h);
    await switchOn(t, { cap: '35000' });
    // The first renewal on the 10th of next month, the next one a week later: the same calendar month.
    const today = new Date();
    const expiry = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 10, 5));
    await h.database.db.line.updateMany({ data: { expiresAt: expiry } });
    h.advance(expiry.getTime() - Date.now() - 5 * HOUR);
    await h.app.autoRenew.tick();
    await settled();
    expect(h.stripe.offSessionIntents()).toHaveLength(1);
    expect((await line()).expiresAt!.getTime()).toBe(expiry.getTime() + 7 * DAY);

    h.advance(7 * DAY);
    await h.app.autoRenew.tick();
    const alert = await t.waitFor((text) => text.includes(words('autorenew.over_cap', 2)));
    expect(alert.text).toContain('spent IDR 35,000 of IDR 35,000');
    expect(h.stripe.offSessionIntents()).toHaveLength(1);
    await h.app.autoRenew.tick();
    expect(t.messages().filter((m) => m.text?.includes(words('autorenew.over_cap', 2)))).toHaveLength(1);

    expect(alert.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual([
      'Pay IDR 35,000 now',
      words('autorenew.raise_cap'),
    ]);

    // A raised budget gets the held-back renewal another look on the next tick.
    await t.tap(words('autorenew.raise_cap'));
    await t.tap('AXIS Weekly 10 GB');
    await t.tap('IDR 70,000');
    await t.tap(rendered('autorenew.when_before_button', { count: 6 }));
    await t.tap('Confirm');
    expect(t.last().text).toContain(phrase('autorenew.saved', { cap: 'IDR 70,000' }));
    await h.app.autoRenew.tick();
    await settled();
    expect(h.stripe.offSessionIntents()).toHaveLength(2);
    expect(receipts(t)).toHaveLength(2);
  });

  /** The first renewal on the 10th of next month (by the harness clock), so the next ones fall in the same month. */
  const firstRenewal = async () => {
    const today = h.now();
    const expiry = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 10, 5));
    await h.database.db.line.updateMany({ data: { expiresAt: expiry } });
    h.advance(expiry.getTime() - h.now().getTime() - 5 * HOUR);
    await h.app.autoRenew.tick();
    await settled();
    expect(h.stripe.offSessionIntents()).toHaveLength(1);
  };
  const saveSettings = async (t: Traveller, cap: string) => {
    await t.send('/numbers');
    await t.tap('Auto-renew');
    await t.tap(/Change/);
    await t.tap('AXIS Weekly 10 GB');
    await t.send(cap);
    await t.tap(rendered('autorenew.when_before_button', { count: 6 }));
    await t.tap('Confirm');
  };

  it('holds the budget when the traveller saves the same budget again: the held-back renewal is not charged (issue 20, defect 1)', async () => {
    await start();
    const t = await travellerWithLine(h);
    await switchOn(t, { cap: '35000' });
    await firstRenewal();
    h.advance(7 * DAY);
    await h.app.autoRenew.tick();
    await t.waitFor((text) => text.includes(words('autorenew.over_cap', 2)));

    await saveSettings(t, '35000');
    expect(t.last().text).toContain(phrase('autorenew.saved', { cap: 'IDR 35,000' }));
    await h.app.autoRenew.tick();
    h.advance(HOUR);
    await h.app.autoRenew.tick();
    await settled();
    expect(h.stripe.offSessionIntents()).toHaveLength(1);
    expect(h.stripe.offSessionIntents().filter((i) => i.status === 'succeeded')).toHaveLength(1);
    expect(await h.database.db.autoRenewCharge.count({ where: { state: 'over_cap' } })).toBe(1);
    expect(t.messages().filter((m) => m.text?.includes(words('autorenew.over_cap', 2)))).toHaveLength(1);
  });

  it('holds a budget lowered after a declined renewal: the retry charges nothing (issue 20, defect 1)', async () => {
    await start({ AUTO_RENEW_RETRY_MINUTES: '60' });
    const t = await travellerWithLine(h);
    await switchOn(t, { cap: '70000' });
    await firstRenewal();
    // The card is declined at the next renewal; the traveller then lowers the budget to one renewal a month.
    for (const pm of h.stripe.paymentMethods.values()) pm.behaviour = 'declines';
    h.advance(7 * DAY);
    await h.app.autoRenew.tick();
    await t.waitFor((text) => text.includes(words('autorenew.declined')));
    expect(h.stripe.offSessionIntents()).toHaveLength(2);
    for (const pm of h.stripe.paymentMethods.values()) pm.behaviour = 'succeeds';
    await saveSettings(t, '35000');
    h.advance(61 * 60_000);
    await h.app.autoRenew.tick();
    await settled();
    expect(h.stripe.offSessionIntents()).toHaveLength(2);
    expect(h.stripe.offSessionIntents().filter((i) => i.status === 'succeeded')).toHaveLength(1);
    await t.waitFor((text) => text.includes(words('autorenew.over_cap', 2)));
  });

  it("leaves a declined renewal's Pay button dead once the traveller renewed the line another way", async () => {
    await start({ AUTO_RENEW_RETRY_MINUTES: '60' });
    const t = await travellerWithLine(h);
    await switchOn(t, { card: 'declines' });
    h.advance(FIRST_EXPIRY_IN - 5 * HOUR);
    await h.app.autoRenew.tick();
    const declined = await t.waitFor((text) => text.includes(words('autorenew.declined')));
    const payData = declined.reply_markup!.inline_keyboard.flat().find((b) => b.text.startsWith('Pay'))!.callback_data!;

    await checkout(h, t);
    await h.stripe.deliver(h.appUrl, h.stripe.pay(h.stripe.latestSession('payment').id));
    await t.waitFor(isReceipt);
    await settled();

    const sessions = h.stripe.sessions.size;
    await t.tapData(payData, declined.message_id);
    expect(h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)!.payload.text).toContain(
      words('common.stale_button'),
    );
    expect(h.stripe.sessions.size).toBe(sessions);
    h.advance(2 * HOUR);
    await h.app.autoRenew.tick();
    expect(h.stripe.offSessionIntents()).toHaveLength(1);
    expect((await h.database.db.autoRenewCharge.findFirstOrThrow()).state).toBe('superseded');
  });

  it('on a declined card sends a Pay link, tries again as often as configured, then stops', async () => {
    await start({ AUTO_RENEW_MAX_ATTEMPTS: '2', AUTO_RENEW_RETRY_MINUTES: '60' });
    const t = await travellerWithLine(h);
    await switchOn(t, { card: 'declines' });
    h.advance(FIRST_EXPIRY_IN - 5 * HOUR);
    await h.app.autoRenew.tick();
    const first = await t.waitFor((text) => text.includes(words('autorenew.declined')));
    // "in 1 hour" or "in 60 minutes", as Intl words the hour.
    expect(['in 1 hour', 'in 60 minutes'].map((when) => rendered('autorenew.retry_note', { when }))).toSatisfy(
      (notes: string[]) => notes.some((note) => first.text!.includes(note)),
    );
    expect(first.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toContain('Pay IDR 35,000 now');

    await h.app.autoRenew.tick();
    expect(h.stripe.offSessionIntents()).toHaveLength(1);
    h.advance(61 * 60_000);
    await h.app.autoRenew.tick();
    const last = await t.waitFor((text) => text.includes(words('autorenew.gave_up')));
    expect(last.text).toContain('declined');
    h.advance(2 * HOUR);
    await h.app.autoRenew.tick();
    expect(h.stripe.offSessionIntents()).toHaveLength(2);
    expect(h.stripe.offSessionIntents().every((i) => i.status === 'requires_payment_method')).toBe(true);

    // The traveller pays the same renewal themselves, on Stripe's page.
    await t.tap('Pay IDR 35,000 now');
    const session = h.stripe.latestSession('payment');
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    await t.waitFor(isReceipt);
    expect(receipts(t)[0]!.text).not.toContain(words('autorenew.receipt_note'));
    expect(await h.database.db.order.count({ where: { state: 'fulfilled' } })).toBe(1);
  });

  it('when the bank asks for authentication, sends the traveller to finish on-session and charges off-session no more', async () => {
    await start({ AUTO_RENEW_RETRY_MINUTES: '60' });
    const t = await travellerWithLine(h);
    await switchOn(t, { card: 'requires_authentication' });
    h.advance(FIRST_EXPIRY_IN - 5 * HOUR);
    await h.app.autoRenew.tick();
    await t.waitFor((text) => text.includes(phrase('autorenew.authentication', { price: 'IDR 35,000' })));

    await t.tap('Pay IDR 35,000 now');
    const session = h.stripe.latestSession('payment');
    h.advance(2 * HOUR);
    await h.app.autoRenew.tick();
    expect(h.stripe.offSessionIntents()).toHaveLength(1);
    expect((await h.database.db.autoRenewCharge.findFirstOrThrow()).state).toBe('on_session');

    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    await t.waitFor(isReceipt);
    await settled();
    expect(await h.database.db.order.count({ where: { state: 'fulfilled' } })).toBe(1);
    // The line is renewed: its next period starts afresh, and the spending shows nothing charged by auto-renew.
    expect((await h.app.autoRenew.monthlySpend((await h.database.db.user.findFirstOrThrow()).id))[0]!.renewals).toBe(0);
  });

  it('ends the attempt when Stripe refuses the charge itself (the card was removed), says why with a Pay button, and never repeats it', async () => {
    await start();
    const t = await travellerWithLine(h);
    await switchOn(t);
    h.stripe.detachInDashboard([...h.stripe.paymentMethods.values()][0]!.id);
    h.advance(FIRST_EXPIRY_IN - 5 * HOUR);
    await h.app.autoRenew.tick();
    const alert = await t.waitFor((text) => text.includes(words('autorenew.card_unusable', 1)));
    expect(alert.text).toContain(words('autorenew.gave_up'));
    expect((await h.database.db.autoRenewCharge.findFirstOrThrow()).state).toBe('gave_up');

    // Later ticks, a takeover's included, never send Stripe the refused charge again.
    for (let i = 0; i < 3; i++) {
      h.advance(10 * 60_000);
      await h.app.autoRenew.tick();
    }
    expect(h.stripe.requests.filter((r) => r.path === '/v1/payment_intents')).toHaveLength(1);
    const pay = alert.reply_markup!.inline_keyboard.flat().find((b) => b.text.startsWith('Pay'))!;
    await t.tapData(pay.callback_data!, alert.message_id);
    expect(t.urlButton('Pay IDR 35,000')).toBe(h.stripe.latestSession().url);
  });

  it('after a Stripe server error, which Stripe replays for its key, tries again later under a new key without troubling the traveller', async () => {
    await start();
    const t = await travellerWithLine(h);
    await switchOn(t);
    h.stripe.failNext(/^\/v1\/payment_intents$/);
    h.advance(FIRST_EXPIRY_IN - 5 * HOUR);
    await h.app.autoRenew.tick();
    expect((await h.database.db.autoRenewCharge.findFirstOrThrow()).state).toBe('action_required');
    h.advance(2 * HOUR);
    await h.app.autoRenew.tick();
    await settled();
    expect(receipts(t)).toHaveLength(1);
    const keys = h.stripe.requests.filter((r) => r.path === '/v1/payment_intents').map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(2);
    expect(
      t
        .messages()
        .some(
          (m) =>
            m.text?.includes(words('autorenew.declined')) || m.text?.includes(words('autorenew.stripe_unavailable')),
        ),
    ).toBe(false);
  });

  it('charges a period once when an instance dies mid-charge and another takes over, and when two tick at once', async () => {
    await start();
    const t = await travellerWithLine(h);
    await switchOn(t);
    h.advance(FIRST_EXPIRY_IN - 5 * HOUR);

    // Instance A reaches Stripe, which charges the card, and then never hears back (killed).
    const hold = h.stripe.holdNext(/^\/v1\/payment_intents$/);
    const dying = h.app.autoRenew.tick();
    await expect.poll(() => hold.reached()).toBe(true);

    // Instance B, started later, takes the stale charge over with the same idempotency key.
    const b = await startHarness({ db, joining: h });
    others.push(b);
    b.advance(FIRST_EXPIRY_IN - 5 * HOUR + 6 * 60_000);
    h.advance(6 * 60_000); // both clocks agree, as two machines' would
    await b.app.autoRenew.tick();
    const keys = h.stripe.requests.filter((r) => r.path === '/v1/payment_intents').map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
    await settled();

    hold.release();
    await dying;
    // Stripe's own webhook for the same charge arrives last.
    await h.stripe.deliver(h.appUrl, h.stripe.intentSucceeded(h.stripe.offSessionIntents()[0]!.id));
    await settled();
    expect(h.stripe.offSessionIntents()).toHaveLength(1);
    expect(await h.database.db.order.count({ where: { state: 'fulfilled', source: 'auto_renew' } })).toBe(1);
    expect(receipts(t)).toHaveLength(1);

    // The next period: both instances tick at the same moment.
    h.advance(7 * DAY);
    b.advance(7 * DAY);
    await Promise.all([h.app.autoRenew.tick(), b.app.autoRenew.tick(), h.app.autoRenew.tick()]);
    await settled();
    expect(h.stripe.offSessionIntents()).toHaveLength(2);
    expect(await h.database.db.autoRenewCharge.count()).toBe(2);
    expect(receipts(t)).toHaveLength(2);
  });

  it('pauses, resumes, replaces the card (the old one is detached) and switches off (the card is detached)', async () => {
    await start();
    const t = await travellerWithLine(h);
    const { setup: firstSetup, event: firstEvent } = await switchOn(t);
    const firstCard = [...h.stripe.paymentMethods.values()][0]!;

    await t.send('/numbers');
    await t.tap('Auto-renew');
    await t.tap('Pause');
    expect(t.last().text).toContain('Status: paused');
    h.advance(FIRST_EXPIRY_IN - 5 * HOUR);
    await h.app.autoRenew.tick();
    expect(h.stripe.offSessionIntents()).toHaveLength(0);

    await t.tap(words('autorenew.replace_card'));
    const second = h.stripe.latestSession('setup');
    expect(second.id).not.toBe(firstSetup.id);
    await h.stripe.deliver(h.appUrl, h.stripe.completeSetup(second.id, { brand: 'mastercard', last4: '5555' }));
    const replaced = await t.waitFor((text) => text.includes('Mastercard •••• 5555'));
    expect(replaced.text).toContain(words('autorenew.card_saved_paused', 2));
    expect(firstCard.customer).toBeNull();
    // The first page's event, delivered again late, does not bring the old card back.
    await h.stripe.deliver(h.appUrl, { ...firstEvent, id: `${firstEvent.id}_late` });
    expect((await h.database.db.autoRenew.findFirstOrThrow()).cardLast4).toBe('5555');

    await t.send('/numbers');
    await t.tap('Auto-renew');
    await t.tap('Resume');
    await h.app.autoRenew.tick();
    await settled();
    expect(h.stripe.offSessionIntents()).toHaveLength(1);
    expect(h.stripe.offSessionIntents()[0]!.payment_method).toBe([...h.stripe.paymentMethods.values()][1]!.id);

    await t.tap(words('autorenew.off'));
    await t.tap(words('autorenew.off_yes'));
    expect(
      t
        .messages()
        .some((m) => m.text?.includes(words('autorenew.off_done')) && m.text.includes(words('autorenew.off_done', 1))),
    ).toBe(true);
    expect([...h.stripe.paymentMethods.values()].every((pm) => pm.customer === null)).toBe(true);
    h.advance(7 * DAY);
    await h.app.autoRenew.tick();
    expect(h.stripe.offSessionIntents()).toHaveLength(1);
  });
});
