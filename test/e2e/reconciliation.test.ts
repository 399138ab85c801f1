import { afterEach, describe, expect, it } from 'vitest';
import type { Traveller } from '../fakes/telegram-api.js';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { checkout, operatorInChat, STARS_ENV, starsInvoiceLink, travellerWithLine } from '../helpers/journeys.js';
import { RECEIPT_HEADLINE, words } from '../helpers/copy.js';

const OPERATOR_ID = 5151;
const isReceipt = (text: string) => text.includes(RECEIPT_HEADLINE);

describe.each(databaseKinds)('reconciliation against Stripe and Telegram on %s', (db) => {
  let h: Harness;
  let op: Traveller;
  afterEach(async () => {
    await h.stop();
  });

  const start = async () => {
    h = await startHarness({ db, env: { ...STARS_ENV, ADMIN_IDS: String(OPERATOR_ID) } });
    op = await operatorInChat(h, OPERATOR_ID);
  };
  const issues = () =>
    h.database.db.reconciliationIssue.findMany({
      orderBy: { createdAt: 'asc' },
      select: { kind: true, externalId: true, orderId: true },
    });
  const alerts = () => h.database.db.outboxMessage.count({ where: { kind: 'operator_reconciliation' } });
  /** Paid on Stripe's page; the webhook never reaches Kuota. */
  const paidAtStripeOnly = async (t: Traveller) => {
    const session = await checkout(h, t);
    h.stripe.pay(session.id);
    const orderId = session.metadata.orderId as string;
    return { orderId, paymentIntentId: h.stripe.sessions.get(session.id)!.payment_intent! };
  };
  /** A run and a second one: the second finds nothing new and tells nobody anything more. */
  const reconcileTwice = async () => {
    const first = await h.app.reconciliation.run();
    expect(first.ran).toBe(true);
    const found = await issues();
    const told = await alerts();
    const ledger = await h.database.db.ledgerEntry.count();
    expect(await h.app.reconciliation.run()).toMatchObject({ ran: true, issues: 0 });
    expect(await issues()).toEqual(found);
    expect(await alerts()).toBe(told);
    expect(await h.database.db.ledgerEntry.count()).toBe(ledger);
    return found;
  };

  it('settles once an order whose Stripe webhook never arrived, and tells the operators once', async () => {
    await start();
    const t = await travellerWithLine(h);
    const { orderId, paymentIntentId } = await paidAtStripeOnly(t);

    expect(await reconcileTwice()).toEqual([{ kind: 'settled_late', externalId: paymentIntentId, orderId }]);
    await t.waitFor(isReceipt);
    const order = await h.database.db.order.findUniqueOrThrow({ where: { id: orderId } });
    expect(order).toMatchObject({ state: 'fulfilled', paidWith: 'stripe', stripePaymentIntentId: paymentIntentId });
    expect(h.stripe.refunds).toEqual([]);
    expect(
      await h.database.db.ledgerEntry.findMany({ select: { kind: true, externalId: true, amountMinor: true } }),
    ).toEqual([{ kind: 'payment', externalId: paymentIntentId, amountMinor: order.amountMinor }]);
    await op.waitFor(
      (text) => text.includes('Reconciliation') && text.includes(words('operator.reconciliation.settled_late', 4)),
    );
    expect(op.messages().filter((m) => m.text?.includes('Reconciliation'))).toHaveLength(1);
  });

  it('refunds money Stripe took for an order that can no longer be paid, once', async () => {
    await start();
    const t = await travellerWithLine(h);
    const { orderId, paymentIntentId } = await paidAtStripeOnly(t);
    // Meanwhile paid and topped up in Stars: the card payment is one too many.
    await h.database.db.order.update({ where: { id: orderId }, data: { state: 'fulfilled', paidWith: 'stars' } });

    expect(await reconcileTwice()).toEqual([{ kind: 'money_without_order', externalId: paymentIntentId, orderId }]);
    expect(h.stripe.refunds.map((r) => r.payment_intent)).toEqual([paymentIntentId]);
    expect((await h.database.db.order.findUniqueOrThrow({ where: { id: orderId } })).state).toBe('fulfilled');
    // The refund it made is in the ledger, and is no news to anyone.
    const [refund] = h.stripe.refunds;
    const price = (await h.database.db.order.findUniqueOrThrow({ where: { id: orderId } })).amountMinor;
    expect(
      await h.database.db.ledgerEntry.findMany({
        orderBy: { kind: 'asc' },
        select: { kind: true, externalId: true, amountMinor: true },
      }),
    ).toEqual([
      { kind: 'payment', externalId: paymentIntentId, amountMinor: price },
      // Stripe refunds are kept by payment and the total refunded (charge.refunded carries no refund id).
      { kind: 'refund', externalId: `${refund!.payment_intent}:refunded:${price}`, amountMinor: -price },
    ]);
    await op.waitFor((text) => text.includes(words('operator.reconciliation.money_without_order', 4)));
  });

  it('records a refund made in the Stripe Dashboard that Kuota never heard of', async () => {
    await start();
    const t = await travellerWithLine(h);
    const session = await checkout(h, t);
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    await t.waitFor(isReceipt);
    const order = await h.database.db.order.findUniqueOrThrow({ where: { id: session.metadata.orderId as string } });
    h.stripe.refundInDashboard(order.stripePaymentIntentId!);
    const [refund] = h.stripe.refunds;

    const kept = `${refund!.payment_intent}:refunded:${order.amountMinor}`;
    expect(await reconcileTwice()).toEqual([{ kind: 'unknown_refund', externalId: kept, orderId: order.id }]);
    expect(
      await h.database.db.ledgerEntry.findFirst({
        where: { kind: 'refund' },
        select: { externalId: true, amountMinor: true, orderId: true },
      }),
    ).toEqual({ externalId: kept, amountMinor: -order.amountMinor, orderId: order.id });
    await op.waitFor((text) => text.includes(words('operator.reconciliation.unknown_refund', 4)));
  });

  it('flags a payment whose amount at Stripe differs from the ledger, and changes no money', async () => {
    await start();
    const t = await travellerWithLine(h);
    const session = await checkout(h, t);
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    await t.waitFor(isReceipt);
    const order = await h.database.db.order.findUniqueOrThrow({ where: { id: session.metadata.orderId as string } });
    // The ledger says less than Stripe took (a row written wrong, or changed by hand).
    await h.database.db.ledgerEntry.updateMany({
      where: { kind: 'payment', externalId: order.stripePaymentIntentId! },
      data: { amountMinor: order.amountMinor - 1000 },
    });

    expect(await reconcileTwice()).toEqual([
      { kind: 'amount_mismatch', externalId: order.stripePaymentIntentId!, orderId: order.id },
    ]);
    expect(h.stripe.refunds).toEqual([]);
    await op.waitFor((text) => text.includes(words('operator.reconciliation.amount_mismatch', 4)));
  });

  it('settles a Stars payment whose message the bot never handled', async () => {
    await start();
    const t = await travellerWithLine(h);
    const { payment } = await t.payInvoice(await starsInvoiceLink(t), { lost: true });
    const draft = await h.database.db.order.findFirstOrThrow({ where: { starsAmount: { not: null } } });
    expect(draft.paidWith).toBeNull();

    expect(await reconcileTwice()).toEqual([
      { kind: 'settled_late', externalId: payment!.chargeId, orderId: draft.id },
    ]);
    await t.waitFor(isReceipt);
    expect(await h.database.db.order.findUniqueOrThrow({ where: { id: draft.id } })).toMatchObject({
      paidWith: 'stars',
      telegramChargeId: payment!.chargeId,
      state: 'fulfilled',
    });
    expect(h.telegram.starPayments.get(payment!.chargeId)!.refunded).toBe(false);
    expect(
      await h.database.db.ledgerEntry.findMany({
        select: { processor: true, externalId: true, amountMinor: true, currency: true },
      }),
    ).toEqual([{ processor: 'stars', externalId: payment!.chargeId, amountMinor: payment!.amount, currency: 'XTR' }]);
  });
});
