/**
 * npx tsx bench/scan-bunched.ts — the expiry scan over BENCH_N (100,000) lines whose plans all end at the
 * same moment (a reseller's campaign: bench:wave's seed), alone, without the sending: the scan's wall time
 * and CPU, on SQLite and, with TEST_DATABASE_URL, PostgreSQL.
 */
import os from 'node:os';
import { createTestDatabase, postgresUrl } from '../test/helpers/database.js';
import { machine } from './machine.js';
import { seedWave, waveScan } from './wave-seed.js';

const N = Number(process.env.BENCH_N ?? 100_000);
console.log(`machine: ${machine()} · load average ${os.loadavg()[0]!.toFixed(2)}`);
const dbs = (process.env.BENCH_DBS?.split(',') ?? ['sqlite', ...(postgresUrl ? ['postgresql'] : [])]) as Array<
  'sqlite' | 'postgresql'
>;
for (const kind of dbs) {
  const db = await createTestDatabase(kind);
  await seedWave(db.db, N);
  const scan = waveScan(db);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { queued } = await scan.tick();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  console.log(
    `${kind} N=${N}: queued ${queued} in ${(wall / 1000).toFixed(2)} s (${((queued / wall) * 1000).toFixed(0)}/s); CPU ${((used.user + used.system) / 1000 / queued).toFixed(3)} ms a reminder`,
  );
  await db.drop();
}
