import type { Db } from '../src/adapters/db/client.js';
import type { DatabaseProvider } from '../src/adapters/db/provider.js';
import { parseWindows } from '../src/domain/reminders.js';
import { createExpiryReminders } from '../src/services/expiry-reminders.js';
import { createLeases } from '../src/services/leases.js';
/** The first traveller's chat id; the rest follow in order. */
export const FIRST_TRAVELLER = 5_000_000;

const LANGUAGES = ['en', 'id', 'zh-CN', 'ru', 'ko'];

/** N travellers, each with one line whose plan ends in 20 hours (inside the 1-day window), no quiet hours. */
export async function seedWave(db: Db, n: number): Promise<void> {
  const expiresAt = new Date(Date.now() + 20 * 3_600_000);
  for (let start = 0; start < n; start += 5000) {
    const ids = Array.from({ length: Math.min(5000, n - start) }, (_, i) => start + i);
    await db.user.createMany({
      data: ids.map((i) => ({
        id: `u${i}`,
        telegramId: BigInt(FIRST_TRAVELLER + i),
        language: LANGUAGES[i % LANGUAGES.length]!,
        quietStart: 0,
        quietEnd: 0,
      })),
    });
    await db.line.createMany({
      data: ids.map((i) => ({
        id: `l${i}`,
        userId: `u${i}`,
        kind: 'msisdn',
        identifier: `62838${String(i).padStart(8, '0')}`,
        carrier: 'axis',
        verifiedAt: new Date(),
        planCode: 'axis-weekly-10gb',
        expiresAt,
      })),
    });
  }
  // A production database has its statistics (PostgreSQL's autovacuum analyzes a table that grew): without
  // them, just after the seed, PostgreSQL joined every traveller for each batch of the scan (42 s of 47 at 100,000).
  await db.$executeRawUnsafe('ANALYZE');
}

/** The expiry scan as Kuota runs it by default (windows 3d, 1d, 3h), on the seeded database. */
export function waveScan(database: { db: Db; provider: DatabaseProvider }, now = () => new Date()) {
  return createExpiryReminders({
    db: database.db,
    dbProvider: database.provider,
    leases: createLeases(database.db, 'bench', now),
    now,
    windows: parseWindows('3d,1d,3h'),
    leaseMs: 60_000,
  });
}
