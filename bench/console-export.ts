/**
 * npx tsx bench/console-export.ts — the console's CSV exports over 1,000,000 orders (BENCH_ORDERS), on
 * SQLite and, with TEST_DATABASE_URL (or BENCH_DATABASE_URL), PostgreSQL: every order (no filter), then
 * the ledger (one payment per paid order), each streamed through the same generator the download route
 * sends, into a sink that counts bytes. Prints rows, megabytes, seconds and the process's peak RSS during
 * each export against its RSS just before: bounded memory means the peak does not grow with the rows.
 */
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { orderNumber } from '../src/domain/order-state.js';
import { createConsoleExports } from '../src/services/console/exports.js';
import { createConsoleOrders } from '../src/services/console/orders.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../test/helpers/database.js';
import { machine } from './machine.js';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const USERS = Math.max(1, Math.floor(ORDERS / 4));
const DAY = 86_400_000;
const MB = 1024 * 1024;

const LEDGER_FROM_ORDERS = `INSERT INTO "LedgerEntry" (id, processor, kind, "externalId", "orderId", method, "amountMinor", currency, "occurredAt", "createdAt")
  SELECT 'le' || id, 'stripe', 'payment', 'pi_' || id, id, 'card', "amountMinor", currency, "paidAt", "paidAt" FROM "Order" WHERE "paidAt" IS NOT NULL`;

async function seedSqlite(db: TestDatabase, now: number): Promise<void> {
  const Database = (await import('better-sqlite3')).default;
  const raw = new Database(db.url.slice('file:'.length));
  // Seeding is not what is measured: no fsync, no rollback journal, and a cache (1 GiB) that holds the
  // indexes, so the random order numbers' unique index does not go to disk on every row.
  raw.pragma('journal_mode = OFF');
  raw.pragma('synchronous = OFF');
  raw.pragma('cache_size = -1048576');
  raw.pragma('temp_store = MEMORY');
  const user = raw.prepare('INSERT INTO "User" (id, telegramId, createdAt, updatedAt) VALUES (?, ?, ?, ?)');
  const line = raw.prepare(
    'INSERT INTO "Line" (id, userId, kind, identifier, carrier, verifiedAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const order =
    raw.prepare(`INSERT INTO "Order" (id, number, userId, lineId, planId, amountMinor, currency, state, source, paidAt, createdAt, updatedAt)
    VALUES (?, ?, ?, ?, 'plan', 35000, 'IDR', ?, 'manual', ?, ?, ?)`);
  raw
    .prepare(
      `INSERT INTO "Plan" (id, code, carrier, kind, validityDays, priceMinor, currency, providerSku, names, updatedAt) VALUES ('plan', 'bench', 'axis', 'weekly', 7, 35000, 'IDR', 'SKU', '{}', ?)`,
    )
    .run(now);
  raw.transaction(() => {
    for (let u = 0; u < USERS; u++) {
      user.run(`u${u}`, 5_000_000 + u, now - 400 * DAY, now - DAY);
      line.run(`l${u}`, `u${u}`, 'msisdn', `62838${String(u).padStart(8, '0')}`, 'axis', now, now, now);
    }
    for (let i = 0; i < ORDERS; i++) {
      // Ids rising with i append to the primary key; the last 8 characters (the number) stay random.
      const id = `c${String(i).padStart(8, '0')}${randomBytes(8).toString('hex')}`;
      const created = now - Math.floor((i / ORDERS) * 365 * DAY);
      const paid = i % 10 < 9;
      order.run(
        id,
        orderNumber(id),
        `u${i % USERS}`,
        `l${i % USERS}`,
        paid ? 'fulfilled' : 'expired',
        paid ? created + 60_000 : null,
        created,
        created,
      );
    }
    raw.exec(LEDGER_FROM_ORDERS);
  })();
  raw.close();
}

async function seedPostgres(db: TestDatabase): Promise<void> {
  const run = (sql: string) => db.db.$executeRawUnsafe(sql);
  await run(
    `INSERT INTO "Plan" (id, code, carrier, kind, "validityDays", "priceMinor", currency, "providerSku", names, "updatedAt") VALUES ('plan', 'bench', 'axis', 'weekly', 7, 35000, 'IDR', 'SKU', '{}', now())`,
  );
  await run(`INSERT INTO "User" (id, "telegramId", "createdAt", "updatedAt")
    SELECT 'u' || g, 5000000 + g, now(), now() FROM generate_series(0, ${USERS - 1}) g`);
  await run(`INSERT INTO "Line" (id, "userId", kind, identifier, carrier, "verifiedAt", "createdAt", "updatedAt")
    SELECT 'l' || g, 'u' || g, 'msisdn', '62838' || lpad(g::text, 8, '0'), 'axis', now(), now(), now() FROM generate_series(0, ${USERS - 1}) g`);
  await run(`INSERT INTO "Order" (id, number, "userId", "lineId", "planId", "amountMinor", currency, state, source, "paidAt", "createdAt", "updatedAt")
    SELECT 'c' || substr(md5(g::text), 1, 24), 'KU-' || upper(substr(md5(g::text), 17, 8)), 'u' || (g % ${USERS}), 'l' || (g % ${USERS}), 'plan', 35000, 'IDR',
      CASE WHEN g % 10 < 9 THEN 'fulfilled' ELSE 'expired' END, 'manual',
      CASE WHEN g % 10 < 9 THEN c.created + interval '1 minute' END, c.created, c.created
    FROM generate_series(0, ${ORDERS - 1}) g, LATERAL (SELECT now() - (g::float / ${ORDERS}) * interval '365 days' AS created) c`);
  await run(LEDGER_FROM_ORDERS);
  await run('ANALYZE');
}

/** Streams `chunks` into a byte counter, sampling RSS, as the download route would send them. */
async function measure(chunks: AsyncGenerator<string>) {
  const before = process.memoryUsage().rss;
  let peak = before;
  let bytes = 0;
  let rows = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  await pipeline(
    Readable.from(chunks),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        for (const byte of chunk) if (byte === 10) rows++;
        done();
      },
    }),
  );
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return {
    rows: rows - 1,
    mb: bytes / MB,
    seconds: (performance.now() - started) / 1000,
    before: before / MB,
    peak: peak / MB,
  };
}

async function main() {
  console.log(machine());
  const kinds = (process.env.BENCH_DBS?.split(',') ?? ['sqlite', ...(postgresUrl ? ['postgresql'] : [])]) as Array<
    'sqlite' | 'postgresql'
  >;
  for (const kind of kinds) {
    const db = await createTestDatabase(kind);
    try {
      const seeding = performance.now();
      if (kind === 'sqlite') await seedSqlite(db, Date.now());
      else await seedPostgres(db);
      console.log(`${kind}: seeded ${ORDERS} orders in ${((performance.now() - seeding) / 1000).toFixed(0)} s`);
      const exports = createConsoleExports({ db: db.db, orders: createConsoleOrders({ db: db.db }) });
      for (const [file, chunks] of [
        ['orders', () => exports.orders(1, {})],
        ['ledger', () => exports.ledger(1)],
      ] as const) {
        const m = await measure(chunks());
        console.log(
          `${kind} ${file}.csv: ${m.rows} rows, ${m.mb.toFixed(1)} MB in ${m.seconds.toFixed(1)} s; RSS ${m.before.toFixed(0)} MB before, peak ${m.peak.toFixed(0)} MB (+${(m.peak - m.before).toFixed(0)} MB)`,
        );
      }
    } finally {
      await db.drop();
    }
  }
}

await main();
