import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newOrderIdentity } from '../../src/domain/order-state.js';
import type { Db } from '../../src/adapters/db/client.js';
import { createConsoleExports } from '../../src/services/console/exports.js';
import { createConsoleOrders } from '../../src/services/console/orders.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/database.js';

/**
 * The database as the services see it, with every findMany of `model` written down as Prisma got it: a keyset
 * page is a range on its time column, never `skip` or `cursor` (which rescan what came before, on SQLite).
 */
function recording(db: Db, model: 'Order' | 'LedgerEntry') {
  const queries: Array<{ where?: unknown; skip?: unknown; cursor?: unknown }> = [];
  const client = db.$extends({
    query: {
      $allModels: {
        findMany({ model: name, args, query }) {
          if (name === model) queries.push(args);
          return query(args);
        },
      },
    },
  });
  return { db: client as unknown as Db, queries };
}

/** Whether a page's query starts where the previous page ended, by time: a range, and no skip or cursor. */
const rangeAfter = (column: string, at: Date, direction: 'lte' | 'gte') =>
  expect.objectContaining({
    where: { AND: expect.arrayContaining([{ [column]: { [direction]: at } }]) as unknown },
  }) as unknown;

// Three orders share one instant: a page boundary of two falls among them.
const INSTANTS = [
  '2026-11-20T03:00:00Z',
  '2026-11-19T03:00:00Z',
  '2026-11-19T03:00:00Z',
  '2026-11-19T03:00:00Z',
  '2026-11-18T03:00:00Z',
];

/** Orders made at these instants, newest first as the console lists them (ties by id, highest first). */
async function ordersAt(db: Db, instants: string[]) {
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
  return made.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
}

describe.each(databaseKinds)('console lists and exports read page after page by range on %s', (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await database.drop();
  });

  it('every order once, newest first, when orders made at the same instant straddle two pages', async () => {
    const newestFirst = (await ordersAt(database.db, INSTANTS)).map((o) => o.number);
    const { db, queries } = recording(database.db, 'Order');
    const pages = [];
    for await (const page of createConsoleOrders({ db }).all({}, 2)) pages.push(page.map((o) => o.orderNumber));
    expect(pages).toEqual([newestFirst.slice(0, 2), newestFirst.slice(2, 4), newestFirst.slice(4)]);
    for (const query of queries) expect(query).not.toHaveProperty('cursor');
  });
  it('the order search pages by range too: every order once over the pages, none skipped or rescanned', async () => {
    const made = await ordersAt(database.db, INSTANTS);
    const { db, queries } = recording(database.db, 'Order');
    const orders = createConsoleOrders({ db });
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await orders.search({ cursor }, 2);
      pages.push(page.orders.map((o) => o.orderNumber));
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(pages).toEqual([made.slice(0, 2), made.slice(2, 4), made.slice(4)].map((p) => p.map((o) => o.number)));
    for (const query of queries) expect(query).not.toHaveProperty('skip');
    for (const query of queries) expect(query).not.toHaveProperty('cursor');
    expect(queries[1]).toEqual(rangeAfter('createdAt', made[1]!.createdAt, 'lte'));
    expect(queries[2]).toEqual(rangeAfter('createdAt', made[3]!.createdAt, 'lte'));
    // A hand-made cursor that names no order gives an empty page, not the first one again.
    expect(await orders.search({ cursor: 'no-such-order' }, 2)).toEqual({ orders: [], next: null });
  });

  it('the ledger export: every movement once, oldest first, when movements at one instant straddle two pages', async () => {
    const at = ['2026-11-18T03:00:00Z', '2026-11-19T03:00:00Z', '2026-11-19T03:00:00Z', '2026-11-19T03:00:00Z'];
    for (const [i, when] of [...at, '2026-11-20T03:00:00Z'].entries())
      await database.db.ledgerEntry.create({
        data: {
          processor: 'stripe',
          kind: 'payment',
          externalId: `pi_${i}`,
          amountMinor: 35_000,
          currency: 'IDR',
          occurredAt: new Date(when),
        },
      });
    const { db, queries } = recording(database.db, 'LedgerEntry');
    const exports = createConsoleExports({ db, orders: createConsoleOrders({ db }) });
    const chunks: string[] = [];
    for await (const chunk of exports.ledger(1, 2)) chunks.push(chunk);
    const rows = chunks.join('').trim().split('\r\n').slice(1);
    const oldestFirst = (
      await database.db.ledgerEntry.findMany({ orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] })
    ).map((e) => e.externalId);
    expect(rows.map((r) => r.split(',')[4])).toEqual(oldestFirst);
    expect(queries).toHaveLength(3);
    for (const query of queries) expect(query).not.toHaveProperty('skip');
    for (const query of queries) expect(query).not.toHaveProperty('cursor');
    expect(queries[1]).toEqual(rangeAfter('occurredAt', new Date(at[1]!), 'gte'));
    expect(queries[2]).toEqual(rangeAfter('occurredAt', new Date(at[3]!), 'gte'));
  });
});
