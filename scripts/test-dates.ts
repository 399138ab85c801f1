/**
 * Runs the suites that depend on the calendar as if the machine's clock read a date that has
 * broken such code before: the last day of a month late in the evening, New Year's Day, and the
 * day a DST timezone springs forward. SQLite only, to keep the whole test command short; the
 * clock is moved inside each test process by test/setup/system-clock.ts.
 *
 * The three dates are three vitest projects of one run, so their files share the workers (a run
 * per date waited three times for its slowest file), and each test's name starts with its date.
 */
import { startVitest } from 'vitest/node';

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
delete process.env.TEST_DATABASE_URL;
delete process.env.BENCH_DATABASE_URL;
for (const s of SCENARIOS) console.log(`== ${s.name}: ${s.now} (TZ=${s.tz})`);
const vitest = await startVitest('test', only.length ? only : DATE_SENSITIVE, {
  watch: false,
  projects: SCENARIOS.map((s) => ({
    extends: true,
    test: { name: `${s.now} ${s.tz}`, env: { KUOTA_TEST_NOW: s.now, TZ: s.tz } },
  })),
});
await vitest.close();
if (process.exitCode)
  console.error('\nThe date-sensitive suites fail on a date above: its name leads each failed test.');
