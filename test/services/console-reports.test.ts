import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildReport, change } from '../../src/domain/reports.js';
import { newOrderIdentity } from '../../src/domain/order-state.js';
import { recordMovement } from '../../src/services/ledger.js';
import { createConsoleReports } from '../../src/services/console/reports.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/database.js';

// 10:00 in Jakarta (UTC+7) on Friday 20 November 2026: the 7 days are 14–20 November, the 7 before 7–13.
const NOW = new Date('2026-11-20T03:00:00Z');
const ZONE = 'Asia/Jakarta';

describe('report figures', () => {
  it('a change is relative to the previous figure, and unknown when there was nothing before', () => {
    expect(change(150, 100)).toBe(0.5);
    expect(change(-50, -100)).toBe(0.5);
    expect(change(10, 0)).toBeNull();
  });

  it('never adds different currencies, and draws every day of the period, empty days as 0', () => {
    const report = buildReport({
      today: 100,
      days: 7,
      money: [
        {
          day: 100,
          currency: 'IDR',
          method: 'card',
          orders: 1,
          net: 35_000,
          costedNet: 35_000,
          cost: 30_000,
          uncosted: 0,
        },
        { day: 100, currency: 'USD', method: 'card', orders: 1, net: 299, costedNet: 299, cost: 250, uncosted: 0 },
        { day: 94, currency: 'IDR', method: 'card', orders: 1, net: 35_000, costedNet: 0, cost: 0, uncosted: 1 },
        { day: 93, currency: 'IDR', method: 'card', orders: 1, net: 70_000, costedNet: 0, cost: 0, uncosted: 1 },
      ],
      links: [],
      newTravellers: [],
      activeTravellers: { current: 0, previous: 0 },
    });
    expect(report.currencies.map((c) => [c.currency, c.revenue.current, c.revenue.previous])).toEqual([
      ['IDR', 70_000, 70_000],
      ['USD', 299, 0],
    ]);
    expect(report.currencies[0]!.daily).toEqual([{ method: 'card', values: [35_000, 0, 0, 0, 0, 0, 35_000] }]);
    expect(report.conversion.current).toBeNull();
  });
});

