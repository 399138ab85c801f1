import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newOrderIdentity } from '../../src/domain/order-state.js';
import { createConsoleOrders } from '../../src/services/console/orders.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/database.js';

describe.each(databaseKinds)('the orders export reads page after page on %s', (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await database.drop();
  });

  it('every order once, newest first, when orders made at the same instant straddle two pages', async () => {
    const db = database.db;
    const plan = await db.plan.create({
      data: {
        code: 'p',
        carrier: 'axis',
        kind: 'weekly',
        validityDays: 7,
        priceMinor: 35_000,
        currency: 'IDR',
        providerSku: 'P',
        names: {},
      },
    });
    const user = await db.user.create({ data: { telegramId: 1n } });
    const line = await db.line.create({
      data: { userId: user.id, kind: 'msisdn', identifier: '6283812345678', carrier: 'axis', verifiedAt: new Date() },
    });
    // Three orders share one instant: a page boundary falls among them.
    const instants = [
      '2026-11-20T03:00:00Z',
      '2026-11-19T03:00:00Z',
      '2026-11-19T03:00:00Z',
      '2026-11-19T03:00:00Z',
      '2026-11-18T03:00:00Z',
    ];
    const made = [];
    for (const at of instants)
      made.push(
        await db.order.create({
          data: {
            ...newOrderIdentity(),
            userId: user.id,
            lineId: line.id,
            planId: plan.id,
            amountMinor: 35_000,
            currency: 'IDR',
            state: 'expired',
            createdAt: new Date(at),
          },
        }),
      );
    const pages = [];
    for await (const page of createConsoleOrders({ db }).all({}, 2)) pages.push(page.map((o) => o.orderNumber));
    const newestFirst = [...made]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((o) => o.number);
    expect(pages).toEqual([newestFirst.slice(0, 2), newestFirst.slice(2, 4), newestFirst.slice(4)]);
  });
});
