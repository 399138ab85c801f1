/**
 * npm run bench:expiry-scan — one expiry-scan tick over 1,000,000 lines, on SQLite and on PostgreSQL
 * (BENCH_DATABASE_URL, default the local test database). Expiries are spread evenly over ±60 days,
 * so about 5% of the lines sit inside the reminder windows. Prints the steady tick (the previous tick
 * five minutes ago) and the cold tick (no previous tick: one day of lines to look back over).
 */
import { createExpiryReminders } from '../src/services/expiry-reminders.js';
import { createLeases } from '../src/services/leases.js';
import { parseWindows } from '../src/domain/reminders.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/database.js';
import { machine } from './machine.js';

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const USERS = LINES / 4;
const DAY = 86_400_000;

async function seedSqlite(db: TestDatabase, now: number) {
  const Database = (await import('better-sqlite3')).default;
  const raw = new Database(db.url.slice('file:'.length));
  raw.pragma('journal_mode = WAL');
  const user = raw.prepare(
    'INSERT INTO "User" (id, telegramId, language, timezone, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const line = raw.prepare(
    'INSERT INTO "Line" (id, userId, kind, identifier, carrier, expiresAt, verifiedAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  raw.transaction(() => {
    for (let u = 0; u < USERS; u++) user.run(`u${u}`, 5_000_000 + u, 'en', 'Asia/Jakarta', now - DAY, now - DAY);
    for (let l = 0; l < LINES; l++) {
      const expires = now - 60 * DAY + Math.floor((l / LINES) * 120 * DAY);
      line.run(
        `l${l}`,
        `u${l % USERS}`,
        'msisdn',
        `62838${String(l).padStart(8, '0')}`,
        'axis',
        expires,
        now - DAY,
        now - DAY,
        now - DAY,
      );
    }
  })();
  raw.close();
}

async function seedPostgres(db: TestDatabase) {
  await db.db.$executeRawUnsafe(`INSERT INTO "User" (id, "telegramId", language, timezone, "createdAt", "updatedAt")
    SELECT 'u' || g, 5000000 + g, 'en', 'Asia/Jakarta', now() - interval '1 day', now() - interval '1 day' FROM generate_series(0, ${USERS - 1}) g`);
  await db.db
    .$executeRawUnsafe(`INSERT INTO "Line" (id, "userId", kind, identifier, carrier, "expiresAt", "verifiedAt", "createdAt", "updatedAt")
    SELECT 'l' || g, 'u' || (g % ${USERS}), 'msisdn', '62838' || lpad(g::text, 8, '0'), 'axis',
      now() - interval '60 days' + (g::float / ${LINES}) * interval '120 days', now() - interval '1 day', now() - interval '1 day', now() - interval '1 day'
    FROM generate_series(0, ${LINES - 1}) g`);
  await db.db.$executeRawUnsafe('ANALYZE');
}

async function bench(kind: 'sqlite' | 'postgresql') {
  const db = await createTestDatabase(kind);
  const now = Date.now();
  const seeding = Date.now();
  if (kind === 'sqlite') await seedSqlite(db, now);
  else await seedPostgres(db);
  const seeded = ((Date.now() - seeding) / 1000).toFixed(0);
  const windows = parseWindows('3d,1d,3h');
  const timeTick = async (lastRunAt: Date | null, at: number) => {
    await db.db.jobLease.deleteMany();
    if (lastRunAt)
      await db.db.jobLease.create({ data: { name: 'expiry-scan', holder: 'previous', until: new Date(0), lastRunAt } });
    const reminders = createExpiryReminders({
      db: db.db,
      dbProvider: db.provider,
      leases: createLeases(db.db, 'bench', () => new Date(at)),
      now: () => new Date(at),
      windows,
      leaseMs: 60_000,
    });
    const started = performance.now();
    const result = await reminders.tick();
    return { ms: performance.now() - started, queued: result.queued };
  };
  // Warm the caches once, as a running instance has them.
  await timeTick(new Date(now - 5 * 60_000), now);
  const steady: number[] = [];
  let queued = 0;
  for (let i = 1; i <= 5; i++) {
    const at = now + i * 5 * 60_000;
    const r = await timeTick(new Date(at - 5 * 60_000), at);
    steady.push(r.ms);
    queued = r.queued;
  }
  const cold = await timeTick(null, now + 10 * DAY);
  const plan =
    kind === 'postgresql'
      ? (
          await db.db.$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(
            `EXPLAIN SELECT id FROM "Line" WHERE "expiresAt" > now() AND "expiresAt" <= now() + interval '5 minutes' AND "unlinkedAt" IS NULL`,
          )
        )[0]!['QUERY PLAN']
      : (
          await db.db.$queryRawUnsafe<Array<{ detail: string }>>(
            `EXPLAIN QUERY PLAN SELECT id FROM "Line" WHERE "expiresAt" > ${now} AND "expiresAt" <= ${now + 300_000} AND "unlinkedAt" IS NULL`,
          )
        )[0]!.detail;
  await db.drop();
  steady.sort((a, b) => a - b);
  console.log(
    `${kind}: ${LINES.toLocaleString('en')} lines (seeded in ${seeded} s); steady tick median ${steady[2]!.toFixed(1)} ms, max ${steady[4]!.toFixed(1)} ms (${queued} reminders queued); cold tick (one day back) ${cold.ms.toFixed(0)} ms (${cold.queued} queued); plan: ${plan}`,
  );
}

console.log(`machine: ${machine()}`);
await bench('sqlite');
if (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL) await bench('postgresql');
else console.log('postgresql: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
