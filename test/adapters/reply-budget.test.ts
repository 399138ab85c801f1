import { Api } from 'grammy';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pacedReplies } from '../../src/bot/paced-replies.js';
import { createOutboxWorker, createSendBudget } from '../../src/jobs/outbox-worker.js';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { TEST_TOKEN } from '../helpers/harness.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/database.js';
import { until } from '../helpers/wait.js';

const silent = pino({ level: 'silent' });
const REPLY_CHAT = 9_999_999;

describe.each(databaseKinds)('one send budget for broadcasts and replies on %s', (kind) => {
  let db: TestDatabase;
  let telegram: FakeTelegram;
  beforeEach(async () => {
    db = await createTestDatabase(kind);
    // Telegram's limits: 30 a second free, 1,000 with allow_paid_broadcast, one a second per chat.
    telegram = await FakeTelegram.start({ perSecond: 30, paidPerSecond: 1000, perChatPerSecond: 1 });
  });
  afterEach(async () => {
    await telegram.close();
    await db.drop();
  });

  it('a reply pays while broadcasts spend the free rate, and goes ahead of them when both wait', async () => {
    const data = Array.from({ length: 90 }, (_, i) => ({ id: `u${i}`, telegramId: BigInt(1000 + i) }));
    await db.db.user.createMany({ data });
    await db.db.outboxMessage.createMany({
      data: data.map((u, i) => ({ userId: u.id, kind: 'test', payload: { n: i }, dedupeKey: `t:${i}` })),
    });
    const budget = createSendBudget(30, false, true);
    const worker = createOutboxWorker({
      db: db.db,
      provider: db.provider,
      api: new Api(TEST_TOKEN, { apiRoot: telegram.url }),
      render: async (row, user) => ({ chatId: user.telegramId, text: `broadcast ${(row.payload as { n: number }).n}` }),
      logger: silent,
      now: () => new Date(),
      instanceId: 'w',
      ratePerSecond: 30,
      pacer: budget,
      repliesPay: true,
    });
    const bot = new Api(TEST_TOKEN, { apiRoot: telegram.url });
    bot.config.use(pacedReplies({ budget, pay: true, logger: silent }));

    const sending = worker.runOnce();
    try {
      // Until the broadcasts have spent the free rate as the budget counts it (half of it within the last second,
      // so a reply never risks a 429): however slow the machine, the worker gets there, and the reply is asked
      // for at once. Waiting for 28 sends in one second instead failed on a loaded machine that sent fewer.
      await until(() => budget.freeSpentAt(Date.now()), { what: 'the free rate spent', interval: 5 });
      // The broadcasts spend the free rate: a reply now pays for its send rather than meet a 429.
      const refusedBefore = telegram.rateLimited429;
      await bot.sendMessage(REPLY_CHAT, 'your order summary');
      const paidReply = telegram.calls.findLast((c) => Number(c.payload.chat_id) === REPLY_CHAT);
      expect(paidReply!.payload.allow_paid_broadcast).toBe(true);
      // Sent once: Telegram took it the first time (a refused call is in the record too).
      expect(telegram.calls.filter((c) => Number(c.payload.chat_id) === REPLY_CHAT)).toHaveLength(1);
      // Telegram refuses the next broadcast: everything waits out its retry_after, the reply with the broadcasts.
      telegram.rateLimitNext(1, 1);
      await until(() => telegram.rateLimited429 === refusedBefore + 1, { what: 'the 429', interval: 10 });
      const asked = telegram.calls.length;
      await bot.sendMessage(REPLY_CHAT + 1, 'another summary');
      const after = telegram.calls.slice(asked).filter((c) => c.method === 'sendMessage');
      const reply = after.findIndex((c) => Number(c.payload.chat_id) === REPLY_CHAT + 1);
      expect(reply).toBeGreaterThanOrEqual(0);
      // At most a broadcast that had left before the reply was asked for (its answer still on the way).
      expect(reply).toBeLessThanOrEqual(1);
      expect(telegram.calls.filter((c) => Number(c.payload.chat_id) === REPLY_CHAT + 1)).toHaveLength(1);
    } finally {
      // Whatever the outcome, nothing is left sending into a database the next test drops.
      await sending;
      await worker.idle();
    }
  });
});
