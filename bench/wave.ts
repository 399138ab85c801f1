/**
 * npm run bench:wave — a reminder wave as an operator runs one: Kuota started as in production
 * (`node dist/main.js`, the flags of `npm start`, long polling) with OUTBOX_RATE_PER_SECOND=1000 and
 * OUTBOX_PAID_BROADCAST=true, against a Bot API in its own process that enforces Telegram's limits
 * and plays the travellers (bench/wave-telegram-process.ts): BENCH_N travellers (10,000) whose plan
 * ends inside the 1-day window, 10% of whom tap "Renew now" 0.5–3 s after their reminder, and a
 * bystander sending /help. The scan starts from Kuota's own cron, a few seconds after it is idle.
 * One line per run: the wave against the ideal (N ÷ 1,000/s), delivered per second, 429s by kind,
 * reminders lost and doubled, tap to first answer and to order summary (p50/p99), error texts, the
 * bystander's answer time during the scan and the wave, peak RSS over idle, Kuota's CPU per reminder.
 * BENCH_DBS=sqlite,postgresql picks the databases (PostgreSQL with TEST_DATABASE_URL or BENCH_DATABASE_URL);
 * BENCH_CPU_PROF=1 writes Kuota's CPU profile to bench/profiles (read it with bench/profile-summary.ts).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import os from 'node:os';
import { createTestDatabase, postgresUrl } from '../test/helpers/database.js';
import { freePort } from '../test/fakes/http.js';
import { TEST_TOKEN } from '../test/helpers/harness.js';
import { machine } from './machine.js';
import { seedWave } from './wave-seed.js';

const N = Number(process.env.BENCH_N ?? 10_000);
const RATE = 1000;
const startFlags = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start
  .split(' ')
  .filter((a) => a.startsWith('--'));

type Seen = {
  reminders: number[];
  firstReminderAt: number;
  lastReminderAt: number;
  refused: { reminder: number; reply: number; other: number };
  taps: Array<{ at: number; answeredAt?: number; summaryAt?: number }>;
  help: Array<{ askedAt: number; answeredAt?: number }>;
  errorTexts: number;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** RSS (kB) and CPU (ms) of a process, from /proc. */
function usage(pid: number): { rssMb: number; cpuMs: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  return { rssMb: rss, cpuMs: (ticks * 1000) / 100 };
}

const pct = (values: number[], p: number) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const s = (ms: number) => (Number.isNaN(ms) ? '–' : `${(ms / 1000).toFixed(2)} s`);

