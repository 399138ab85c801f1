/**
 * npx tsx bench/prisma-query-cost.ts — the CPU one query costs through Prisma against the same SQL
 * through the raw driver (better-sqlite3; pg), one at a time, on a database of 2,000 travellers
 * with a line each. Two queries an update of Kuota typically makes: a traveller by id, and a
 * traveller's linked lines. SQLite always; PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL
 * is set. BENCH_QUERIES (5000) sets how many of each. Used for the cost breakdown in bench/README.md.
 */
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../test/helpers/database.js';
import { machine } from './machine.js';

const QUERIES = Number(process.env.BENCH_QUERIES ?? 5000);
const TRAVELLERS = 2000;

async function seed(database: TestDatabase): Promise<void> {
  const ids = Array.from({ length: TRAVELLERS }, (_, i) => i);
  await database.db.user.createMany({
    data: ids.map((i) => ({ id: `q${i}`, telegramId: BigInt(9_000_000 + i), language: 'en' })),
  });
  await database.db.line.createMany({
    data: ids.map((i) => ({
      userId: `q${i}`,
      kind: 'msisdn',
      identifier: `62838${20_000_000 + i}`,
      carrier: 'axis',
      verifiedAt: new Date(),
    })),
  });
}

/** CPU microseconds per call of `run`, after a warm-up of a tenth as many. */
async function cost(run: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < QUERIES / 10; i++) await run(i);
  const before = process.cpuUsage();
  for (let i = 0; i < QUERIES; i++) await run(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / QUERIES;
}

type Raw = {
  user(id: string): unknown;
  lines(userId: string): unknown;
  close(): Promise<void> | void;
};

function rawSqlite(url: string): Raw {
  const db = new Sqlite(url.slice('file:'.length));
  const user = db.prepare('SELECT * FROM "User" WHERE "id" = ? LIMIT 1');
  const lines = db.prepare('SELECT * FROM "Line" WHERE "userId" = ? AND "unlinkedAt" IS NULL ORDER BY "createdAt" ASC');
  return { user: (id) => user.get(id), lines: (userId) => lines.all(userId), close: () => void db.close() };
}

async function rawPostgres(url: string): Promise<Raw> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema')!;
  parsed.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: parsed.toString(), options: `-c search_path="${schema}"` });
  await client.connect();
  // Named statements: prepared once, as Prisma's driver adapter does not, so the best the driver can do.
  return {
    user: (id) => client.query({ name: 'user', text: 'SELECT * FROM "User" WHERE "id" = $1 LIMIT 1', values: [id] }),
    lines: (userId) =>
      client.query({
        name: 'lines',
        text: 'SELECT * FROM "Line" WHERE "userId" = $1 AND "unlinkedAt" IS NULL ORDER BY "createdAt" ASC',
        values: [userId],
      }),
    close: () => client.end(),
  };
}

console.log(`machine: ${machine()}`);
console.log(
  `${QUERIES} queries of each kind, one at a time; CPU µs per query (this process: Prisma's client, its query compiler, the driver)`,
);
for (const kind of ['sqlite', ...(postgresUrl ? ['postgresql' as const] : [])] as const) {
  const database = await createTestDatabase(kind);
  await seed(database);
  const raw = kind === 'sqlite' ? rawSqlite(database.url) : await rawPostgres(database.url);
  const id = (i: number) => `q${i % TRAVELLERS}`;
  const rows = [
    [
      'traveller by id',
      await cost((i) => database.db.user.findUnique({ where: { id: id(i) } })),
      await cost((i) => raw.user(id(i))),
    ],
    [
      'linked lines',
      await cost((i) =>
        database.db.line.findMany({ where: { userId: id(i), unlinkedAt: null }, orderBy: { createdAt: 'asc' } }),
      ),
      await cost((i) => raw.lines(id(i))),
    ],
  ] as const;
  for (const [what, prisma, driver] of rows) {
    console.log(
      `${kind.padEnd(10)} ${what.padEnd(16)} Prisma ${prisma.toFixed(0).padStart(4)} µs, raw driver ${driver.toFixed(0).padStart(4)} µs (${(prisma / driver).toFixed(1)}×)`,
    );
  }
  await raw.close();
  await database.drop();
}
