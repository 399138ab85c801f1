import { afterEach, describe, expect, it } from 'vitest';
import { orderNumber } from '../../src/domain/order-state.js';
import type { FakeMidtrans } from '../fakes/midtrans-api.js';
import type { Traveller } from '../fakes/telegram-api.js';
import { fragment, RECEIPT_HEADLINE, t as copy } from '../helpers/copy.js';
import { databaseKinds } from '../helpers/database.js';
import type { Harness } from '../helpers/harness.js';
import { startMidtransShop } from '../helpers/midtrans-shop.js';
import { orderSummary, travellerWithLine } from '../helpers/journeys.js';

/** The summary's Pay button for a method, as the traveller reads it. */
const methodButton = (method: string) => copy(`payment_method.${method}`);
const PAY_LINK = copy('renew.pay_button', { price: '' }).trim();

/**
 * Midtrans through the chat, as a traveller pays: the summary's QRIS or virtual-account button, the
 * Snap link it answers with, the fake Midtrans's signed notification, the receipt. And a second
 * method tapped after a page exists: its own page, the first closed where Midtrans allows.
 */
describe.each(databaseKinds)('Midtrans from the summary on %s', (db) => {
  let h: Harness;
  let midtrans: FakeMidtrans;
  afterEach(async () => {
    await h.stop();
    await midtrans.close();
  });

  const start = async () => {
    ({ h, midtrans } = await startMidtransShop({ db, methods: 'card,qris,bca_va' }));
  };
  const theOrder = () => h.database.db.order.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
  const ledger = async (orderId: string) =>
    (
      await h.database.db.ledgerEntry.findMany({
        where: { orderId },
        orderBy: [{ createdAt: 'asc' }, { amountMinor: 'desc' }],
      })
    ).map((l) => [l.processor, l.kind, l.method, l.amountMinor]);
  /** The Snap page behind the link the chat shows now. */
  const snapBehindLink = (t: Traveller) => {
    const url = t.urlButton(PAY_LINK);
    const snap = [...midtrans.snaps.values()].find((s) => url.endsWith(s.token));
    if (!snap) throw new Error(`no Snap page behind ${url}`);
    return snap;
  };

  it("pays with QRIS from the summary's button: the Snap link, Midtrans's notification, the receipt", async () => {
    await start();
    const t = await travellerWithLine(h);
    await orderSummary(t);
    // An Indonesian number: QRIS is the first way to pay offered.
    const pay = t.last().reply_markup!.inline_keyboard.flat();
    expect(pay[0]!.text).toContain(methodButton('qris'));

    await t.tap(methodButton('qris'));
    await t.waitFor((text) => text.includes(fragment('renew.pay_link')));
    const order = await theOrder();
    const snap = snapBehindLink(t);
    expect(snap).toMatchObject({ orderId: order.id, grossAmount: 35000, enabledPayments: ['qris'] });
    expect(order).toMatchObject({ state: 'awaiting_payment', paymentMethod: 'qris', currency: 'IDR' });

    await midtrans.choose(snap.orderId, 'qris');
    await midtrans.pay(snap.orderId);
    await t.waitFor((text) => text.startsWith(RECEIPT_HEADLINE));
    expect(await theOrder()).toMatchObject({ state: 'fulfilled', paidWith: 'midtrans', paymentMethod: 'qris' });
    expect(await ledger(order.id)).toEqual([['midtrans', 'payment', 'qris', 35000]]);
  });

  it('gives a second method its own page, and gives back a late payment on the first by the refund rule', async () => {
    await start();
    const t = await travellerWithLine(h);
    await orderSummary(t);
    await t.tap(methodButton('qris'));
    await t.waitFor((text) => text.includes(fragment('renew.pay_link')));
    const first = snapBehindLink(t);

    // The traveller would rather pay by bank transfer: "Other ways to pay", then the BCA button.
    await t.tap(copy('renew.more_methods'));
    await t.tap(methodButton('bca_va'));
    const order = await theOrder();
    const second = snapBehindLink(t);
    expect(second).toMatchObject({ orderId: `${order.id}-2`, grossAmount: 35000, enabledPayments: ['bca_va'] });
    expect(order).toMatchObject({ state: 'awaiting_payment', paymentMethod: 'bca_va' });
    // Tapping it again is the same page.
    await t.tap(copy('renew.more_methods'));
    await t.tap(methodButton('bca_va'));
    expect(snapBehindLink(t).orderId).toBe(second.orderId);

    const va = await midtrans.choose(second.orderId, 'bca_va');
    await t.waitFor((text) => text.includes(va.va_numbers![0]!.va_number));
    await midtrans.pay(second.orderId);
    await t.waitFor((text) => text.startsWith(RECEIPT_HEADLINE));

    // The QRIS page had no method picked, so Midtrans could not close it; it is paid all the same.
    await midtrans.choose(first.orderId, 'qris');
    await midtrans.pay(first.orderId);
    const told = copy('notify.paid_twice_refunded', { order: orderNumber(order.id), price: '\u0000' });
    await t.waitFor((text) => text.startsWith(told.split('\u0000')[0]!));
    expect(midtrans.snaps.get(first.orderId)!.transaction!.transaction_status).toBe('refund');
    expect(await theOrder()).toMatchObject({ state: 'fulfilled', paymentMethod: 'bca_va' });
    expect(await ledger(order.id)).toEqual([
      ['midtrans', 'payment', 'bca_va', 35000],
      ['midtrans', 'payment', 'qris', 35000],
      ['midtrans', 'refund', 'qris', -35000],
    ]);
  });

  it("expires a pending QRIS code when the traveller picks the card instead, and the order stays the card's", async () => {
    await start();
    const t = await travellerWithLine(h);
    await orderSummary(t);
    await t.tap(methodButton('qris'));
    await t.waitFor((text) => text.includes(fragment('renew.pay_link')));
    const qris = snapBehindLink(t);
    await midtrans.choose(qris.orderId, 'qris');

    await t.tap(copy('renew.more_methods'));
    await t.tap(copy('renew.pay_card', { price: '' }).trim());
    const session = h.stripe.latestSession();
    expect(t.urlButton(PAY_LINK)).toBe(session.url);
    // Midtrans's "Expire Transaction" closed the QR, and its expire notification ended nothing.
    await expect.poll(() => midtrans.delivered.map((d) => d.body.transaction_status)).toContain('expire');
    expect(midtrans.snaps.get(qris.orderId)!.transaction!.transaction_status).toBe('expire');
    expect(await theOrder()).toMatchObject({ state: 'awaiting_payment', paymentMethod: 'card' });

    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    await t.waitFor((text) => text.startsWith(RECEIPT_HEADLINE));
    expect(await theOrder()).toMatchObject({ state: 'fulfilled', paidWith: 'stripe', paymentMethod: 'card' });
  });
});
