/**
 * npm run bench:console — the operator console's queries at 1,000,000 orders, on SQLite and on
 * PostgreSQL (BENCH_DATABASE_URL, default the local test database). Orders are spread over the last
 * 365 days (250,000 travellers, one line each; mostly fulfilled, some refunded, expired, failing),
 * with 100,000 reminders sent. Prints the median of 5 runs (after one warm-up) of the overview and
 * of each kind of order search; of the overview also the console-days job that stores the closed
 * days ahead after seeding (in the background, once per timezone offset: no operator waits for it),
 * the first overview an operator opens after it, and the one after an older order changed (one run
 * each). Goal: under 200 ms for each query an operator waits for.
 */
import { randomBytes } from 'node:crypto';
import { orderNumber } from '../src/domain/order-state.js';
import { createConsoleOrders } from '../src/services/console/orders.js';
import { createOverview } from '../src/services/console/overview.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../test/helpers/database.js';
import { machine } from './machine.js';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const USERS = Math.max(1, Math.floor(ORDERS / 4));
const REMINDERS = Math.floor(ORDERS / 10);
const DAY = 86_400_000;
const RUNS = 5;
/** Not a query an operator waits for: the job that makes the overview fast, run every CONSOLE_DAYS_CRON. */
const BACKGROUND = 'console-days job after seeding (background)';

/** State by position: most orders fulfilled, a few of everything else. */
function stateOf(i: number): string {
  const r = i % 100;
  if (r < 84) return 'fulfilled';
  if (r < 88) return 'expired';
  if (r < 91) return 'refunded';
  if (r < 94) return 'canceled';
  if (r < 96) return 'payment_failed';
  if (r < 98) return 'awaiting_payment';
  return r === 98 ? 'topping_up' : 'draft';
}
const sourceOf = (i: number) => (i % 7 === 0 ? 'reminder' : i % 7 === 1 ? 'auto_renew' : 'manual');
const PAID = new Set(['fulfilled', 'refunded', 'topping_up']);

