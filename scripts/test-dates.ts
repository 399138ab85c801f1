/**
 * Runs the suites that depend on the calendar as if the machine's clock read a date that has
 * broken such code before: the last day of a month late in the evening, New Year's Day, and the
 * day a DST timezone springs forward. SQLite only, to keep the whole test command short; the
 * clock is moved inside each test process by test/setup/system-clock.ts.
 */
import { spawnSync } from 'node:child_process';

const DATE_SENSITIVE = [
  'test/domain',
  'test/e2e/reminders.test.ts',
  'test/e2e/esim.test.ts',
  'test/e2e/auto-renew.test.ts',
  'test/services/console.test.ts',
  'test/services/code-limits.test.ts',
  'test/services/housekeeping.test.ts',
];

const SCENARIOS = [
  { name: 'the last day of a month, 23:30 in Jakarta', now: '2027-01-31T16:30:00Z', tz: 'Asia/Jakarta' },
  { name: "New Year's Day, just after midnight UTC", now: '2027-01-01T00:05:00Z', tz: 'UTC' },
  { name: 'the day Berlin springs forward (DST)', now: '2027-03-28T00:40:00Z', tz: 'Europe/Berlin' },
];

const only = process.argv.slice(2);
const { TEST_DATABASE_URL: _pg, BENCH_DATABASE_URL: _bench, ...env } = process.env;
for (const scenario of SCENARIOS) {
  console.log(`\n== ${scenario.name}: ${scenario.now} (TZ=${scenario.tz})`);
  const run = spawnSync('npx', ['vitest', 'run', ...(only.length ? only : DATE_SENSITIVE)], {
    stdio: 'inherit',
    env: { ...env, KUOTA_TEST_NOW: scenario.now, TZ: scenario.tz },
  });
  if (run.status !== 0) {
    console.error(`\nThe suite fails on ${scenario.name} (${scenario.now}, TZ=${scenario.tz}).`);
    process.exit(run.status ?? 1);
  }
}
