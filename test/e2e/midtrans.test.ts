import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../src/bot/i18n.js';
import { formatDateTime } from '../../src/domain/expiry.js';
import { formatMoney } from '../../src/domain/money.js';
import { orderNumber } from '../../src/domain/order-state.js';
import { FakeMidtrans } from '../fakes/midtrans-api.js';
import { renderHtml, type Traveller } from '../fakes/telegram-api.js';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { consoleSession } from '../helpers/console-client.js';
import { phrase } from '../helpers/copy.js';
import { operatorInChat, orderSummary, sweepPendingTopUps, travellerWithLine } from '../helpers/journeys.js';

const OPERATOR_ID = 6262;
/** The console's English copy, as an operator reads it. */
const consoleText = JSON.parse(readFileSync(path.join(LOCALES_DIR, 'en', 'console.json'), 'utf8')) as {
  orders: { result: Record<string, string> };
};
const HOUR = 3_600_000;
/** Intl's no-break spaces, as plain ones: the chat's text is compared as a person reads it. */
const spaced = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe.each(databaseKinds)('Midtrans Snap on %s', (db) => {
  let h: Harness;
  let midtrans: FakeMidtrans;
  let op: Traveller;
  afterEach(async () => {
    await h.stop();
    await midtrans.close();
  });

  const start = async () => {
    midtrans = await FakeMidtrans.start();
    h = await startHarness({
      db,
      env: {
        PAYMENT_METHODS: 'card,qris,gopay,shopeepay,bca_va,bni_va,bri_va,permata_va,indomaret,alfamart',
        MIDTRANS_SERVER_KEY: midtrans.serverKey,
        MIDTRANS_API_URL: midtrans.url,
        MIDTRANS_SNAP_URL: midtrans.url,
        ADMIN_IDS: String(OPERATOR_ID),
        // Long enough for a virtual account paid hours later.
        CHECKOUT_EXPIRES_MINUTES: String(24 * 60),
        RECONCILE_LOOKBACK_HOURS: '72',
      },
    });
    midtrans.notificationUrl = `${h.appUrl}/webhooks/midtrans`;
    midtrans.now = h.now;
    op = await operatorInChat(h, OPERATOR_ID);
  };

  /** The text a traveller reads for a locale key, as the bot renders it (HTML, then what a person sees). */
  const seen = (key: string, vars: Record<string, unknown>, language = 'en') =>
    renderHtml(h.app.i18n.getFixedT(language)(key, vars)) as string;
  const order = (id: string) => h.database.db.order.findUniqueOrThrow({ where: { id } });
  const ledger = (orderId: string) =>
    h.database.db.ledgerEntry.findMany({
      where: { orderId },
      orderBy: { createdAt: 'asc' },
      select: { processor: true, kind: true, method: true, amountMinor: true, currency: true },
    });
  const isReceipt = (language = 'en') => {
    const head = h.app.i18n.getFixedT(language)('receipt.text').split('\n')[0]!;
    return (text: string) => text.includes(head);
  };

  /** The traveller taps a method on the order's summary: the one checkout, and its Snap page for that method. */
  const pay = (orderId: string, userId: string, method: string) =>
    h.app.services.orders.checkout(userId, orderId, method, 'en');
  /** The traveller opens the summary and taps a Midtrans method on it: the Snap page for the order. */
  const snapPage = async (t: Traveller, method: string, plan?: string) => {
    await orderSummary(t, plan);
    const draft = await h.database.db.order.findFirstOrThrow({
      where: { state: 'draft', user: { telegramId: BigInt(t.user.id) } },
      orderBy: { createdAt: 'desc' },
    });
    const page = await pay(draft.id, draft.userId, method);
    return { orderId: draft.id, page };
  };

  it('settles a QRIS payment from the signed notification, after asking the status API, once', async () => {
    await start();
    // A number whose top-up the provider keeps pending: "payment received" comes first, the receipt later.
    const t = await travellerWithLine(h, '0838 1234 2222');
    const { orderId, page } = await snapPage(t, 'qris');
    expect(page).toMatchObject({ status: 'ready' });
    const snap = midtrans.snaps.get(orderId)!;
    expect(snap).toMatchObject({ grossAmount: 35000, expiry: { unit: 'minute', duration: 24 * 60 } });
    expect(snap.enabledPayments).toContain('qris');
    // A second tap gets the same page: Midtrans takes one page per order id.
    expect(await pay(orderId, (await order(orderId)).userId, 'qris')).toEqual(page);

    await midtrans.choose(orderId, 'qris');
    await midtrans.pay(orderId);
    const received = spaced(
      phrase('notify.payment_received', { price: formatMoney({ amountMinor: 35000, currency: 'IDR' }, 'en') }),
    );
    await t.waitFor((text) => spaced(text).includes(received));
    expect(t.messages().some((m) => isReceipt()(m.text ?? ''))).toBe(false);
    await sweepPendingTopUps(h);
    await t.waitFor(isReceipt());
    expect(t.messages().filter((m) => spaced(m.text ?? '').includes(received))).toHaveLength(1);
    expect(await order(orderId)).toMatchObject({ state: 'fulfilled', paidWith: 'midtrans' });
    expect(await ledger(orderId)).toEqual([
      { processor: 'midtrans', kind: 'payment', method: 'qris', amountMinor: 35000, currency: 'IDR' },
    ]);
    const statusCalls = midtrans.requests.filter((r) => r.path.endsWith('/status'));
    expect(statusCalls.length).toBeGreaterThanOrEqual(2);
    // Midtrans sends it again: nothing more happens.
    expect(await midtrans.deliver(midtrans.notificationFor(orderId))).toBe(200);
    expect(await ledger(orderId)).toHaveLength(1);
  });

  it('tells the traveller how, where and by when to pay a virtual account, and settles it hours later', async () => {
    await start();
    const t = await travellerWithLine(h, '0838 1234 4567', 'id');
    const { orderId } = await snapPage(t, 'bca_va', 'AXIS Mingguan 10 GB');
    const tx = await midtrans.choose(orderId, 'bca_va');
    const number = tx.va_numbers![0]!.va_number;
    const o = await order(orderId);
    const until = formatDateTime(new Date(`${tx.expiry_time!.replace(' ', 'T')}+07:00`), 'id', 'Asia/Jakarta');
    const expected = seen(
      'midtrans.pending.bank_transfer',
      {
        order: orderNumber(orderId),
        price: formatMoney({ amountMinor: 35000, currency: 'IDR' }, 'id'),
        bank: 'BCA',
        number,
        until,
      },
      'id',
    );
    await t.waitFor((text) => spaced(text) === spaced(expected));
    expect(o.state).toBe('awaiting_payment');

    h.advance(5 * HOUR);
    await midtrans.pay(orderId);
    await t.waitFor(isReceipt('id'));
    expect(await ledger(orderId)).toEqual([
      { processor: 'midtrans', kind: 'payment', method: 'bca_va', amountMinor: 35000, currency: 'IDR' },
    ]);
  });

  it.each([
    ['indomaret', 'Indomaret'],
    ['alfamart', 'Alfamart'],
  ] as const)('says when a minimarket code expired, and charges nothing: %s', async (method, store) => {
    await start();
    const t = await travellerWithLine(h);
    const { orderId } = await snapPage(t, method);
    const tx = await midtrans.choose(orderId, method);
    await t.waitFor((text) => text.includes(tx.payment_code!) && text.includes(store));
    await midtrans.lapse(orderId);
    const o = await order(orderId);
    expect(o.state).toBe('expired');
    const plan = await h.database.db.plan.findUniqueOrThrow({ where: { id: o.planId } });
    await t.waitFor((text) =>
      text.includes(
        seen('notify.order_expired', {
          order: orderNumber(orderId),
          plan: (plan.names as Record<string, string>).en,
          price: formatMoney({ amountMinor: 35000, currency: 'IDR' }, 'en'),
        }).slice(0, 20),
      ),
    );
    expect(await ledger(orderId)).toEqual([]);
  });

  it('refunds a QRIS payment through Midtrans, under one refund_key', async () => {
    await start();
    const t = await travellerWithLine(h);
    const { orderId } = await snapPage(t, 'qris');
    await midtrans.choose(orderId, 'qris');
    await midtrans.pay(orderId);
    await t.waitFor(isReceipt());
    expect(await h.app.services.refunds.refund(orderId, { by: OPERATOR_ID })).toBe('refunded');
    expect(await h.app.services.refunds.refund(orderId, { by: OPERATOR_ID })).toBe('already_refunded');
    const refunds = midtrans.requests.filter((r) => r.path.endsWith('/refund'));
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.body).toMatchObject({ refund_key: `${orderId}-refund`, amount: 35000 });
    expect(midtrans.snaps.get(orderId)!.transaction!.transaction_status).toBe('refund');
    expect(await order(orderId)).toMatchObject({ state: 'refunded' });
    expect((await ledger(orderId)).map((l) => [l.kind, l.amountMinor])).toEqual([
      ['payment', 35000],
      ['refund', -35000],
    ]);
    await t.waitFor((text) =>
      text.includes(seen('notify.refunded_by_operator', { order: orderNumber(orderId) }).slice(0, 12)),
    );
  });

  it('records a bank transfer refund as owed, tells the operators, and settles it when marked paid', async () => {
    await start();
    const t = await travellerWithLine(h);
    const { orderId } = await snapPage(t, 'bni_va');
    await midtrans.choose(orderId, 'bni_va');
    await midtrans.pay(orderId);
    await t.waitFor(isReceipt());
    expect(await h.app.services.refunds.refund(orderId, { by: OPERATOR_ID })).toBe('refunding');
    expect(midtrans.requests.filter((r) => r.path.endsWith('/refund'))).toEqual([]);
    await op.waitFor((text) => text.includes('💸') && text.includes(orderNumber(orderId)));
    expect((await ledger(orderId)).map((l) => [l.kind, l.amountMinor])).toEqual([
      ['payment', 35000],
      ['refund_owed', -35000],
    ]);
    // The sweep finishing refunds does not ask again, nor tell the operators twice.
    await h.app.services.fulfilment.sweep();
    expect(await h.database.db.reconciliationIssue.count({ where: { kind: 'refund_owed' } })).toBe(1);

    // The operator pays it back by hand and marks it refunded in the console: its confirmation names
    // the order, Confirm says it is refunded, and a second post of the same form does nothing more.
    const session = await consoleSession(h, OPERATOR_ID);
    const confirmation = await session.page(`/console/orders/${orderId}/confirm/mark_refunded`);
    expect(confirmation).toContain(orderNumber(orderId));
    const form = await session.confirm(h.appUrl, orderId, 'mark_refunded');
    const done = await session.post(h.appUrl, orderId, 'mark_refunded', form);
    expect(done).toBe(`/console/orders/${orderId}?result=refunded`);
    expect(await session.page(done!)).toContain(consoleText.orders.result.refunded);
    expect(await session.post(h.appUrl, orderId, 'mark_refunded', form)).toBe(
      `/console/orders/${orderId}?result=not_owed`,
    );
    expect(await order(orderId)).toMatchObject({ state: 'refunded' });
    expect((await ledger(orderId)).reduce((sum, l) => sum + l.amountMinor, 0)).toBe(0);
    const audit = await h.database.db.auditEntry.findMany({ where: { action: 'order.refund_paid_by_hand' } });
    expect(audit).toHaveLength(1);
    expect(Number(audit[0]!.actorId)).toBe(OPERATOR_ID);
    await t.waitFor((text) =>
      text.includes(seen('notify.refunded_by_operator', { order: orderNumber(orderId) }).slice(0, 12)),
    );
  });

  it('records a refund Midtrans refuses as owed, and tells the operators', async () => {
    await start();
    const t = await travellerWithLine(h);
    const { orderId } = await snapPage(t, 'gopay');
    await midtrans.choose(orderId, 'gopay');
    await midtrans.pay(orderId);
    await t.waitFor(isReceipt());
    midtrans.refuseRefunds = true;
    expect(await h.app.services.refunds.refund(orderId, { by: OPERATOR_ID })).toBe('refunding');
    await op.waitFor((text) => text.includes('💸') && text.includes(orderNumber(orderId)));
    expect((await order(orderId)).state).toBe('refunding');
    const issue = await h.database.db.reconciliationIssue.findFirstOrThrow({ where: { kind: 'refund_owed' } });
    expect(issue.detail).toMatchObject({ refusal: { statusCode: '412' } });
  });

  it('refuses forged, unsigned and malformed notifications, and answers 200 for an unknown order', async () => {
    await start();
    const t = await travellerWithLine(h);
    const { orderId } = await snapPage(t, 'qris');
    await midtrans.choose(orderId, 'qris');
    midtrans.snaps.get(orderId)!.transaction!.transaction_status = 'settlement';
    const genuine = midtrans.notificationFor(orderId);
    const post = (body: unknown) =>
      fetch(midtrans.notificationUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    expect((await post({ ...genuine, signature_key: 'a'.repeat(128) })).status).toBe(401);
    expect((await post({ ...genuine, gross_amount: '1.00' })).status).toBe(401);
    const { signature_key: _drop, ...unsigned } = genuine;
    const missing = await post(unsigned);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: 'invalid signature_key' });
    const junk = await post({ ...genuine, gross_amount: 35000 });
    expect(junk.status).toBe(400);
    expect(await junk.json()).toEqual({ error: 'invalid gross_amount' });
    expect((await post('not json at all')).status).toBe(400);
    expect((await order(orderId)).state).toBe('awaiting_payment');

    const stranger = {
      ...genuine,
      order_id: 'someone-elses-order',
      signature_key: midtrans.sign('someone-elses-order', '200', String(genuine.gross_amount)),
    };
    const unknown = await post(stranger);
    expect(unknown.status).toBe(200);
    expect(await h.database.db.ledgerEntry.count()).toBe(0);
  });

  it('settles nothing when the amount differs from the frozen price, and tells the operators', async () => {
    await start();
    const t = await travellerWithLine(h);
    const { orderId } = await snapPage(t, 'qris');
    await midtrans.choose(orderId, 'qris');
    midtrans.snaps.get(orderId)!.transaction!.gross_amount = '3500.00';
    await midtrans.pay(orderId);
    await op.waitFor((text) => text.includes(orderNumber(orderId)) && text.includes('⚠️'));
    expect((await order(orderId)).state).toBe('awaiting_payment');
    expect(await h.database.db.reconciliationIssue.findMany({ select: { kind: true, orderId: true } })).toEqual([
      { kind: 'amount_mismatch', orderId },
    ]);
  });

  it('applies duplicate and out-of-order notifications once: settlement before pending', async () => {
    await start();
    const t = await travellerWithLine(h);
    const { orderId } = await snapPage(t, 'permata_va');
    midtrans.hold = true;
    await midtrans.choose(orderId, 'permata_va');
    await midtrans.pay(orderId);
    const [pending, settlement] = midtrans.held;
    const answers = await Promise.all([midtrans.deliver(settlement!), midtrans.deliver(settlement!)]);
    expect(answers).toEqual([200, 200]);
    expect(await midtrans.deliver(pending!)).toBe(200);
    await t.waitFor(isReceipt());
    expect((await ledger(orderId)).filter((l) => l.kind === 'payment')).toHaveLength(1);
    expect(await h.database.db.outboxMessage.count({ where: { kind: 'midtrans_pending' } })).toBe(0);
    expect(await h.database.db.outboxMessage.count({ where: { kind: 'receipt' } })).toBe(1);
  });

  it('honours a payment that settles after the order expired while the line is linked', async () => {
    await start();
    const t = await travellerWithLine(h);
    const { orderId } = await snapPage(t, 'bri_va');
    await midtrans.choose(orderId, 'bri_va');
    await midtrans.lapse(orderId);
    expect((await order(orderId)).state).toBe('expired');
    await midtrans.pay(orderId);
    await t.waitFor(isReceipt());
    expect(await order(orderId)).toMatchObject({ state: 'fulfilled', paidWith: 'midtrans' });
  });

  it('gives back a payment that settles after expiry for a line no longer linked: QRIS by API', async () => {
    await start();
    const t = await travellerWithLine(h);
    const { orderId } = await snapPage(t, 'qris');
    await midtrans.choose(orderId, 'qris');
    await midtrans.lapse(orderId);
    const o = await order(orderId);
    await h.database.db.line.update({ where: { id: o.lineId }, data: { unlinkedAt: h.now() } });
    await midtrans.pay(orderId);
    expect((await order(orderId)).state).toBe('expired');
    expect(midtrans.snaps.get(orderId)!.transaction!.transaction_status).toBe('refund');
    expect((await ledger(orderId)).map((l) => [l.kind, l.amountMinor])).toEqual([
      ['payment', 35000],
      ['refund', -35000],
    ]);
  });

  it('answers a gateway that is down with "try again", and lets the next tap make the page', async () => {
    await start();
    const t = await travellerWithLine(h, '0838 1234 4567', 'id');
    await orderSummary(t, 'AXIS Mingguan 10 GB');
    const summary = t.last();
    const tr = h.app.i18n.getFixedT('id');
    const keys = (m: typeof summary) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text);
    const before = keys(summary);
    const qris = before.find((text) => text.startsWith(tr('payment_method.qris')))!;
    expect(before.some((text) => text.startsWith(tr('payment_method.gopay')))).toBe(true);

    midtrans.down = true;
    const answers = () => h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery');
    const answered = answers().length;
    await t.tap(qris);
    // The tap is answered in Indonesian: try again, nothing charged.
    await expect.poll(() => answers().length, { timeout: 20_000 }).toBeGreaterThan(answered);
    expect(answers().at(-1)!.payload.text).toBe(tr('renew.payment_unavailable'));
    // The summary still offers QRIS and every other way to pay, and no payment link.
    const now = t.messages().find((m) => m.message_id === summary.message_id)!;
    expect(keys(now)).toEqual(before);
    expect(t.buttons().some((b) => b.url)).toBe(false);
    const orderId = (await h.database.db.order.findFirstOrThrow({ orderBy: { createdAt: 'desc' } })).id;
    expect((await order(orderId)).state).toBe('draft');

    midtrans.down = false;
    await t.tap(qris);
    // The link the chat now shows opens a Snap page for this order.
    const snapLink = () =>
      t
        .buttons()
        .some((b) =>
          [...midtrans.snaps.values()].some((p) => p.orderId.startsWith(orderId) && b.url?.endsWith(p.token)),
        );
    await expect.poll(snapLink, { timeout: 20_000 }).toBe(true);
    expect((await order(orderId)).state).toBe('awaiting_payment');
  });

  it('reconciles by the status API: a lost notification settles, a page never used expires', async () => {
    await start();
    const t = await travellerWithLine(h);
    const paid = await snapPage(t, 'shopeepay');
    midtrans.hold = true;
    await midtrans.choose(paid.orderId, 'shopeepay');
    await midtrans.pay(paid.orderId);
    const unused = await snapPage(t, 'qris', 'AXIS Monthly 30 GB');
    h.advance(25 * HOUR);

    const run = await h.app.reconciliation.run();
    expect(run.ran).toBe(true);
    await t.waitFor(isReceipt());
    expect(await order(paid.orderId)).toMatchObject({ paidWith: 'midtrans' });
    expect(await h.database.db.reconciliationIssue.findMany({ select: { kind: true, orderId: true } })).toEqual([
      { kind: 'settled_late', orderId: paid.orderId },
    ]);
    expect((await order(unused.orderId)).state).toBe('expired');
  });
});
