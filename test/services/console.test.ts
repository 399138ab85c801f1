import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DigiflazzGateway } from '../../src/adapters/provider/digiflazz.js';
import { parseSearch, margin, periodStart } from '../../src/domain/console.js';
import { newOrderIdentity } from '../../src/domain/order-state.js';
import { SimulatorGateway } from '../../src/adapters/provider/simulator.js';
import { auditLog } from '../../src/services/audit.js';
import { createCatalogService } from '../../src/services/catalog/catalog.js';
import { createConsoleAuth } from '../../src/services/console-auth.js';
import { createConsoleCatalog } from '../../src/services/console/catalog.js';
import { createConsoleOrders } from '../../src/services/console/orders.js';
import { createOverview } from '../../src/services/console/overview.js';
import { createOverviewAhead } from '../../src/services/console/overview-ahead.js';
import { createConsoleStores } from '../../src/services/console/stores.js';
import { markRefunded } from '../../src/services/refunds.js';
import { recordMovement, recordStripeRefund } from '../../src/services/ledger.js';
import { FakeDigiflazz } from '../fakes/digiflazz-api.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/database.js';

const DAY = 86_400_000;
// 10:00 in Jakarta (UTC+7) on 20 November 2026.
const NOW = new Date('2026-11-20T03:00:00Z');

describe('what the operator types in the search box', () => {
  it('reads order numbers, Telegram ids and the tails of numbers', () => {
    expect(parseSearch('KU-1A2B3C4D')).toEqual({ kind: 'order', suffix: '1a2b3c4d' });
    expect(parseSearch(' ku-12345678 ')).toEqual({ kind: 'order', suffix: '12345678' });
    expect(parseSearch('0838 1234 5678')).toMatchObject({ kind: 'digits', digits: '83812345678', telegramId: null });
    expect(parseSearch('424242')).toEqual({ kind: 'digits', digits: '424242', telegramId: 424242n });
    expect(parseSearch('<script>')).toEqual({ kind: 'none' });
  });

  it('flags a plan sold below its wholesale cost, and knows nothing across currencies', () => {
    expect(margin({ amountMinor: 35_000, currency: 'IDR' }, { amountMinor: 31_000, currency: 'IDR' })).toEqual({
      amountMinor: 4000,
      belowCost: false,
      percent: 11.4,
    });
    expect(margin({ amountMinor: 30_000, currency: 'IDR' }, { amountMinor: 31_000, currency: 'IDR' })?.belowCost).toBe(
      true,
    );
    expect(margin({ amountMinor: 300, currency: 'USD' }, { amountMinor: 31_000, currency: 'IDR' })).toBeNull();
    expect(periodStart('today', NOW, 'Asia/Jakarta').toISOString()).toBe('2026-11-19T17:00:00.000Z');
  });
});