describe.each(databaseKinds)('the owner’s reports on %s', (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await database.drop();
  });

  async function seed() {
    const db = database.db;
    const plan = (code: string, currency: string, priceMinor: number, costMinor: number) =>
      db.plan.create({
        data: {
          code,
          carrier: 'axis',
          kind: 'weekly',
          validityDays: 7,
          priceMinor,
          currency,
          costMinor,
          providerSku: code,
          names: { en: code },
        },
      });
    const idr = await plan('axis-weekly', 'IDR', 35_000, 30_000);
    const usd = await plan('axis-weekly-usd', 'USD', 299, 250);
    // Each traveller's first line is linked at `linked`: u1 long ago, u2 and u3 this week, u4 the week before.
    const linked = ['2026-10-01T03:00:00Z', '2026-11-17T03:00:00Z', '2026-11-20T01:00:00Z', '2026-11-11T03:00:00Z'];
    const travellers: Array<{ user: { id: string }; line: { id: string } }> = [];
    for (const [i, at] of linked.entries()) {
      const user = await db.user.create({ data: { telegramId: BigInt(70_000 + i) } });
      const line = await db.line.create({
        data: {
          userId: user.id,
          kind: 'msisdn',
          identifier: `628381234500${i}`,
          carrier: 'axis',
          verifiedAt: new Date(at),
        },
      });
      travellers.push({ user, line });
    }
    // A second line this week does not make u1 new.
    await db.line.create({
      data: {
        userId: travellers[0]!.user.id,
        kind: 'msisdn',
        identifier: '6283812345999',
        carrier: 'axis',
        verifiedAt: new Date('2026-11-18T03:00:00Z'),
      },
    });

    let n = 0;
    /** An order, its payment link, and the ledger rows its payment (and refund) wrote. */
    const order = async (o: {
      traveller: number;
      plan: typeof idr;
      paidAt?: string;
      linkAt?: string;
      fulfilled?: boolean;
      method?: string;
      stars?: number;
      refunded?: boolean;
    }) => {
      const created = await db.order.create({
        data: {
          ...newOrderIdentity(),
          userId: travellers[o.traveller]!.user.id,
          lineId: travellers[o.traveller]!.line.id,
          planId: o.plan.id,
          amountMinor: o.plan.priceMinor,
          currency: o.plan.currency,
          state: o.refunded ? 'refunded' : o.fulfilled ? 'fulfilled' : o.paidAt ? 'paid' : 'expired',
          paidAt: o.paidAt ? new Date(o.paidAt) : null,
          fulfilledAt: o.fulfilled ? new Date(o.paidAt!) : null,
          paidWith: o.paidAt ? (o.stars ? 'stars' : 'stripe') : null,
          paymentMethod: o.stars ? 'card' : (o.method ?? null),
        },
      });
      if (o.linkAt)
        await db.orderEvent.create({
          data: { orderId: created.id, kind: 'checkout_created', createdAt: new Date(o.linkAt) },
        });
      if (!o.paidAt) return;
      const money = o.stars
        ? { processor: 'stars' as const, currency: 'XTR', amountMinor: o.stars, method: 'stars' }
        : { processor: 'stripe' as const, currency: o.plan.currency, amountMinor: o.plan.priceMinor, method: o.method };
      const at = new Date(o.paidAt);
      await recordMovement(db, {
        ...money,
        kind: 'payment',
        externalId: `p${++n}`,
        orderId: created.id,
        occurredAt: at,
      });
      if (o.refunded)
        await recordMovement(db, {
          ...money,
          kind: 'refund',
          externalId: `r${n}`,
          orderId: created.id,
          amountMinor: -money.amountMinor,
          occurredAt: new Date(at.getTime() + 3_600_000),
        });
    };

    // This week (14–20 November, Jakarta).
    await order({
      traveller: 0,
      plan: idr,
      paidAt: '2026-11-19T05:00:00Z',
      linkAt: '2026-11-19T04:55:00Z',
      fulfilled: true,
      method: 'card',
    });
    // Paid, the top-up failed, refunded: no money, no cost.
    await order({
      traveller: 1,
      plan: idr,
      paidAt: '2026-11-18T05:00:00Z',
      linkAt: '2026-11-18T04:55:00Z',
      method: 'card',
      refunded: true,
    });
    // 00:30 on 14 November in Jakarta is still 13 November in UTC: it belongs to this week.
    await order({
      traveller: 1,
      plan: idr,
      paidAt: '2026-11-13T17:30:00Z',
      linkAt: '2026-11-13T17:25:00Z',
      fulfilled: true,
      method: 'gopay',
    });
    await order({
      traveller: 2,
      plan: usd,
      paidAt: '2026-11-20T02:00:00Z',
      linkAt: '2026-11-20T01:55:00Z',
      fulfilled: true,
      method: 'card',
    });
    // 420 Stars for a rupiah plan (after a Checkout link was opened and left): its cost is in another currency.
    await order({
      traveller: 0,
      plan: idr,
      paidAt: '2026-11-16T05:00:00Z',
      linkAt: '2026-11-16T04:00:00Z',
      fulfilled: true,
      stars: 420,
    });
    await order({ traveller: 3, plan: idr, linkAt: '2026-11-17T05:00:00Z' });
    // The week before (7–13 November): 23:30 on 13 November in Jakarta.
    await order({
      traveller: 0,
      plan: idr,
      paidAt: '2026-11-13T16:30:00Z',
      linkAt: '2026-11-13T16:25:00Z',
      fulfilled: true,
      method: 'card',
    });
    await order({ traveller: 3, plan: idr, linkAt: '2026-11-10T05:00:00Z' });
    await order({ traveller: 3, plan: idr, linkAt: '2026-11-10T06:00:00Z' });
    await order({ traveller: 3, plan: idr, linkAt: '2026-11-10T07:00:00Z' });
    // Long before either period: counted in neither.
    await order({
      traveller: 0,
      plan: idr,
      paidAt: '2026-10-20T05:00:00Z',
      linkAt: '2026-10-20T04:00:00Z',
      fulfilled: true,
      method: 'card',
    });
  }

  it('shows net revenue, margin and methods per currency, conversion and travellers, each against the week before', async () => {
    await seed();
    const reports = createConsoleReports({ db: database.db, provider: kind, now: () => NOW });
    const report = await reports.get(7, ZONE);

    const byCurrency = Object.fromEntries(report.currencies.map((c) => [c.currency, c]));
    expect(Object.keys(byCurrency)).toEqual(['IDR', 'USD', 'XTR']);
    const rupiah = byCurrency.IDR!;
    // 35,000 (card) + 35,000 (GoPay) + a refunded 35,000: 70,000 against the week before's 35,000.
    expect(rupiah.revenue).toEqual({ current: 70_000, previous: 35_000, change: 1 });
    expect(rupiah.byMethod.map((m) => [m.method, m.revenue.current, m.revenue.previous])).toEqual([
      ['card', 35_000, 35_000],
      ['gopay', 35_000, 0],
    ]);
    // Two top-ups at a 30,000 cost; the refunded order was never topped up.
    expect(rupiah.margin).toEqual({ current: 10_000, previous: 5000, change: 1 });
    expect(rupiah.orders.current).toBe(3);
    expect(rupiah.uncosted.current).toBe(0);
    expect(rupiah.daily).toEqual([
      { method: 'card', values: [0, 0, 0, 0, 0, 35_000, 0] },
      { method: 'gopay', values: [35_000, 0, 0, 0, 0, 0, 0] },
    ]);
    expect(byCurrency.USD!.revenue).toEqual({ current: 299, previous: 0, change: null });
    expect(byCurrency.USD!.margin.current).toBe(49);
    // Stars are their own currency; their plan's cost is in rupiah, so they are left out of the margin.
    expect(byCurrency.XTR!.revenue.current).toBe(420);
    expect(byCurrency.XTR!.byMethod.map((m) => m.method)).toEqual(['stars']);
    expect(byCurrency.XTR!.margin.current).toBeNull();
    expect(byCurrency.XTR!.uncosted.current).toBe(1);

    // Links: 6 this week, 5 paid (the Stars order's link counts, paid by Stars); 4 the week before, 1 paid.
    expect(report.conversion.links).toEqual({ current: 6, previous: 4, change: 0.5 });
    expect(report.conversion.paid).toMatchObject({ current: 5, previous: 1 });
    expect(report.conversion.current).toBeCloseTo(5 / 6);
    expect(report.conversion.change).toBeCloseTo(5 / 6 - 1 / 4);
    expect(report.newTravellers).toEqual({ current: 2, previous: 1, change: 1 });
    expect(report.activeTravellers).toEqual({ current: 3, previous: 1, change: 2 });
  });

  it('30 and 90 days reach back as far again for the previous period', async () => {
    await seed();
    const reports = createConsoleReports({ db: database.db, provider: kind, now: () => NOW });
    const month = await reports.get(30, ZONE);
    const rupiah = month.currencies.find((c) => c.currency === 'IDR')!;
    // 22 October – 20 November holds all but the order of 20 October, which is in the 30 days before.
    expect(rupiah.revenue).toEqual({ current: 105_000, previous: 35_000, change: 2 });
    expect(rupiah.daily[0]!.values).toHaveLength(30);
    const quarter = await reports.get(90, ZONE);
    expect(quarter.currencies.find((c) => c.currency === 'IDR')!.revenue).toMatchObject({
      current: 140_000,
      previous: 0,
    });
    expect(quarter.newTravellers.current).toBe(4);
  });
});
