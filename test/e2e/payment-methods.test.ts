import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../src/bot/i18n.js';
import { formatMoney } from '../../src/domain/money.js';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { phrase } from '../helpers/copy.js';
import { orderSummary, sweepPendingTopUps, travellerWithLine } from '../helpers/journeys.js';

/** A chat string in a language, its {{values}} filled in. */
function text(language: string, key: string, values: Record<string, string> = {}): string {
  const strings = JSON.parse(readFileSync(path.join(LOCALES_DIR, language, 'translation.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const raw = key.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown>)[part], strings) as string;
  return raw.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? `{{${name}}}`);
}

const WEEKLY = 'axis-weekly-10gb';

describe.each(databaseKinds)('ways to pay on %s', (db) => {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
  });

  const start = async (methods: string, prices: Record<string, number>, plan = WEEKLY) => {
    h = await startHarness({ db, env: { PAYMENT_METHODS: methods } });
    await h.database.db.plan.update({ where: { code: plan }, data: { prices } });
  };
  const order = () => h.database.db.order.findFirstOrThrow({ where: { state: { not: 'draft' } } });

  /** The summary, PayPal tapped, and Stripe's page for it paid. */
  const paidWithPayPal = async (number?: string) => {
    await start('card,paypal', { USD: 250 });
    const t = await travellerWithLine(h, number);
    await orderSummary(t);
    await t.tap('PayPal');
    const session = h.stripe.latestSession();
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    return { t, session };
  };
  const receipt = text('en', 'receipt.text').split('\n')[0]!;

  it("pays with PayPal through Stripe Checkout at the plan's USD price, end to end", async () => {
    // A number whose top-up the provider keeps pending: "payment received" comes first, the receipt later.
    const { t, session } = await paidWithPayPal('0838 1234 2222');
    expect(session.allowed_payment_method_types).toEqual(['paypal']);
    expect([session.currency, session.amount_total]).toEqual(['usd', 250]);
    const received = phrase('notify.payment_received', {
      price: formatMoney({ amountMinor: 250, currency: 'USD' }, 'en'),
    });
    await t.waitFor((m) => m.includes(received));
    expect(t.messages().some((m) => m.text?.startsWith(receipt))).toBe(false);
    await sweepPendingTopUps(h);
    await t.waitFor((m) => m.startsWith(receipt));
    const paid = await order();
    expect([paid.paymentMethod, paid.paidWith, paid.currency, paid.amountMinor]).toEqual([
      'paypal',
      'stripe',
      'USD',
      250,
    ]);
    const ledger = await h.database.db.ledgerEntry.findMany({ where: { orderId: paid.id } });
    expect(ledger.map((l) => [l.processor, l.kind, l.method, l.currency, l.amountMinor])).toEqual([
      ['stripe', 'payment', 'paypal', 'USD', 250],
    ]);
    await t.send('/history');
    // The history answer, not whatever message came last: a late "payment received" may still arrive.
    await t.waitFor((m) => m.includes(text('en', 'history.paid_with.method', { method: 'PayPal' })));
  });

  it('refunds a second PayPal payment for an order already paid, through Stripe, and tells the traveller', async () => {
    const { t, session } = await paidWithPayPal();
    // The same page paid a second time (a second PaymentIntent).
    expect((await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id))).body.outcome).toBe('applied');
    expect(h.stripe.refunds).toHaveLength(1);
    const told = text('en', 'notify.paid_twice_refunded').split('{{order}}')[0]!;
    await t.waitFor((m) => m.startsWith(told));
    const paid = await order();
    const movements = await h.database.db.ledgerEntry.findMany({
      where: { orderId: paid.id },
      orderBy: { amountMinor: 'asc' },
    });
    expect(movements.map((l) => [l.kind, l.currency, l.amountMinor])).toEqual([
      ['refund', 'USD', -250],
      ['payment', 'USD', 250],
      ['payment', 'USD', 250],
    ]);
  });

  it('offers a Korean traveller Kakao Pay for a KRW-priced plan, and not for a plan priced only in rupiah', async () => {
    await start('card,kakao_pay,naver_pay,payco', { KRW: 3_500 });
    const t = await travellerWithLine(h, '0838 1234 5678', 'ko');
    const kakao = text('ko', 'payment_method.kakao_pay');
    await t.send('/renew');
    await t.tap('10GB');
    expect(t.buttons().some((b) => b.text.startsWith(kakao) && b.text.includes('3,500'))).toBe(true);
    await t.tap(kakao);
    const session = h.stripe.latestSession();
    expect(session.allowed_payment_method_types).toEqual(['kakao_pay']);
    expect([session.currency, session.amount_total]).toEqual(['krw', 3_500]);

    const other = await travellerWithLine(h, '0831 2222 3333', 'ko');
    await other.send('/renew');
    await other.tap('30GB');
    expect(other.buttons().filter((b) => b.text.startsWith(kakao))).toHaveLength(0);
    expect(other.buttons().some((b) => b.callback_data?.endsWith(':card'))).toBe(true);
  });

  it('freezes a KRW price too: a change before Kakao Pay asks again, and a change after it keeps the confirmed price', async () => {
    await start('card,kakao_pay', { KRW: 3_500 });
    const t = await travellerWithLine(h, '0838 1234 5678', 'ko');
    const kakao = text('ko', 'payment_method.kakao_pay');
    const button = (amountMinor: number) =>
      text('ko', 'renew.pay_with', { method: kakao, price: formatMoney({ amountMinor, currency: 'KRW' }, 'ko') });
    await t.send('/renew');
    await t.tap('10GB');
    expect(t.buttons().map((b) => b.text)).toContain(button(3_500));
    // The operator reprices the plan in won while the summary is open.
    await h.database.db.plan.update({ where: { code: WEEKLY }, data: { prices: { KRW: 4_000 } } });
    await t.tap(button(3_500));
    expect(h.stripe.sessions.size).toBe(0);
    expect(t.last().text).toContain(text('ko', 'renew.plan_changed'));
    await t.tap(button(4_000));
    const session = h.stripe.latestSession();
    expect([session.allowed_payment_method_types, session.currency, session.amount_total]).toEqual([
      ['kakao_pay'],
      'krw',
      4_000,
    ]);

    // Repriced again once the page is made: the traveller pays what they confirmed.
    await h.database.db.plan.update({ where: { code: WEEKLY }, data: { prices: { KRW: 5_000 } } });
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    await t.waitFor((m) => m.startsWith(text('ko', 'receipt.text').split('\n')[0]!));
    // The order confirmed at the old price was voided; the one asked again was paid at its price.
    const [voided, paid] = await h.database.db.order.findMany({ orderBy: { createdAt: 'asc' } });
    expect(voided!.state).toBe('canceled');
    expect([paid!.paymentMethod, paid!.currency, paid!.amountMinor]).toEqual(['kakao_pay', 'KRW', 4_000]);
    const ledger = await h.database.db.ledgerEntry.findMany({ where: { orderId: paid!.id } });
    expect(ledger.map((l) => [l.kind, l.method, l.currency, l.amountMinor])).toEqual([
      ['payment', 'kakao_pay', 'KRW', 4_000],
    ]);
  });

  it('switches off a method the Stripe account has not activated, logs it once, and the other methods still work', async () => {
    await start('card,paypal', { USD: 250 });
    h.stripe.notActivated.add('paypal');
    const t = await travellerWithLine(h);
    await orderSummary(t);
    await t.tap('PayPal');
    expect(h.stripe.sessions.size).toBe(0);
    // No error: the summary now offers what is left.
    const left = t.last().reply_markup?.inline_keyboard.flat() ?? [];
    expect(left.some((b) => b.text.includes('PayPal'))).toBe(false);
    await t.tap(text('en', 'renew.pay_card', { price: '' }).trim());
    expect(h.stripe.latestSession().allowed_payment_method_types).toEqual(['card']);

    const next = await travellerWithLine(h, '0831 2222 3333');
    await orderSummary(next);
    expect(next.buttons().filter((b) => b.text.includes('PayPal'))).toHaveLength(0);
    expect(h.logs.filter((l) => l.includes('payment method refused by the processor'))).toHaveLength(1);
  });
});