describe.each(databaseKinds)('console services on %s', (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await database.drop();
  });

  /** A paid order's money as the payment path writes it to the ledger (and its refund, for one refunded). */
  async function withMoney<
    O extends { id: string; amountMinor: number; currency: string; paidAt: Date | null; state: string },
  >(pending: O | Promise<O>): Promise<O> {
    const o = await pending;
    if (!o.paidAt) return o;
    const money = { processor: 'stripe' as const, orderId: o.id, currency: o.currency, occurredAt: o.paidAt };
    await recordMovement(database.db, {
      ...money,
      kind: 'payment',
      externalId: `pi_${o.id}`,
      amountMinor: o.amountMinor,
    });
    if (o.state === 'refunded')
      await recordMovement(database.db, {
        ...money,
        kind: 'refund',
        externalId: `pi_${o.id}:refunded:${o.amountMinor}`,
        amountMinor: -o.amountMinor,
      });
    return o;
  }

  async function seed() {
    const db = database.db;
    const plan = await db.plan.create({
      data: {
        code: 'axis-weekly-10gb',
        carrier: 'axis',
        kind: 'weekly',
        validityDays: 7,
        priceMinor: 35_000,
        currency: 'IDR',
        providerSku: 'AXWK10',
        names: { en: 'AXIS Weekly' },
      },
    });
    const users = await Promise.all(
      [1, 2, 3].map((n) => db.user.create({ data: { telegramId: BigInt(90_000 + n), reachable: n !== 3 } })),
    );
    const lines = await Promise.all(
      users.map((u, i) =>
        db.line.create({
          data: { userId: u.id, kind: 'msisdn', identifier: `6283812345${670 + i}`, carrier: 'axis', verifiedAt: NOW },
        }),
      ),
    );
    const order = (
      i: number,
      data: {
        state: string;
        source?: string;
        paidDaysAgo?: number;
        createdDaysAgo: number;
        currency?: string;
        amountMinor?: number;
        failureReason?: string;
      },
    ) =>
      withMoney(
        db.order.create({
          data: {
            ...newOrderIdentity(),
            userId: users[i]!.id,
            lineId: lines[i]!.id,
            planId: plan.id,
            amountMinor: data.amountMinor ?? 35_000,
            currency: data.currency ?? 'IDR',
            state: data.state,
            source: data.source ?? 'manual',
            failureReason: data.failureReason ?? null,
            createdAt: new Date(NOW.getTime() - data.createdDaysAgo * DAY),
            paidAt: data.paidDaysAgo === undefined ? null : new Date(NOW.getTime() - data.paidDaysAgo * DAY),
            updatedAt: new Date(NOW.getTime() - 5 * 60_000), // last touched before the operator looks
          },
        }),
      );
    // Today (10:00 local): two paid in IDR (chat, reminder), one in USD, and one still topping up (below);
    // 23:30 yesterday local is not today.
    await order(0, { state: 'fulfilled', createdDaysAgo: 0.1, paidDaysAgo: 0.1 });
    await order(1, { state: 'fulfilled', source: 'reminder', createdDaysAgo: 0.2, paidDaysAgo: 0.2 });
    await order(2, {
      state: 'fulfilled',
      source: 'auto_renew',
      createdDaysAgo: 0.3,
      paidDaysAgo: 0.3,
      currency: 'USD',
      amountMinor: 250,
    });
    await order(0, { state: 'fulfilled', createdDaysAgo: 10.5 / 24, paidDaysAgo: 10.5 / 24 });
    // 5 days ago: refunded after a failure (a renewal, no revenue); 20 days ago: paid; 40 days ago: outside.
    await order(1, { state: 'refunded', createdDaysAgo: 5, paidDaysAgo: 5, failureReason: 'rc 52' });
    // 12 days ago: topped up, then refunded by an operator (no failure): a refund, but not after a failure.
    await order(2, { state: 'refunded', createdDaysAgo: 12, paidDaysAgo: 12 });
    await order(0, { state: 'fulfilled', createdDaysAgo: 20, paidDaysAgo: 20 });
    await order(0, { state: 'fulfilled', createdDaysAgo: 40, paidDaysAgo: 40 });
    await order(2, { state: 'expired', createdDaysAgo: 2 });
    await order(1, {
      state: 'topping_up',
      createdDaysAgo: 0.01,
      paidDaysAgo: 0.01,
      failureReason: 'rc 44: insufficient deposit',
    });
    for (let r = 0; r < 4; r++) {
      await db.outboxMessage.create({
        data: {
          userId: users[r % 2]!.id,
          kind: 'reminder',
          payload: {},
          dedupeKey: `reminder:${r}`,
          state: 'sent',
          sentAt: new Date(NOW.getTime() - r * 3 * DAY),
        },
      });
    }
    await db.outboxMessage.create({
      data: { userId: users[0]!.id, kind: 'receipt', payload: {}, dedupeKey: 'receipt:pending', state: 'pending' },
    });
    const ar = await db.autoRenew.create({
      data: {
        lineId: lines[2]!.id,
        userId: users[2]!.id,
        planCode: plan.code,
        capMinor: 50_000,
        currency: 'IDR',
        state: 'active',
      },
    });
    await db.autoRenewCharge.create({
      data: {
        autoRenewId: ar.id,
        lineId: lines[2]!.id,
        periodKey: 'a',
        month: '2026-11',
        amountMinor: 35_000,
        currency: 'IDR',
        state: 'over_cap',
        createdAt: new Date(NOW.getTime() - 1 * DAY),
      },
    });
    await db.autoRenewCharge.create({
      data: {
        autoRenewId: ar.id,
        lineId: lines[2]!.id,
        periodKey: 'b',
        month: '2026-11',
        amountMinor: 35_000,
        currency: 'IDR',
        state: 'action_required',
        failureCode: 'card_declined',
        createdAt: new Date(NOW.getTime() - 0.1 * DAY),
      },
    });
    return { users, lines };
  }

  it("the overview counts each period in the operator's day, per currency and channel", async () => {
    await seed();
    const o = await createOverview({ db: database.db, provider: database.provider, now: () => NOW }).get(
      'Asia/Jakarta',
    );
    expect(o.periods.today.revenue).toEqual([
      { amountMinor: 105_000, currency: 'IDR' },
      { amountMinor: 250, currency: 'USD' },
    ]);
    expect(o.periods.today.renewalsByChannel).toEqual({ chat: 2, reminder: 1, auto_renew: 1, store: 0 });
    expect(o.periods['7d'].revenue).toEqual([
      { amountMinor: 140_000, currency: 'IDR' },
      { amountMinor: 250, currency: 'USD' },
    ]);
    expect(o.periods['7d'].renewalsByChannel).toEqual({ chat: 4, reminder: 1, auto_renew: 1, store: 0 });
    expect(o.periods['30d'].revenue[0]).toEqual({ amountMinor: 175_000, currency: 'IDR' });
    expect(o.periods['7d'].ordersByState).toEqual({ fulfilled: 4, refunded: 1, expired: 1, topping_up: 1 });
    expect(o.periods['7d'].remindersSent).toBe(3);
    expect(o.periods['7d'].reminderConversion).toBeCloseTo(1 / 3);
    expect(o.periods.today).toMatchObject({ autoRenewOverBudget: 0, autoRenewDeclined: 1 });
    expect(o.periods['7d']).toMatchObject({ autoRenewOverBudget: 1, autoRenewDeclined: 1 });
    expect(o.topUps).toEqual({ failing: 1, stuck: 0, refundedAfterFailure30d: 1 });
    expect(o.delivery).toMatchObject({ queued: 1, unreachableTravellers: 1 });
    expect(o.daily).toHaveLength(30);
    expect(o.daily.at(-1)).toEqual({ day: '2026-11-19T17:00:00.000Z', orders: 4 });
    expect(o.daily.at(-2)!.orders).toBe(1);
  });

  it("a refund of an older order changes its day's figures in 7 and 30 days, as counting afresh would", async () => {
    const { users, lines } = await seed();
    const db = database.db;
    const plan = await db.plan.findFirstOrThrow();
    const threeDaysAgo = new Date(NOW.getTime() - 3 * DAY);
    await db.order
      .create({
        data: {
          ...newOrderIdentity(),
          userId: users[0]!.id,
          lineId: lines[0]!.id,
          planId: plan.id,
          amountMinor: 35_000,
          currency: 'IDR',
          state: 'fulfilled',
          createdAt: threeDaysAgo,
          paidAt: threeDaysAgo,
          updatedAt: threeDaysAgo,
        },
      })
      .then(withMoney);
    const overview = createOverview({ db, provider: database.provider, now: () => NOW });
    const before = await overview.get('Asia/Jakarta');
    expect(before.periods['7d'].revenue[0]).toEqual({ amountMinor: 175_000, currency: 'IDR' });
    expect(before.periods['30d'].revenue[0]).toEqual({ amountMinor: 210_000, currency: 'IDR' });

    // The orders paid 3 and 20 days ago are refunded now, the way the refund service marks them.
    const older = await db.order.findMany({
      where: { paidAt: { in: [threeDaysAgo, new Date(NOW.getTime() - 20 * DAY)] } },
    });
    expect(older).toHaveLength(2);
    for (const o of older)
      await db.$transaction(async (tx) => {
        await markRefunded(tx, o, 'operator', NOW);
        await recordStripeRefund(tx, {
          paymentId: `pi_${o.id}`,
          orderId: o.id,
          refundedTotal: o.amountMinor,
          occurredAt: NOW,
        });
      });
    const after = await overview.get('Asia/Jakarta');
    expect(after.periods['7d'].revenue[0]).toEqual({ amountMinor: 140_000, currency: 'IDR' });
    expect(after.periods['30d'].revenue[0]).toEqual({ amountMinor: 140_000, currency: 'IDR' });
    expect(after.periods['30d'].ordersByState).toMatchObject({ fulfilled: 4, refunded: 4 });
    expect(after.topUps.refundedAfterFailure30d).toBe(1); // the operator's refunds followed no failure
    expect(after.periods.today).toEqual(before.periods.today);
    expect(after.daily.find((d) => d.day === '2026-11-16T17:00:00.000Z')).toEqual({
      day: '2026-11-16T17:00:00.000Z',
      orders: 1,
    }); // refunded, still a paid renewal

    // Counting every day afresh (no rolled-up days) gives the same figures.
    await db.consoleDay.deleteMany();
    await db.consoleRollup.deleteMany();
    expect(await overview.get('Asia/Jakarta')).toEqual(after);
    expect(await createOverview({ db, provider: database.provider, now: () => NOW }).get('Asia/Jakarta')).toEqual(
      after,
    );
  });

  it('stores the closed days ahead in each timezone an operator reads the overview in, and in no other', async () => {
    await seed();
    const db = database.db;
    // One operator reads in Jakarta (chat), the other chose Tokyo in the console; a traveller in London is not an operator.
    await db.user.create({ data: { telegramId: 7001n, timezone: 'Asia/Jakarta' } });
    await db.user.create({ data: { telegramId: 7002n, timezone: 'Europe/London' } });
    await db.user.create({ data: { telegramId: 8000n, timezone: 'America/New_York' } });
    await db.consoleSession.create({
      data: {
        tokenHash: 'h',
        operatorId: 7002n,
        lastSeenAt: NOW,
        language: 'ja',
        timezone: 'Asia/Tokyo',
        chosenAt: NOW,
      },
    });
    const overview = createOverview({ db, provider: database.provider, now: () => NOW });
    const ahead = createOverviewAhead({ db, overview, adminIds: [7001, 7002] });
    expect((await ahead.prepare()).timeZones.sort()).toEqual(['Asia/Jakarta', 'Asia/Tokyo', 'Europe/London']);
    const offsets = (await db.consoleDay.findMany({ distinct: ['offsetMinutes'], select: { offsetMinutes: true } }))
      .map((d) => d.offsetMinutes)
      .sort((a, b) => a - b);
    expect(offsets).toEqual([0, 420, 540]);
    // What the operator then opens is what a recount gives.
    const opened = await overview.get('Asia/Tokyo');
    await db.consoleDay.deleteMany();
    await db.consoleRollup.deleteMany();
    expect(await overview.get('Asia/Tokyo')).toEqual(opened);
  });

  it('lists partner stores with the renewals each brought in over 30 local days, and the overview counts them as a channel', async () => {
    const { users, lines } = await seed();
    const db = database.db;
    const store = (id: string, name: string, active = true) =>
      db.store.create({
        data: {
          id,
          name,
          city: 'Denpasar',
          lat: -8.7,
          lng: 115.2,
          address: 'Jl. Legian',
          timezone: 'Asia/Makassar',
          hours: {},
          carriers: ['axis'],
          sells: ['topup'],
          active,
        },
      });
    await store('dps-kuta', 'Kuota Partner Kuta');
    await store('dps-legian', 'Kuota Partner Legian');
    await store('dps-closed', 'Closed Partner', false);
    await store('dps-gone', 'Long Gone', false);
    const plan = await db.plan.findFirstOrThrow();
    const storeOrder = (storeId: string, state: string, paidDaysAgo: number | null) =>
      db.order.create({
        data: {
          ...newOrderIdentity(),
          userId: users[0]!.id,
          lineId: lines[0]!.id,
          planId: plan.id,
          amountMinor: 35_000,
          currency: 'IDR',
          state,
          source: 'store',
          storeId,
          createdAt: new Date(NOW.getTime() - (paidDaysAgo ?? 1) * DAY),
          paidAt: paidDaysAgo === null ? null : new Date(NOW.getTime() - paidDaysAgo * DAY),
        },
      });
    const kept = await storeOrder('dps-kuta', 'fulfilled', 0.1);
    const refunded = await storeOrder('dps-kuta', 'refunded', 3);
    const old = await storeOrder('dps-kuta', 'fulfilled', 35);
    // The money the ledger holds: a payment kept, one refunded, one older than the period.
    const movement = (orderId: string, kind: string, amountMinor: number, daysAgo: number) =>
      db.ledgerEntry.create({
        data: {
          processor: 'stripe',
          kind,
          externalId: `${kind}-${orderId}`,
          orderId,
          amountMinor,
          currency: 'IDR',
          occurredAt: new Date(NOW.getTime() - daysAgo * DAY),
        },
      });
    await movement(kept.id, 'payment', 35_000, 0.1);
    await movement(refunded.id, 'payment', 35_000, 3);
    await movement(refunded.id, 'refund', -35_000, 2);
    await movement(old.id, 'payment', 35_000, 35);
    await storeOrder('dps-kuta', 'expired', null);
    await storeOrder('dps-closed', 'fulfilled', 10);
    await db.storeVisit.createMany({
      data: [0.1, 2, 40].map((d) => ({
        storeId: 'dps-kuta',
        userId: users[0]!.id,
        at: new Date(NOW.getTime() - d * DAY),
      })),
    });

    const rows = await createConsoleStores({ db, now: () => NOW }).list('Asia/Jakarta');
    expect(rows.find((r) => r.id === 'dps-kuta')).toEqual({
      id: 'dps-kuta',
      name: 'Kuota Partner Kuta',
      city: 'Denpasar',
      active: true,
      carriers: ['axis'],
      renewals30d: 2,
      opens30d: 2,
      revenue30d: [{ amountMinor: 35_000, currency: 'IDR' }],
    });
    expect(rows.find((r) => r.id === 'dps-legian')).toMatchObject({ renewals30d: 0, opens30d: 0 });
    // Switched off, with renewals this month or none: listed and marked, so that an owner can switch it on again.
    expect(rows.find((r) => r.id === 'dps-closed')).toMatchObject({ active: false, renewals30d: 1 });
    expect(rows.find((r) => r.id === 'dps-gone')).toMatchObject({ active: false, renewals30d: 0, revenue30d: [] });

    const o = await createOverview({ db, provider: database.provider, now: () => NOW }).get('Asia/Jakarta');
    expect(o.periods.today.renewalsByChannel.store).toBe(1);
    expect(o.periods['30d'].renewalsByChannel.store).toBe(3);
  });

  it('finds orders by number, by the tail of a number and by Telegram id; numbers stay masked', async () => {
    const { lines } = await seed();
    const orders = createConsoleOrders({ db: database.db });
    const any = await database.db.order.findFirstOrThrow({ where: { state: 'refunded' } });
    const byNumber = await orders.search({ q: `KU-${any.id.slice(-8).toUpperCase()}` });
    expect(byNumber.orders.map((o) => o.orderId)).toEqual([any.id]);
    const byTail = await orders.search({ q: lines[1]!.identifier.slice(-5) });
    expect(byTail.orders.every((o) => o.line === `•••• ${lines[1]!.identifier.slice(-4)}`)).toBe(true);
    expect(byTail.orders).toHaveLength(3);
    expect((await orders.search({ q: '90001' })).orders).toHaveLength(4);
    expect((await orders.search({ state: 'fulfilled', from: new Date(NOW.getTime() - 7 * DAY) })).orders).toHaveLength(
      4,
    );
    expect((await orders.search({ q: 'nothing here' })).orders).toEqual([]);
  });

  it("pages through a traveller's orders 50 at a time, newest first, whichever index found them", async () => {
    const { users, lines } = await seed();
    const plan = await database.db.plan.findFirstOrThrow();
    await database.db.order.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        ...newOrderIdentity(),
        userId: users[0]!.id,
        lineId: lines[0]!.id,
        planId: plan.id,
        amountMinor: 35_000,
        currency: 'IDR',
        state: 'expired',
        createdAt: new Date(NOW.getTime() - (100 + i) * DAY),
      })),
    });
    const orders = createConsoleOrders({ db: database.db });
    const first = await orders.search({ q: '90001' });
    expect(first.orders).toHaveLength(50);
    expect(first.orders.map((o) => o.createdAt)).toEqual([...first.orders.map((o) => o.createdAt)].sort().reverse());
    const second = await orders.search({ q: '90001', cursor: first.next! });
    expect(second.orders).toHaveLength(64 - 50);
    expect(second.next).toBeNull();
    expect(new Set([...first.orders, ...second.orders].map((o) => o.orderId)).size).toBe(64);
  });

  it('a console session ends after the idle time, on sign-out, and when the operator leaves ADMIN_IDS', async () => {
    let now = NOW;
    const admins = [42];
    const auth = createConsoleAuth({ db: database.db, now: () => now, adminIds: admins, idleMs: 30 * 60_000 });
    expect(await auth.issueLink(7)).toBeNull();
    const signIn = async () => {
      const result = await auth.redeem((await auth.issueLink(42))!);
      if ('error' in result) throw new Error(result.error);
      return result.session;
    };
    const session = await signIn();
    now = new Date(now.getTime() + 29 * 60_000);
    expect(await auth.resume(session)).toMatchObject({ operatorId: 42 });
    now = new Date(now.getTime() + 29 * 60_000);
    expect(await auth.resume(session)).toMatchObject({ operatorId: 42 });
    now = new Date(now.getTime() + 31 * 60_000);
    expect(await auth.resume(session)).toBeNull();

    const second = await signIn();
    await auth.signOut(second);
    expect(await auth.resume(second)).toBeNull();
    const third = await signIn();
    admins.pop();
    expect(await auth.resume(third)).toBeNull();
    expect(await database.db.consoleSession.count({ where: { tokenHash: third } })).toBe(0); // only hashes are kept
  });

  it('a catalog file that cuts a plan from 150 Stars to 1 shows the cut in the preview and the audit, and applies it', async () => {
    const db = database.db;
    const catalogService = createCatalogService({ db });
    const catalog = createConsoleCatalog({ db, provider: new SimulatorGateway(), catalog: catalogService });
    const entry = {
      code: 'esim-sg-5gb',
      carrier: 'esim',
      kind: 'monthly',
      dataMb: 5120,
      validityDays: 30,
      price: { amount: 150_000, currency: 'IDR' },
      starsPrice: 150,
      cost: { amount: 120_000, currency: 'IDR' },
      provider: 'airalo',
      providerSku: 'sg-5gb',
      graceDays: 30,
      names: { en: 'Singapore 5 GB' },
    };
    await catalog.apply(4242, { plans: [entry] });
    const cut = {
      ...entry,
      starsPrice: 1,
      cost: { amount: 100_000, currency: 'IDR' },
      provider: 'simulator',
      graceDays: 0,
    };

    const preview = await catalog.preview({ plans: [cut] });
    expect(preview).toMatchObject({ ok: true, unchanged: 0 });
    const change = preview.ok ? preview.changed[0] : undefined;
    expect(change?.fields.sort()).toEqual(['cost', 'graceDays', 'provider', 'starsPrice']);
    expect(change?.before).toMatchObject({ starsPrice: 150, costMinor: 120_000, provider: 'airalo', graceDays: 30 });
    expect(change?.after).toMatchObject({ starsPrice: 1, costMinor: 100_000, provider: 'simulator', graceDays: 0 });

    await catalog.apply(4242, { plans: [cut] });
    const [entryAudited] = await auditLog(db, { take: 1 });
    expect(entryAudited?.after).toMatchObject({
      changed: [{ code: 'esim-sg-5gb', before: { starsPrice: 150 }, after: { starsPrice: 1 } }],
    });
    expect(await db.plan.findUnique({ where: { code: 'esim-sg-5gb' } })).toMatchObject({
      starsPrice: 1,
      costMinor: 100_000,
      provider: 'simulator',
      graceDays: 0,
    });
    expect(await catalog.preview({ plans: [cut] })).toMatchObject({ ok: true, changed: [], unchanged: 1 });
  });

  it("shows the wholesale cost from Digiflazz's price list and flags a plan sold below it", async () => {
    const fake = await FakeDigiflazz.start();
    try {
      const provider = new DigiflazzGateway({
        baseUrl: fake.url,
        username: fake.username,
        apiKey: fake.apiKey,
        webhookSecret: fake.webhookSecret,
      });
      const db = database.db;
      await db.plan.create({
        data: {
          code: 'axis-weekly-10gb',
          carrier: 'axis',
          kind: 'weekly',
          validityDays: 7,
          priceMinor: 35_000,
          currency: 'IDR',
          providerSku: 'AXWK10',
          names: { en: 'AXIS Weekly' },
        },
      });
      await db.plan.create({
        data: {
          code: 'axis-promo',
          carrier: 'axis',
          kind: 'weekly',
          validityDays: 7,
          priceMinor: 29_000,
          currency: 'IDR',
          providerSku: 'AXWK10',
          names: { en: 'AXIS Promo' },
        },
      });
      await db.plan.create({
        data: {
          code: 'xl-weekly-8gb',
          carrier: 'xl',
          kind: 'weekly',
          validityDays: 7,
          priceMinor: 40_000,
          currency: 'IDR',
          providerSku: 'XLWK8',
          names: { en: 'XL Weekly' },
        },
      });
      const catalog = createConsoleCatalog({ db, provider, catalog: createCatalogService({ db }) });
      const { plans, priceListAvailable } = await catalog.plans('en');
      expect(priceListAvailable).toBe(true);
      const byCode = Object.fromEntries(plans.map((p) => [p.code, p]));
      expect(byCode['axis-weekly-10gb']).toMatchObject({
        cost: { amountMinor: 31_000, currency: 'IDR' },
        margin: { amountMinor: 4000, belowCost: false },
      });
      expect(byCode['axis-promo']!.margin).toMatchObject({ amountMinor: -2000, belowCost: true });
      expect(byCode['xl-weekly-8gb']).toMatchObject({ providerAvailable: false });
      expect(await provider.balance()).toEqual({ amountMinor: 2_500_000, currency: 'IDR' });
    } finally {
      await fake.close();
    }
  });
});
