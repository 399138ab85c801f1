import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/database.js';
import { SHIPPED_CODE_LIMITS, startHarness, type Harness } from '../helpers/harness.js';
import { orderSummary, travellerWithLine } from '../helpers/journeys.js';

const DAY = 24 * 3600_000;

describe.each(databaseKinds)('housekeeping (%s)', (db) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ db, env: SHIPPED_CODE_LIMITS });
  });
  afterEach(async () => {
    await h.stop();
  });

  it('drops unpaid drafts, abandoned conversations, old codes and spent limits after their retention, and keeps the rest', async () => {
    const t = await travellerWithLine(h);
    await orderSummary(t); // a draft order, never paid
    const other = h.telegram.traveller(9900);
    await other.send('/link'); // a conversation left waiting for a number
    const db = h.database.db;
    expect(await db.order.count({ where: { state: 'draft' } })).toBe(1);
    expect(await db.session.count()).toBeGreaterThan(0);
    expect(await db.otpChallenge.count()).toBe(1);
    expect(await db.rateLimit.count()).toBeGreaterThan(0);

    // Within every retention: nothing goes (spent counters aside).
    h.advance(DAY / 2);
    expect(await h.app.housekeeping.tick()).toMatchObject({ orders: 0, conversations: 0, challenges: 0 });

    h.advance(3 * DAY);
    expect(await h.app.housekeeping.tick()).toMatchObject({
      orders: 0,
      conversations: expect.any(Number),
      challenges: 1,
    });
    expect(await db.session.count()).toBe(0);
    expect(await db.otpChallenge.count()).toBe(0);
    expect(await db.rateLimit.count()).toBe(0);
    expect(await db.order.count()).toBe(1);

    h.advance(5 * DAY);
    expect((await h.app.housekeeping.tick()).orders).toBe(1);
    expect(await db.order.count()).toBe(0);
    expect(await db.line.count()).toBe(1);

    // The traveller who walked away starts afresh, and is answered.
    await other.send('0838 1234 5679');
    expect(other.last().text).toContain("I didn't catch that");
  });

  it("forgets opens of a store's link after two months, once the console no longer shows them", async () => {
    const t = h.telegram.traveller(9901);
    await t.send('/start st_dps-kuta');
    h.advance(59 * DAY);
    await t.send('/start st_dps-ubud');
    h.advance(2 * DAY);
    expect(await h.app.housekeeping.tick()).toMatchObject({ storeVisits: 1 });
    expect(await h.database.db.storeVisit.findMany({ select: { storeId: true } })).toEqual([{ storeId: 'dps-ubud' }]);
  });
});