async function seedSqlite(db: TestDatabase, now: number): Promise<string[]> {
  const Database = (await import('better-sqlite3')).default;
  const raw = new Database(db.url.slice('file:'.length));
  raw.pragma('journal_mode = WAL');
  const ids: string[] = [];
  const user = raw.prepare(
    'INSERT INTO "User" (id, telegramId, language, timezone, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const line = raw.prepare(
    'INSERT INTO "Line" (id, userId, kind, identifier, carrier, verifiedAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const order =
    raw.prepare(`INSERT INTO "Order" (id, number, userId, lineId, planId, amountMinor, currency, state, source, failureReason, paidAt, createdAt, updatedAt)
    VALUES (?, ?, ?, ?, 'plan', ?, 'IDR', ?, ?, ?, ?, ?, ?)`);
  const outbox = raw.prepare(
    `INSERT INTO "OutboxMessage" (id, userId, kind, payload, dedupeKey, state, sentAt, nextAttemptAt, createdAt) VALUES (?, ?, 'reminder', '{}', ?, 'sent', ?, ?, ?)`,
  );
  raw
    .prepare(
      `INSERT INTO "Plan" (id, code, carrier, kind, validityDays, priceMinor, currency, providerSku, names, updatedAt) VALUES ('plan', 'bench', 'axis', 'weekly', 7, 35000, 'IDR', 'SKU', '{}', ?)`,
    )
    .run(now);
  raw.transaction(() => {
    for (let u = 0; u < USERS; u++) {
      user.run(`u${u}`, 5_000_000 + u, 'en', 'Asia/Jakarta', now - 400 * DAY, now - DAY);
      line.run(
        `l${u}`,
        `u${u}`,
        'msisdn',
        `62838${String(u).padStart(8, '0')}`,
        'axis',
        now - 400 * DAY,
        now - 400 * DAY,
        now - DAY,
      );
    }
    for (let i = 0; i < ORDERS; i++) {
      const id = `c${randomBytes(12).toString('hex')}`;
      ids.push(id);
      const created = now - Math.floor((i / ORDERS) * 365 * DAY);
      const state = stateOf(i);
      order.run(
        id,
        orderNumber(id),
        `u${i % USERS}`,
        `l${i % USERS}`,
        35_000,
        state,
        sourceOf(i),
        state === 'refunded' || state === 'topping_up' ? 'rc 44' : null,
        PAID.has(state) ? created + 60_000 : null,
        created,
        created + 60_000,
      );
    }
    for (let r = 0; r < REMINDERS; r++) {
      const at = now - Math.floor((r / REMINDERS) * 365 * DAY);
      outbox.run(`m${r}`, `u${r % USERS}`, `reminder:${r}`, at, at, at);
    }
  })();
  raw.pragma('optimize');
  raw.close();
  return ids;
}

async function seedPostgres(db: TestDatabase): Promise<string[]> {
  const run = (sql: string) => db.db.$executeRawUnsafe(sql);
  await run(
    `INSERT INTO "Plan" (id, code, carrier, kind, "validityDays", "priceMinor", currency, "providerSku", names, "updatedAt") VALUES ('plan', 'bench', 'axis', 'weekly', 7, 35000, 'IDR', 'SKU', '{}', now())`,
  );
  await run(`INSERT INTO "User" (id, "telegramId", language, timezone, "createdAt", "updatedAt")
    SELECT 'u' || g, 5000000 + g, 'en', 'Asia/Jakarta', now() - interval '400 days', now() - interval '1 day' FROM generate_series(0, ${USERS - 1}) g`);
  await run(`INSERT INTO "Line" (id, "userId", kind, identifier, carrier, "verifiedAt", "createdAt", "updatedAt")
    SELECT 'l' || g, 'u' || g, 'msisdn', '62838' || lpad(g::text, 8, '0'), 'axis', now() - interval '400 days', now() - interval '400 days', now() - interval '1 day' FROM generate_series(0, ${USERS - 1}) g`);
  const state = `CASE WHEN g % 100 < 84 THEN 'fulfilled' WHEN g % 100 < 88 THEN 'expired' WHEN g % 100 < 91 THEN 'refunded' WHEN g % 100 < 94 THEN 'canceled'
    WHEN g % 100 < 96 THEN 'payment_failed' WHEN g % 100 < 98 THEN 'awaiting_payment' WHEN g % 100 = 98 THEN 'topping_up' ELSE 'draft' END`;
  await run(`INSERT INTO "Order" (id, number, "userId", "lineId", "planId", "amountMinor", currency, state, source, "failureReason", "paidAt", "createdAt", "updatedAt")
    SELECT 'c' || substr(md5(g::text), 1, 24), 'KU-' || upper(substr(md5(g::text), 17, 8)), 'u' || (g % ${USERS}), 'l' || (g % ${USERS}), 'plan', 35000, 'IDR', s.state,
      CASE WHEN g % 7 = 0 THEN 'reminder' WHEN g % 7 = 1 THEN 'auto_renew' ELSE 'manual' END,
      CASE WHEN s.state IN ('refunded', 'topping_up') THEN 'rc 44' END,
      CASE WHEN s.state IN ('fulfilled', 'refunded', 'topping_up') THEN c.created + interval '1 minute' END, c.created, c.created + interval '1 minute'
    FROM generate_series(0, ${ORDERS - 1}) g, LATERAL (SELECT ${state} AS state) s, LATERAL (SELECT now() - (g::float / ${ORDERS}) * interval '365 days' AS created) c`);
  await run(`INSERT INTO "OutboxMessage" (id, "userId", kind, payload, "dedupeKey", state, "sentAt", "nextAttemptAt", "createdAt")
    SELECT 'm' || g, 'u' || (g % ${USERS}), 'reminder', '{}', 'reminder:' || g, 'sent', t.at, t.at, t.at
    FROM generate_series(0, ${REMINDERS - 1}) g, LATERAL (SELECT now() - (g::float / ${REMINDERS}) * interval '365 days' AS at) t`);
  await run('ANALYZE');
  const sample = await db.db.order.findMany({ select: { id: true }, take: 1000, skip: 500_000 % ORDERS });
  return sample.map((o) => o.id);
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

async function bench(kind: 'sqlite' | 'postgresql') {
  const db = await createTestDatabase(kind);
  const now = Date.now();
  const seeding = Date.now();
  const ids = kind === 'sqlite' ? await seedSqlite(db, now) : await seedPostgres(db);
  const seeded = ((Date.now() - seeding) / 1000).toFixed(0);
  const overview = createOverview({ db: db.db, provider: kind, now: () => new Date() });
  const orders = createConsoleOrders({ db: db.db });
  const someId = ids[Math.floor(ids.length / 2)]!;
  const weekAgo = new Date(now - 7 * DAY);
  const timed = async (fn: () => Promise<unknown>) => {
    const started = performance.now();
    await fn();
    return performance.now() - started;
  };
  // The console-days job stores the closed days ahead for the operators' timezones (the first
  // overview in a timezone does the same if the job has not run yet); later ones read them and count
  // today live. One in another timezone first, so the figure is the roll-up, not the process warming up.
  await overview.get('UTC');
  const ahead = await timed(() => overview.get('Asia/Jakarta'));
  const firstOpened = await timed(() => overview.get('Asia/Jakarta'));
  const steady = await median(() => overview.get('Asia/Jakarta'));
  // A refund of a 10-day-old order: the next overview recomputes the days it touched.
  const older = await db.db.order.findFirstOrThrow({
    where: { state: 'fulfilled', createdAt: { lt: new Date(now - 10 * DAY) } },
    orderBy: { createdAt: 'desc' },
    select: { id: true },
  });
  await db.db.order.update({ where: { id: older.id }, data: { state: 'refunded', refundedAt: new Date() } });
  const afterChange = await timed(() => overview.get('Asia/Jakarta'));
  const figures = {
    [BACKGROUND]: ahead,
    'overview: first opened after it (1 run)': firstOpened,
    'overview: steady': steady,
    'overview: after an older order changed (1 run)': afterChange,
    'search: order number': await median(() => orders.search({ q: `KU-${someId.slice(-8).toUpperCase()}` })),
    'search: last 4 digits of a number': await median(() => orders.search({ q: '4321' })),
    'search: Telegram id': await median(() => orders.search({ q: String(5_000_000 + 1234) })),
    'filter: refunded, last 7 days': await median(() => orders.search({ state: 'refunded', from: weekAgo })),
    'list: newest 50': await median(() => orders.search({})),
    'order detail': await median(() => orders.detail(someId)),
  };
  await db.drop();
  return { kind, seeded, figures };
}

console.log(`console queries at ${ORDERS.toLocaleString('en')} orders, median of ${RUNS} · ${machine()}`);
for (const kind of postgresUrl || !process.env.BENCH_SQLITE_ONLY
  ? (['sqlite', 'postgresql'] as const)
  : (['sqlite'] as const)) {
  if (kind === 'postgresql' && !postgresUrl) {
    console.log('postgresql: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    continue;
  }
  const result = await bench(kind);
  console.log(`\n${kind} (seeded in ${result.seeded} s)`);
  for (const [name, ms] of Object.entries(result.figures))
    console.log(
      `  ${name.padEnd(46)} ${ms.toFixed(1).padStart(8)} ms${ms > 200 && name !== BACKGROUND ? '  ⚠ over 200 ms' : ''}`,
    );
}
