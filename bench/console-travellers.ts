/**
 * npx tsx bench/console-travellers.ts — the console's travellers list over 100,000 travellers (BENCH_TRAVELLERS),
 * each with a line and every tenth with auto-renew, on SQLite: the counts, the first page, a page deep in the
 * list (keyset: it costs what the first does), the auto-renew filter, and searches by name, @username and a
 * number's tail. Prints the median of five runs of each, in milliseconds.
 */
import { createConsoleTravellers } from '../src/services/console/travellers.js';
import type { AutoRenewService } from '../src/services/auto-renew/auto-renew.js';
import type { LineService } from '../src/services/lines.js';
import { createTestDatabase } from '../test/helpers/database.js';
import { machine } from './machine.js';

const TRAVELLERS = Number(process.env.BENCH_TRAVELLERS ?? 100_000);

async function main() {
  const db = await createTestDatabase('sqlite');
  const Database = (await import('better-sqlite3')).default;
  const raw = new Database(db.url.slice('file:'.length));
  raw.pragma('journal_mode = WAL');
  const now = Date.now();
  const user = raw.prepare(
    'INSERT INTO "User" (id, telegramId, name, username, nameKey, reachable, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const line = raw.prepare(
    'INSERT INTO "Line" (id, userId, kind, identifier, carrier, verifiedAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const renew = raw.prepare(
    `INSERT INTO "AutoRenew" (id, lineId, userId, planCode, capMinor, currency, state, createdAt, updatedAt) VALUES (?, ?, ?, 'bench', 100000, 'IDR', 'active', ?, ?)`,
  );
  const started = Date.now();
  raw.transaction(() => {
    for (let i = 0; i < TRAVELLERS; i++) {
      const id = `u${String(i).padStart(8, '0')}`;
      const name = `Guest ${i}`;
      user.run(id, 1_000_000 + i, name, `guest_${i}`, `${name.toLowerCase()} @guest_${i}`, i % 50 ? 1 : 0, now, now);
      line.run(`l${id}`, id, 'msisdn', `62838${String(i).padStart(8, '0')}`, 'axis', now, now, now);
      if (i % 10 === 0) renew.run(`a${id}`, `l${id}`, id, now, now);
    }
  })();
  raw.close();
  console.log(`seeded ${TRAVELLERS} travellers in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const travellers = createConsoleTravellers({
    db: db.db,
    lines: {} as LineService,
    autoRenew: {} as AutoRenewService,
  });
  const deep = `u${String(Math.floor(TRAVELLERS / 2)).padStart(8, '0')}`;
  const cases: Array<[string, () => Promise<unknown>]> = [
    ['counts', () => travellers.counts()],
    ['first page', () => travellers.list({ q: '', filter: 'all' })],
    ['page half-way down', () => travellers.list({ q: '', filter: 'all', cursor: deep })],
    ['auto-renew filter', () => travellers.list({ q: '', filter: 'auto_renew' })],
    ['name search', () => travellers.list({ q: 'guest 77777', filter: 'all' })],
    ['@username search', () => travellers.list({ q: '@guest_4242', filter: 'all' })],
    ['number tail search', () => travellers.list({ q: '00099999', filter: 'all' })],
  ];
  console.log(machine());
  for (const [name, run] of cases) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await run();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`${name.padEnd(22)} ${times[2]!.toFixed(1)} ms`);
  }
  await db.drop();
}

await main();
