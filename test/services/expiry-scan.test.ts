import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dueWindow, parseWindows, reminderKey } from '../../src/domain/reminders.js';
import { createExpiryReminders } from '../../src/services/expiry-reminders.js';
import { createLeases } from '../../src/services/leases.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/database.js';

const HOUR = 3_600_000;

describe.each(databaseKinds)('the expiry scan on %s', (kind) => {
  let db: TestDatabase;
  /** A traveller (the `n`th, with no quiet hours) whose one line's plan ends at `expiresAt`. */
  async function travellerWithPlanEnding(n: number, expiresAt: Date) {
    const user = await db.db.user.create({ data: { telegramId: BigInt(30_000 + n), quietStart: 0, quietEnd: 0 } });
    await db.db.line.create({
      data: {
        userId: user.id,
        kind: 'msisdn',
        identifier: `6283855${String(n).padStart(6, '0')}`,
        carrier: 'axis',
        verifiedAt: new Date(),
        expiresAt,
      },
    });
  }
  beforeEach(async () => {
    db = await createTestDatabase(kind);
    for (let i = 0; i < 40; i++) await travellerWithPlanEnding(i, new Date(Date.now() + (i + 1) * HOUR));
  });
  afterEach(() => db.drop());

  const instance = (
    name: string,
    now: () => Date,
    more: Pick<Parameters<typeof createExpiryReminders>[0], 'batchSize' | 'onQueued'> = {},
  ) =>
    createExpiryReminders({
      db: db.db,
      dbProvider: db.provider,
      leases: createLeases(db.db, name, now),
      now,
      windows: parseWindows('3d,1d,3h'),
      leaseMs: 60_000,
      ...more,
    });

  it('runs once per tick across three instances, and each reminder is queued once', async () => {
    let clock = Date.now();
    const now = () => new Date(clock);
    const instances = ['a', 'b', 'c'].map((n) => instance(n, now));
    const first = await Promise.all(instances.map((i) => i.tick()));
    expect(first.filter((r) => r.ran)).toHaveLength(1);
    // Lines expiring within 3 hours get "3h", the others within a day "1d", the rest "3d".
    expect(first.reduce((n, r) => n + r.queued, 0)).toBe(40);

    clock += 61_000; // the lease has run out: the next tick is anyone's, and finds nothing new
    const second = await Promise.all(instances.map((i) => i.tick()));
    expect(second.filter((r) => r.ran)).toHaveLength(1);
    expect(second.reduce((n, r) => n + r.queued, 0)).toBe(0);

    clock += 2 * HOUR; // about 2 h later: the 1 h and 2 h lines expired, the 4 h and 5 h lines crossed into "3h", the 25 h and 26 h lines into "1d"
    const third = await Promise.all(instances.map((i) => i.tick()));
    expect(third.reduce((n, r) => n + r.queued, 0)).toBe(6);
    const keys = (await db.db.outboxMessage.findMany({ select: { dedupeKey: true } })).map((r) => r.dedupeKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k.endsWith(':expired'))).toHaveLength(2);
  });

  it('queues a wave batch by batch, the outbox filling while the scan goes on, with the reminders a single read gave', async () => {
    const now = () => new Date();
    const seen: number[] = [];
    const scan = instance('a', now, {
      batchSize: 7,
      onQueued: async () => {
        seen.push(await db.db.outboxMessage.count());
      },
    });
    const result = await scan.tick();
    expect(result.queued).toBe(40);
    // Queued as it read: the first reminders were in the outbox while most lines were still unread.
    expect(seen.length).toBeGreaterThanOrEqual(6);
    expect(seen[0]).toBeLessThanOrEqual(7);
    const lines = await db.db.line.findMany();
    const expected = lines.map((l) =>
      reminderKey(l.id, l.expiresAt!, dueWindow(l.expiresAt!, now(), parseWindows('3d,1d,3h'))!),
    );
    const keys = (await db.db.outboxMessage.findMany({ select: { dedupeKey: true } })).map((r) => r.dedupeKey);
    expect(keys.sort()).toEqual(expected.sort());
    expect(result.byWindow).toEqual({ '3h': { en: 3 }, '1d': { en: 21 }, '3d': { en: 16 } });
  });

  it('reminds every line of a campaign whose plans all end at the same moment, once each, across batches', async () => {
    // Three bunches of tied expiries (15, 1 and 9 lines) on top of the 40 spread ones, read 7 at a time:
    // batches end inside each bunch and between them.
    const bunches = [
      { at: new Date(Date.now() + 20 * HOUR), count: 15 },
      { at: new Date(Date.now() + 21 * HOUR), count: 1 },
      { at: new Date(Date.now() + 50 * HOUR), count: 9 },
    ];
    let n = 40;
    for (const { at, count } of bunches) for (let i = 0; i < count; i++) await travellerWithPlanEnding(n++, at);
    const result = await instance('a', () => new Date(), { batchSize: 7 }).tick();
    expect(result.queued).toBe(40 + 25);
    const reminded = (await db.db.outboxMessage.findMany({ select: { payload: true } })).map(
      (r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as { lineId: string },
    );
    const lines = await db.db.line.findMany({ select: { id: true } });
    expect(reminded.map((r) => r.lineId).sort()).toEqual(lines.map((l) => l.id).sort());
  });
});
