/**
 * npm run bench:delivery — the outbox worker against a local Bot API that enforces Telegram's limits
 * (the overall rate, one message a second per chat, 429 with retry_after beyond them).
 * Prints, per scenario: the rate achieved against the limit, 429s, duplicates and lost messages.
 * BENCH_SCENARIOS=small (3,000 at 30/s) or large (100,000 at 1,000/s) runs one of them.
 */
import { Api } from 'grammy';
import pino from 'pino';
import { createOutboxWorker } from '../src/jobs/outbox-worker.js';
import { FakeTelegram } from '../test/fakes/telegram-api.js';
import { createTestDatabase } from '../test/helpers/database.js';
import { TEST_TOKEN } from '../test/helpers/harness.js';
import { machine } from './machine.js';

type Scenario = { messages: number; rate: number };
const scenarios: Scenario[] = [{ messages: 3_000, rate: 30 }, { messages: 100_000, rate: 1_000 }];

async function run({ messages, rate }: Scenario) {
  const telegram = await FakeTelegram.start({ perSecond: rate, perChatPerSecond: 1 });
  const db = await createTestDatabase('sqlite');
  const chunk = 5_000;
  for (let start = 0; start < messages; start += chunk) {
    const ids = Array.from({ length: Math.min(chunk, messages - start) }, (_, i) => start + i);
    await db.db.user.createMany({ data: ids.map((i) => ({ id: `u${i}`, telegramId: BigInt(1_000_000 + i) })) });
    await db.db.outboxMessage.createMany({ data: ids.map((i) => ({ userId: `u${i}`, kind: 'bench', payload: { n: i }, dedupeKey: `bench:${i}` })) });
  }
  const worker = createOutboxWorker({
    db: db.db, provider: db.provider, api: new Api(TEST_TOKEN, { apiRoot: telegram.url }),
    render: async (row, user) => ({ chatId: user.telegramId, text: `notice ${(row.payload as { n: number }).n}` }),
    logger: pino({ level: 'silent' }), now: () => new Date(), instanceId: 'bench', ratePerSecond: rate,
  });
  const started = Date.now();
  let firstSend = 0;
  while ((await db.db.outboxMessage.count({ where: { state: { in: ['pending', 'sending'] } } })) > 0) {
    if ((await worker.runOnce()) === 0) await new Promise((r) => setTimeout(r, 20));
    firstSend ||= telegram.calls.find((c) => c.method === 'sendMessage')?.at ?? 0;
  }
  const accepted = telegram.calls.filter((c) => c.method === 'sendMessage');
  const lastAccepted = Math.max(...accepted.map((c) => c.at));
  let delivered = 0;
  let duplicates = 0;
  for (let i = 0; i < messages; i++) {
    const n = telegram.messagesTo(1_000_000 + i).length;
    if (n > 0) delivered++;
    duplicates += Math.max(0, n - 1);
  }
  const seconds = (lastAccepted - firstSend) / 1000;
  const achieved = (delivered - 1) / seconds;
  await telegram.close();
  await db.drop();
  return { messages, rate, seconds: seconds.toFixed(1), achieved: achieved.toFixed(1), ofLimit: `${((achieved / rate) * 100).toFixed(1)}%`, r429: telegram.rateLimited429, duplicates, lost: messages - delivered, wall: ((Date.now() - started) / 1000).toFixed(1) };
}

console.log(`machine: ${machine()}`);
const only = process.env.BENCH_SCENARIOS === 'small' ? scenarios.slice(0, 1) : process.env.BENCH_SCENARIOS === 'large' ? scenarios.slice(1) : scenarios;
for (const scenario of only) {
  const r = await run(scenario);
  console.log(`${r.messages} messages at ${r.rate}/s: achieved ${r.achieved}/s (${r.ofLimit} of the limit) over ${r.seconds} s; 429s: ${r.r429}; duplicates: ${r.duplicates}; lost: ${r.lost}`);
}
