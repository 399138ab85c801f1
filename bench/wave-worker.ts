/**
 * npx tsx bench/wave-worker.ts — the wave's own cost, without Kuota's bot: BENCH_N (10,000) lines
 * scanned by the expiry scan and their reminders sent by the outbox worker at 1,000/s (paid), against
 * the wave's Bot API process (no taps, no bystander). Prints the CPU of this process (the scan, the
 * render and the worker; the fake runs in its own) per reminder, for the scan and the sending apart,
 * and the rate reached. CPU time, unlike wall time, hardly moves with the machine's load, so cuts
 * are compared on it, and where the sending time went (sends in flight, round trip, waits for a slot and
 * for the pace, claim and read per batch: the worker's own DeliveryStats). BENCH_DBS as bench:wave; BENCH_CPU_PROF=1 profiles the sending to bench/profiles/wave-worker-<db>.cpuprofile.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import { Api } from 'grammy';
import { leanFetch } from '../src/adapters/telegram/lean-fetch.js';
import { createOutboxRenderer } from '../src/bot/messages/outbox-renderer.js';
import { createI18n, DEFAULT_LANGUAGE } from '../src/bot/i18n.js';
import { createOutboxWorker } from '../src/jobs/outbox-worker.js';
import { createLogger } from '../src/logger.js';
import { createTestDatabase, postgresUrl } from '../test/helpers/database.js';
import { TEST_TOKEN } from '../test/helpers/harness.js';
import { machine } from './machine.js';
import { seedWave, waveScan } from './wave-seed.js';

const N = Number(process.env.BENCH_N ?? 10_000);
const RATE = 1000;
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function run(kind: 'sqlite' | 'postgresql'): Promise<string> {
  const db = await createTestDatabase(kind);
  await seedWave(db.db, N);
  const fake = spawn(process.execPath, ['--import', 'tsx', 'bench/wave-telegram-process.ts'], {
    env: { ...process.env, TAPPERS: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [apiRoot, control] = await new Promise<string[]>((resolve) =>
    fake.stdout.once('data', (d) => resolve(String(d).trim().split(' '))),
  );
  const now = () => new Date();
  const logger = createLogger({ level: 'warn' });
  const i18n = await createI18n();
  const render = createOutboxRenderer({
    db: db.db,
    orders: {} as never,
    autoRenew: {} as never,
    installDetails: {} as never,
    i18n,
    defaultLanguage: DEFAULT_LANGUAGE,
    now,
  });
  const worker = createOutboxWorker({
    db: db.db,
    provider: db.provider,
    // As src/wiring/adapters.ts builds the outbox's client.
    api: new Api(TEST_TOKEN, { apiRoot, fetch: leanFetch as never }),
    render,
    prepare: render.prepare,
    logger,
    now,
    instanceId: 'bench',
    ratePerSecond: RATE,
    paidBroadcast: true,
    statsEveryMs: Number.POSITIVE_INFINITY,
  });
  const scan = waveScan(db, now);

  const scanCpu = process.cpuUsage();
  const queued = (await scan.tick()).queued;
  const scanMs = cpuMs(scanCpu);
  const profiler = process.env.BENCH_CPU_PROF ? new Session() : undefined;
  profiler?.connect();
  await profiler?.post('Profiler.enable');
  await profiler?.post('Profiler.start');
  const sendCpu = process.cpuUsage();
  const started = performance.now();
  while ((await worker.runOnce({ wait: false })) > 0);
  await worker.idle();
  const wallMs = performance.now() - started;
  const sendMs = cpuMs(sendCpu);
  const where = worker.stats();
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    mkdirSync('bench/profiles', { recursive: true });
    writeFileSync(`bench/profiles/wave-worker-${kind}.cpuprofile`, JSON.stringify(profile));
  }
  const seen = (await (await fetch(control!)).json()) as {
    reminders: number[];
    firstReminderAt: number;
    lastReminderAt: number;
  };
  fake.kill('SIGTERM');
  await db.drop();
  const delivered = seen.reminders.length;
  const doubled = seen.reminders.reduce((a, n) => a + Math.max(0, n - 1), 0);
  return [
    `${kind} N=${N}: queued ${queued}, delivered ${delivered}, doubled ${doubled}`,
    `scan ${(scanMs / queued).toFixed(3)} ms CPU a reminder`,
    `sending ${(sendMs / delivered).toFixed(3)} ms CPU a reminder`,
    `together ${((scanMs + sendMs) / delivered).toFixed(3)} ms`,
    `${((delivered / (seen.lastReminderAt - seen.firstReminderAt)) * 1000).toFixed(0)}/s delivered (${((delivered / wallMs) * 1000).toFixed(0)}/s over the worker's whole run)`,
    `load average ${os.loadavg()[0]!.toFixed(1)}`,
    `\n  where the time went: ${where.inFlight.average} in flight on average (most ${where.inFlight.most}, limit ${where.inFlight.limit}); round trip ${where.roundTripMs} ms, slot held ${where.heldMs} ms; waited ${(where.waitedForSlotMs / 1000).toFixed(1)} s for a slot, ${(where.waitedForPaceMs / 1000).toFixed(1)} s for the pace; ${where.batches} batches, claim ${where.claimMs} ms and read ${where.readMs} ms each`,
  ].join('; ');
}

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
