import { afterEach, describe, expect, it } from 'vitest';
import { postgresUrl } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { STARS_ENV, starsInvoiceLink, travellerWithLine } from '../helpers/journeys.js';
import { words, phrase } from '../helpers/copy.js';
import { until } from '../helpers/wait.js';

// Two instances share one PostgreSQL; SQLite runs one instance and writes one at a time.
describe.runIf(postgresUrl)('money races between two instances on one PostgreSQL', () => {
  const instances: Harness[] = [];
  afterEach(async () => {
    for (const h of instances.splice(0).reverse()) await h.stop();
  });

  /** How many of the instances' queries wait for a row lock right now. */
  const waitingForLocks = async (h: Harness) =>
    Number(
      (
        await h.database.db.$queryRawUnsafe<Array<{ n: bigint }>>(
          `SELECT COUNT(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
        )
      )[0]!.n,
    );

  it('refunds the card and tells the traveller when Stars settle the order first, between the card webhook reading it and writing it (issue 20, defect 4)', async () => {
    const a = await startHarness({ db: 'postgresql', env: STARS_ENV });
    instances.push(a);
    const b = await startHarness({ db: 'postgresql', env: STARS_ENV, joining: a });
    instances.push(b);
    a.telegram.balance([`${a.appUrl}/webhooks/telegram`]);

    const t = await travellerWithLine(a);
    const invoice = a.telegram.invoice(await starsInvoiceLink(t));
    await t.tap(words('renew.pay_card'));
    const session = a.stripe.latestSession();
    const orderId = session.metadata.orderId!;
    expect(await a.telegram.preCheckout(t.user, invoice)).toEqual({ ok: true });
    const card = a.stripe.pay(session.id);
    const stars = a.telegram.charge(t.user, invoice);

    // The order's row is held while both arrive: the Stars payment (instance A) queues for it first,
    // then the card webhook (instance B), which has read the order as unpaid by then.
    let release!: () => void;
    const held = a.database.db.$transaction(
      async (tx) => {
        await tx.$queryRawUnsafe(`SELECT "id" FROM "Order" WHERE "id" = $1 FOR UPDATE`, orderId);
        await new Promise<void>((r) => (release = r));
      },
      { timeout: 20_000 },
    );
    await until(() => typeof release === 'function', { what: 'the row lock' });
    const starsDelivered = a.telegram.deliver(a.telegram.successfulPayment(t.user, stars, true));
    await until(async () => (await waitingForLocks(a)) >= 1, { what: 'the Stars payment to queue for the row' });
    const cardDelivered = a.stripe.deliver(b.appUrl, card);
    await until(async () => (await waitingForLocks(a)) >= 2, { what: 'the card webhook to queue for the row' });
    release();
    await held;
    await starsDelivered;
    expect((await cardDelivered).status).toBe(200);

    await t.waitFor((text) => text.includes(phrase('stars.card_refunded_paid_twice', { price: 'IDR 35,000' })));
    expect(a.stripe.refunds).toHaveLength(1);
    expect(a.telegram.starPayments.get(stars.chargeId)!.refunded).toBe(false);
    const order = await a.database.db.order.findUniqueOrThrow({ where: { id: orderId } });
    expect(order.paidWith).toBe('stars');
    // Stripe's retry of the same event changes nothing more.
    expect((await a.stripe.deliver(b.appUrl, card)).body.outcome).toBe('duplicate');
    expect(a.stripe.refunds).toHaveLength(1);
    const ledger = await a.database.db.ledgerEntry.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } });
    expect(ledger.map((l) => [l.processor, l.kind, l.amountMinor, l.currency]).sort()).toEqual(
      [
        ['stars', 'payment', 150, 'XTR'],
        ['stripe', 'payment', 35_000, 'IDR'],
        ['stripe', 'refund', -35_000, 'IDR'],
      ].sort(),
    );
  });
});
