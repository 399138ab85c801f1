import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/db/client.js';
import { fromStripeAmount } from '../../src/domain/money.js';
import { orderMoney } from '../../src/services/ledger.js';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { checkout, STARS_ENV, starsInvoiceLink, travellerWithLine } from '../helpers/journeys.js';

const WRITES = new Set(['create', 'createMany', 'update', 'updateMany', 'upsert', 'delete', 'deleteMany']);
/** The tables a payment writes to (the outbox worker's and the timeline's among them). */
const MODELS = [
  'order',
  'ledgerEntry',
  'processedEvent',
  'starsPayment',
  'outboxMessage',
  'orderEvent',
  'auditEntry',
  'autoRenew',
  'autoRenewCharge',
  'line',
  'user',
];

/**
 * Makes the app's own database client throw at its `n`th write from now on, once, as a deadlock or a
 * dropped connection would: writes inside transactions count too (the transaction then rolls back).
 * Returns a switch that stops counting, and whether the failure was injected.
 */
function failNthWrite(db: Db, n: number): { stop(): void; injected(): boolean } {
  let count = 0;
  let on = true;
  let injected = false;
  const wrap = (model: string, delegate: object) =>
    new Proxy(delegate, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function' || !WRITES.has(String(prop))) return value;
        return (...args: unknown[]) => {
          if (on && ++count === n) {
            injected = true;
            return Promise.reject(
              Object.assign(new Error(`injected failure at write ${n} (${model}.${String(prop)})`), { code: 'P1017' }),
            );
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const wrapClient = <C extends object>(client: C): C =>
    new Proxy(client, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        return typeof prop === 'string' && MODELS.includes(prop) ? wrap(prop, value as object) : value;
      },
    });
  const target = db as unknown as Record<string, unknown>;
  const originals = new Map<string, unknown>();
  for (const model of [...MODELS, '$transaction']) originals.set(model, target[model]);
  for (const model of MODELS)
    Object.defineProperty(target, model, { value: wrap(model, originals.get(model) as object), configurable: true });
  const transaction = originals.get('$transaction') as (...args: unknown[]) => Promise<unknown>;
  Object.defineProperty(target, '$transaction', {
    configurable: true,
    value: (fn: unknown, options?: unknown) =>
      typeof fn === 'function'
        ? transaction.call(db, (tx: object) => (fn as (t: object) => unknown)(wrapClient(tx)), options)
        : transaction.call(db, fn, options),
  });
  return {
    stop() {
      on = false;
      for (const [model, value] of originals) Object.defineProperty(target, model, { value, configurable: true });
    },
    injected: () => injected,
  };
}

describe.each(databaseKinds)('one failed write at each step of a payment, on %s', (db) => {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
  });

  /** Waits for fulfilment and the outbox, running the sweep as the job would (the clock moved past its staleness). */
  const recover = async () => {
    for (let i = 0; i < 400; i++) {
      const busy = await h.database.db.order.count({ where: { state: { in: ['paid', 'topping_up', 'refunding'] } } });
      // A message held for later (a monthly summary after quiet hours) is not under way.
      const unsent = await h.database.db.outboxMessage.count({
        where: { state: { in: ['pending', 'sending'] }, nextAttemptAt: { lte: h.now() } },
      });
      if (!busy && !unsent) return;
      if (i % 20 === 19) {
        h.advance(2 * 60_000);
        await h.app.fulfilment.sweep().catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('orders or messages still under way');
  };

  /** What Stripe's fake says stayed with Kuota for a payment: charged less refunded, in Kuota's minor units. */
  const stripeMoved = (paymentIntentId: string) => {
    const intent = h.stripe.intents.get(paymentIntentId)!;
    const refunded = h.stripe.refunds
      .filter((r) => r.payment_intent === paymentIntentId)
      .reduce((n, r) => n + r.amount, 0);
    return fromStripeAmount(intent.amount - refunded, intent.currency);
  };

  it('card (Checkout): each order is paid once, and the ledger holds what Stripe says moved', async () => {
    h = await startHarness({ db });
    const t = await travellerWithLine(h);
    let injected = 0;
    for (let n = 1; n <= 10; n++) {
      const session = await checkout(h, t);
      const orderId = session.metadata.orderId!;
      const event = h.stripe.pay(session.id);
      const fault = failNthWrite(h.app.db, n);
      const first = await h.stripe.deliver(h.appUrl, event).catch(() => null);
      await new Promise((r) => setTimeout(r, 50));
      fault.stop();
      if (fault.injected()) injected++;
      // Stripe retries a delivery that did not get a 2xx; one that did may still come again.
      if (first?.status !== 200) expect((await h.stripe.deliver(h.appUrl, event)).status).toBe(200);
      expect(['duplicate', 'no_change']).toContain((await h.stripe.deliver(h.appUrl, event)).body.outcome);
      await recover();

      const order = await h.database.db.order.findUniqueOrThrow({ where: { id: orderId } });
      expect(order.state).toBe('fulfilled');
      expect(await h.database.db.ledgerEntry.count({ where: { orderId, kind: 'payment' } })).toBe(1);
      expect(await orderMoney(h.database.db, orderId)).toEqual([stripeMoved(order.stripePaymentIntentId!)]);
      expect(h.stripe.refunds).toHaveLength(0);
    }
    // The failures did land: at each write of the webhook's transaction, and the top-up's after it.
    expect(injected).toBeGreaterThanOrEqual(6);
  }, 600_000);

  it('off-session (auto-renew): each period is charged and paid once, and the ledger holds what Stripe says moved', async () => {
    h = await startHarness({ db });
    const t = await travellerWithLine(h);
    await t.send('/numbers');
    await t.tap('Auto-renew');
    await t.tap('Set up auto-renew');
    await t.tap('AXIS Weekly 10 GB');
    await t.send('1000000');
    await t.tap('6 h before expiry');
    await t.tap('Confirm');
    await h.stripe.deliver(h.appUrl, h.stripe.completeSetup(h.stripe.latestSession('setup').id));
    await t.waitFor((text) => text.includes('Card saved'));
    for (let n = 1; n <= 8; n++) {
      const expiresAt = (await h.database.db.line.findFirstOrThrow()).expiresAt!;
      h.advance(expiresAt.getTime() - h.now().getTime() - 5 * 3_600_000);
      const fault = failNthWrite(h.app.db, n);
      await h.app.autoRenew.tick().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
      fault.stop();
      // The job runs on: a charge left under way is taken over with its own key once it is stale.
      for (let i = 0; i < 3; i++) {
        h.advance(6 * 60_000);
        await h.app.autoRenew.tick();
      }
      await recover();

      // Every period renewed (a failure may delay one into the next tick, never skip or double it).
      const orders = await h.database.db.order.findMany({ where: { source: 'auto_renew', state: 'fulfilled' } });
      expect(orders.length).toBeGreaterThanOrEqual(n);
      const periods = await h.database.db.autoRenewCharge.findMany({ where: { state: 'succeeded' } });
      expect(periods).toHaveLength(orders.length);
      expect(new Set(periods.map((p) => p.orderId)).size).toBe(orders.length);
      const charged = h.stripe.offSessionIntents().filter((i) => i.status === 'succeeded');
      expect(charged).toHaveLength(orders.length);
      for (const o of orders) {
        expect(await h.database.db.ledgerEntry.count({ where: { orderId: o.id, kind: 'payment' } })).toBe(1);
        expect(await orderMoney(h.database.db, o.id)).toEqual([stripeMoved(o.stripePaymentIntentId!)]);
      }
    }
  }, 600_000);

  it('Stars: each payment settles once, and the ledger holds what Telegram says moved', async () => {
    h = await startHarness({ db, env: STARS_ENV });
    const t = await travellerWithLine(h);
    for (let n = 1; n <= 8; n++) {
      const link = await starsInvoiceLink(t);
      const fault = failNthWrite(h.app.db, n);
      const { payment } = await t.payInvoice(link).catch(() => ({ payment: undefined }));
      await new Promise((r) => setTimeout(r, 50));
      fault.stop();
      const charge = payment ?? [...h.telegram.starPayments.values()].at(-1)!;
      // Telegram delivers the message again when the webhook did not answer 200; a second delivery changes nothing.
      await t.redeliverPayment(charge);
      await recover();

      const order = await h.database.db.order.findFirstOrThrow({ where: { telegramChargeId: charge.chargeId } });
      expect(order.state).toBe('fulfilled');
      const moved = charge.refunded ? 0 : charge.amount;
      expect(await orderMoney(h.database.db, order.id)).toEqual([{ amountMinor: moved, currency: 'XTR' }]);
      expect(await h.database.db.ledgerEntry.count({ where: { externalId: charge.chargeId } })).toBe(1);
      expect(charge.refunded).toBe(false);
    }
  }, 600_000);
});
