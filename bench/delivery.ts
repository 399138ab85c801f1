/**
 * npm run bench:delivery — the outbox worker against a local Bot API that enforces Telegram's limits
 * (30 messages a second overall, 1,000 for those that carry allow_paid_broadcast, one a second per
 * chat, 429 with retry_after beyond them).
 * Prints, per scenario: the rate achieved against the limit, 429s, duplicates and lost messages.
 * BENCH_SCENARIOS=small (3,000 at 30/s) or large (100,000 at 1,000/s) runs one of them. BENCH_RTT_MS (default
 * 20) is the round trip to the Bot API: the fake holds each answer back that long, as the network does.
 */
import { spawn } from 'node:child_process';
import { Api } from 'grammy';
import pino from 'pino';
import { createOutboxWorker } from '../src/jobs/outbox-worker.js';
import { createTestDatabase } from '../test/helpers/database.js';
import { TEST_TOKEN } from '../test/helpers/harness.js';
import { machine } from './machine.js';

type Scenario = { messages: number; rate: number };
const scenarios: Scenario[] = [
  { messages: 3_000, rate: 30 },
  { messages: 100_000, rate: 1_000 },
];

async function startFake() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/telegram-fake-process.ts'], { env: process.env });
  const url = await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(String(d).trim())));
  return {
    url,
    child,
    stats: async () =>
      (await (await fetch(`${url}/__stats`)).json()) as {
        chats: number;
        duplicates: number;
        rateLimited429: number;
        firstAt: number;
        lastAt: number;
      },
  };
}

async function run({ messages, rate }: Scenario) {
  const telegram = await startFake();
  const db = await createTestDatabase('sqlite');
  const chunk = 5_000;
  for (let start = 0; start < messages; start += chunk) {
    const ids = Array.from({ length: Math.min(chunk, messages - start) }, (_, i) => start + i);
    await db.db.user.createMany({ data: ids.map((i) => ({ id: `u${i}`, telegramId: BigInt(1_000_000 + i) })) });
    await db.db.outboxMessage.createMany({
      data: ids.map((i) => ({ userId: `u${i}`, kind: 'bench', payload: { n: i }, dedupeKey: `bench:${i}` })),
    });
  }
  const worker = createOutboxWorker({
    db: db.db,
    provider: db.provider,
    api: new Api(TEST_TOKEN, { apiRoot: telegram.url }),
    render: async (row, user) => ({ chatId: user.telegramId, text: `notice ${(row.payload as { n: number }).n}` }),
    logger: pino({ level: 'silent' }),
    now: () => new Date(),
    instanceId: 'bench',
    ratePerSecond: rate,
    // Above the free 30/s the operator pays: without it, the fake refuses as Telegram does.
    paidBroadcast: rate > 30,
  });
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  for (;;) {
    if ((await worker.runOnce({ wait: false })) > 0) continue;
    if ((await db.db.outboxMessage.count({ where: { state: { in: ['pending', 'sending'] } } })) === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const cpu = process.cpuUsage(cpuBefore);
  const stats = await telegram.stats();
  telegram.child.kill('SIGTERM');
  await db.drop();
  const seconds = (stats.lastAt - stats.firstAt) / 1000;
  const achieved = (stats.chats - 1) / seconds;
  return {
    messages,
    rate,
    seconds: seconds.toFixed(1),
    achieved: achieved.toFixed(1),
    ofLimit: `${((achieved / rate) * 100).toFixed(1)}%`,
    r429: stats.rateLimited429,
    duplicates: stats.duplicates,
    lost: messages - stats.chats,
    wall: ((Date.now() - started) / 1000).toFixed(1),
    // The worker's own CPU (its SQLite included, in process) per 1,000 messages: the headroom left on a shared machine.
    cpuPerThousand: (((cpu.user + cpu.system) / 1000 / messages) * 1000).toFixed(0),
  };
}

console.log(`machine: ${machine()} · Bot API round trip ${process.env.BENCH_RTT_MS ?? 20} ms (BENCH_RTT_MS)`);
const only =
  process.env.BENCH_SCENARIOS === 'small'
    ? scenarios.slice(0, 1)
    : process.env.BENCH_SCENARIOS === 'large'
      ? scenarios.slice(1)
      : scenarios;
for (const scenario of only) {
  const r = await run(scenario);
  console.log(
    `${r.messages} messages at ${r.rate}/s: achieved ${r.achieved}/s (${r.ofLimit} of the limit) over ${r.seconds} s; 429s: ${r.r429}; duplicates: ${r.duplicates}; lost: ${r.lost}; worker CPU: ${r.cpuPerThousand} ms per 1,000 messages`,
  );
}
