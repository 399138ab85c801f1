import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseWindows } from '../../src/domain/reminders.js';
import { createExpiryReminders } from '../../src/services/expiry-reminders.js';
import { createLeases } from '../../src/services/leases.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/database.js';

const HOUR = 3_600_000;

describe.each(databaseKinds)('the expiry scan on %s', (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(kind);
    for (let i = 0; i < 40; i++) {
      const user = await db.db.user.create({ data: { telegramId: BigInt(30_000 + i), quietStart: 0, quietEnd: 0 } });
      await db.db.line.create({
        data: {
          userId: user.id,
          kind: 'msisdn',
          identifier: `6283855${String(i).padStart(6, '0')}`,
          carrier: 'axis',
          verifiedAt: new Date(),
          expiresAt: new Date(Date.now() + (i + 1) * HOUR),
        },
      });
    }
  });
  afterEach(() => db.drop());

  const instance = (name: string, now: () => Date) =>
    createExpiryReminders({
      db: db.db,
      leases: createLeases(db.db, name, now),
      now,
      windows: parseWindows('3d,1d,3h'),
      leaseMs: 60_000,
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
});
