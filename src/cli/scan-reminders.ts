/**
 * npm run reminders:scan -- [--dry-run]
 * Runs the expiry scan now, as the scheduled tick would (under the same lease, so never alongside a
 * running instance's). --dry-run queues nothing and prints what would go out: per window and
 * language, and how many would wait for the end of the traveller's quiet hours. Without it the
 * reminders are queued, the running bot delivers them, and the same counts are logged.
 */
import { existsSync } from 'node:fs';
import { openDatabase } from '../adapters/db/client.js';
import { parseWindows } from '../domain/reminders.js';
import { createLogger } from '../logger.js';
import { createExpiryReminders, type ScanCounts } from '../services/expiry-reminders.js';
import { createLeases } from '../services/leases.js';

if (existsSync('.env')) process.loadEnvFile('.env');
const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
if (args.some((a) => a !== '--dry-run')) {
  console.error('usage: npm run reminders:scan -- [--dry-run]');
  process.exit(2);
}
const database = await openDatabase(process.env.DATABASE_URL ?? 'file:./data/kuota.db');
const now = () => new Date();
const reminders = createExpiryReminders({
  db: database.db,
  dbProvider: database.provider,
  leases: createLeases(database.db, 'reminders:scan', now),
  now,
  windows: parseWindows(process.env.REMINDER_WINDOWS ?? '3d,1d,3h'),
  leaseMs: 60_000,
});

if (dryRun) {
  const counts = await reminders.dryRun();
  await database.close();
  console.log(describe(counts, 'would go out now'));
} else {
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info' });
  const result = await reminders.tick();
  await database.close();
  if (!result.ran) {
    console.error('An instance is scanning right now (it holds the lease): nothing queued. Try again in a minute.');
    process.exit(1);
  }
  const { ran: _, ...counts } = result;
  logger.info(counts, 'expiry reminders queued');
  console.log(describe(counts, 'queued'));
}

/** The counts as an operator reads them: a line per window, languages by how many. */
function describe(counts: ScanCounts, what: string): string {
  const windows = Object.entries(counts.byWindow).map(
    ([window, languages]) =>
      `  ${window}: ${Object.entries(languages)
        .sort((a, b) => b[1] - a[1])
        .map(([language, n]) => `${language} ${n}`)
        .join(', ')}`,
  );
  return [
    `Reminders that ${what}: ${counts.queued}`,
    ...windows,
    `Held until the traveller's quiet hours end: ${counts.deferred}`,
  ].join('\n');
}
