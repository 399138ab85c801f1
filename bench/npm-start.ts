/**
 * `npm start` on an unchanged checkout (issue 21: under 3 s): from spawning `npm start` to Kuota's
 * "Kuota is running" line, against the Bot API and Stripe fakes, with a SQLite database migrated
 * and seeded by a first run that is not counted. Beside it, the parts: the prestart check alone
 * (scripts/build-if-changed.mjs) and `node dist/main.js` alone. Prints figures; asserts nothing.
 *
 *   npx tsx bench/npm-start.ts            (BENCH_RUNS, default 7)
 *
 * BENCH_CPU_PROF=1 writes a CPU profile of each `node dist/main.js` start to bench/profiles/
 * (`npx tsx bench/profile-summary.ts <profile>` sums it by owner).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeStripe } from '../test/fakes/stripe-api.js';
import { FakeTelegram } from '../test/fakes/telegram-api.js';
import { TEST_TOKEN } from '../test/helpers/harness.js';
import { machine } from './machine.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const GOAL_MS = 3_000;

const TICKS_PER_SECOND = 100; // Linux's USER_HZ, what /proc/<pid>/stat counts in

/** CPU milliseconds spent so far by a process group: its live members and the children they reaped. */
function groupCpuMs(group: number): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // Fields after the command's closing parenthesis: state is 3rd; pgrp 5th; utime, stime, cutime, cstime 14th–17th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== group) continue;
    ticks += [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

type Start = { wallMs: number; cpuMs: number };

/** Wall and CPU milliseconds from spawn to the "Kuota is running" line; the process group is then stopped. */
function timeToRunning(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Start> {
  const started = performance.now();
  // Its own process group: npm's child (node dist/main.js) is stopped with it.
  const child = spawn(command, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('Kuota is running')) return;
      const run = { wallMs: performance.now() - started, cpuMs: groupCpuMs(child.pid!) };
      child.stdout.off('data', onData);
      child.once('exit', () => resolve(run));
      process.kill(-child.pid!, 'SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      if (!output.includes('Kuota is running')) reject(new Error(`exited ${code} before running:\n${output}`));
    });
  });
}

function timeSync(command: string, args: string[]): number {
  const started = performance.now();
  const run = spawnSync(command, args, { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const summary = (xs: number[]) =>
  `median ${seconds(median(xs))} (${seconds(Math.min(...xs))}–${seconds(Math.max(...xs))}), ${(median(xs) / GOAL_MS).toFixed(2)}× the 3 s goal`;

const telegram = await FakeTelegram.start();
const stripe = await FakeStripe.start();
const dir = mkdtempSync(path.join(os.tmpdir(), 'kuota-start-bench-'));
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NODE_ENV: 'production',
  SUPPORT_CONTACT: '@kuota_help_bench',
  TELEGRAM_BOT_TOKEN: TEST_TOKEN,
  TELEGRAM_API_ROOT: telegram.url,
  STRIPE_SECRET_KEY: 'sk_test_bench',
  STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
  STRIPE_API_BASE: stripe.url,
  DATABASE_URL: `file:${path.join(dir, 'kuota.db')}`,
  HOST: '127.0.0.1',
  PORT: '0',
};
try {
  console.log(
    `machine: ${machine()}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  // An unchanged checkout: built once, database migrated and seeded once, none of it counted.
  timeSync(process.execPath, ['scripts/build-if-changed.mjs']);
  await timeToRunning('npm', ['start'], env);

  const check: number[] = [];
  const direct: Start[] = [];
  const npmStart: Start[] = [];
  for (let i = 0; i < RUNS; i++) {
    check.push(timeSync(process.execPath, ['scripts/build-if-changed.mjs']));
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=bench/profiles'] : [];
    direct.push(await timeToRunning(process.execPath, [...profile, '--max-old-space-size=512', 'dist/main.js'], env));
    npmStart.push(await timeToRunning('npm', ['start'], env));
  }
  console.log(
    `runs: ${RUNS}; load average after ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const wall = (runs: Start[]) => summary(runs.map((r) => r.wallMs));
  const cpu = (runs: Start[]) => summary(runs.map((r) => r.cpuMs));
  console.log(`npm start → "Kuota is running", wall:         ${wall(npmStart)}`);
  console.log(`npm start → "Kuota is running", CPU:          ${cpu(npmStart)}`);
  console.log(`node dist/main.js → "Kuota is running", wall: ${wall(direct)}`);
  console.log(`node dist/main.js → "Kuota is running", CPU:  ${cpu(direct)}`);
  console.log(`prestart check (build-if-changed.mjs), wall:  ${summary(check)}`);
} finally {
  await telegram.close();
  await stripe.close();
  rmSync(dir, { recursive: true, force: true });
}