async function run(kind: 'sqlite' | 'postgresql'): Promise<string> {
  const db = await createTestDatabase(kind);
  await seedWave(db.db, N);
  const fake = spawn(process.execPath, ['--import', 'tsx', 'bench/wave-telegram-process.ts'], {
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [apiRoot, control] = await new Promise<string[]>((resolve) =>
    fake.stdout.once('data', (d) => resolve(String(d).trim().split(' '))),
  );
  const seen = async () => (await (await fetch(control!)).json()) as Seen;

  // The scan fires from Kuota's cron (seconds field), set for well after it has started (slow on a
  // loaded machine) and idled a few seconds with the bystander asking.
  const scanAt = new Date(Date.now() + Number(process.env.BENCH_SCAN_AFTER_MS ?? 60_000));
  const port = await freePort();
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=bench/profiles'] : [];
  const kuota = spawn(process.execPath, [...startFlags, ...profile, 'dist/main.js'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      DATABASE_URL: db.url,
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      STRIPE_SECRET_KEY: 'sk_test_bench',
      STRIPE_WEBHOOK_SECRET: 'whsec_bench',
      HOST: '127.0.0.1',
      PORT: String(port),
      OUTBOX_RATE_PER_SECOND: String(RATE),
      OUTBOX_PAID_BROADCAST: 'true',
      REMINDER_SCAN_CRON: `${scanAt.getSeconds()} ${scanAt.getMinutes()} ${scanAt.getHours()} * * *`,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let scanEndedAt = 0;
  let runningAt = 0;
  let buffered = '';
  const log = process.env.BENCH_LOG ? createWriteStream(process.env.BENCH_LOG) : undefined;
  kuota.stdout.on('data', (d: Buffer) => {
    log?.write(d);
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      if (line.includes('"expiry reminders queued"')) scanEndedAt ||= Date.now();
      if (line.includes('"Kuota is running"')) runningAt ||= Date.now();
    }
  });
  while (!runningAt) await sleep(100);
  if (runningAt > scanAt.getTime() - 3000) throw new Error('Kuota took too long to start: raise BENCH_SCAN_AFTER_MS');
  await fetch(`${control}/start-bystander`);
  let idleRss = 0;
  let peakRss = 0;
  let cpuAtScan = 0;
  const sampler = setInterval(() => {
    try {
      const u = usage(kuota.pid!);
      if (Date.now() < scanAt.getTime()) idleRss = u.rssMb;
      else {
        cpuAtScan ||= u.cpuMs;
        peakRss = Math.max(peakRss, u.rssMb);
      }
    } catch {
      // exited
    }
  }, 100);

  const deadline = scanAt.getTime() + Number(process.env.BENCH_DEADLINE_MS ?? Math.max(240_000, (N / RATE) * 8000));
  let last: Seen;
  for (;;) {
    await sleep(1000);
    last = await seen();
    if (last.reminders.length >= N || Date.now() > deadline) break;
  }
  const cpuAtEnd = usage(kuota.pid!).cpuMs;
  // The last taps' answers: up to 30 s after the last reminder.
  const tapsDone = Date.now() + 30_000;
  while (Date.now() < tapsDone) {
    last = await seen();
    if (last.taps.every((t) => t.summaryAt) && last.taps.length >= N * 0.09) break;
    await sleep(1000);
  }
  clearInterval(sampler);
  kuota.kill('SIGTERM');
  await new Promise((r) => kuota.once('exit', r));
  fake.kill('SIGTERM');
  await db.drop();

  const scanStart = scanAt.getTime();
  const waveMs = last.lastReminderAt - scanStart;
  const idealMs = (N / RATE) * 1000;
  const delivered = last.reminders.length;
  const doubled = last.reminders.reduce((a, n) => a + Math.max(0, n - 1), 0);
  const tapAnswer = last.taps.map((t) => (t.answeredAt ?? Infinity) - t.at);
  const tapSummary = last.taps.map((t) => (t.summaryAt ?? Infinity) - t.at);
  const helpIn = (from: number, to: number) =>
    last.help.filter((h) => h.askedAt >= from && h.askedAt < to).map((h) => (h.answeredAt ?? Infinity) - h.askedAt);
  const scanEnd = scanEndedAt || last.lastReminderAt;
  const helpScan = helpIn(scanStart, scanEnd);
  const helpWave = helpIn(scanStart, last.lastReminderAt);
  return [
    `${kind} N=${N}: wave ${s(waveMs)} vs ideal ${s(idealMs)} (${(waveMs / idealMs).toFixed(2)}×)`,
    `first reminder ${s(last.firstReminderAt - scanStart)} after the scan began, scan ${s(scanEnd - scanStart)}`,
    `${((delivered / (last.lastReminderAt - last.firstReminderAt)) * 1000).toFixed(0)}/s delivered`,
    `429s: reminders ${last.refused.reminder}, replies ${last.refused.reply}, bystander ${last.refused.other}`,
    `lost (not delivered by the deadline) ${N - delivered}, doubled ${doubled}`,
    `${last.taps.length} taps: to first answer p50/p99 ${s(pct(tapAnswer, 50))}/${s(pct(tapAnswer, 99))}, to summary ${s(pct(tapSummary, 50))}/${s(pct(tapSummary, 99))}, unanswered ${tapSummary.filter((x) => x === Infinity).length}`,
    `error texts ${last.errorTexts}`,
    `/help p50/p99 during the scan ${s(pct(helpScan, 50))}/${s(pct(helpScan, 99))} (${helpScan.length}), the wave ${s(pct(helpWave, 50))}/${s(pct(helpWave, 99))} (${helpWave.length})`,
    `RSS idle ${idleRss.toFixed(0)} MB, peak +${(peakRss - idleRss).toFixed(0)} MB`,
    `CPU ${((cpuAtEnd - cpuAtScan) / delivered).toFixed(2)} ms per reminder`,
  ].join('; ');
}

execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
console.log(
  `machine: ${machine()} · load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const dbs = (process.env.BENCH_DBS?.split(',') ?? ['sqlite', ...(postgresUrl ? ['postgresql'] : [])]) as Array<
  'sqlite' | 'postgresql'
>;
for (const kind of dbs) console.log(await run(kind));
