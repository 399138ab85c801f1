import { Api } from 'grammy';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutboxWorker } from '../../src/jobs/outbox-worker.js';
import type { RenderedMessage } from '../../src/bot/messages/outbox-renderer.js';
import { enqueue } from '../../src/services/outbox.js';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { TEST_TOKEN } from '../helpers/harness.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/database.js';

const CLAIM_MS = 30_000;
const BALANCE_LOW = { amountMinor: 100, currency: 'IDR', thresholdMinor: 500 };

describe.each(databaseKinds)('two outbox workers on %s', (kind) => {
  let telegram: FakeTelegram;
  let db: TestDatabase;
  afterEach(async () => {
    await telegram.close();
    await db.drop();
  });

  /** Two instances' workers on one database and one clock; `whileRendering` runs inside the first one's render. */
  async function twoWorkers(
    whileRendering: (
      second: ReturnType<typeof createOutboxWorker>,
      clock: { advance(ms: number): number },
    ) => Promise<void>,
  ) {
    telegram = await FakeTelegram.start();
    db = await createTestDatabase(kind);
    const traveller = await db.db.user.create({ data: { telegramId: 601n, language: 'en' } });
    await enqueue(db.db, {
      userId: traveller.id,
      kind: 'operator_balance_low',
      payload: BALANCE_LOW,
      dedupeKey: 'balance_low:1',
    });
    let offset = 0;
    const clock = {
      now: () => new Date(Date.now() + offset),
      advance: (ms: number) => (offset += ms),
    };
    const message = (): RenderedMessage => ({ chatId: 601, text: 'The provider balance is low' });
    const worker = (instanceId: string, render: () => Promise<RenderedMessage>) =>
      createOutboxWorker({
        db: db.db,
        provider: db.provider,
        api: new Api(TEST_TOKEN, { apiRoot: telegram.url }),
        render,
        logger: pino({ level: 'silent' }),
        now: clock.now,
        instanceId,
        ratePerSecond: 30,
        claimMs: CLAIM_MS,
      });
    const second = worker('b', async () => message());
    let rendering = true;
    const first = worker('a', async () => {
      if (rendering) await whileRendering(second, clock);
      rendering = false;
      return message();
    });
    return { first, second, clock };
  }
  const sends = () => telegram.calls.filter((c) => c.method === 'sendMessage').length;

  it('sends a message once when the first worker stalls past its claim and the second takes the row over', async () => {
    const workers = await twoWorkers(async (second, clock) => {
      // The first worker stalls for longer than its claim: the second one finds the row due again and sends it.
      clock.advance(CLAIM_MS * 2);
      expect(await second.runOnce()).toBe(1);
    });
    await workers.first.runOnce();

    expect(sends()).toBe(1);
    const row = await db.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: 'balance_low:1' } });
    expect(row.state).toBe('sent');
  });

  it('renews a claim half spent before sending, so the second worker cannot take the row while Telegram answers', async () => {
    const workers = await twoWorkers(async (_, clock) => {
      clock.advance(CLAIM_MS * 0.75);
    });
    telegram.slow.set('sendMessage', 400);
    const sending = workers.first.runOnce();
    await expect.poll(sends).toBe(1);
    // Past the first claim's end, inside the renewed one.
    workers.clock.advance(CLAIM_MS * 0.75);
    expect(await workers.second.runOnce()).toBe(0);
    await sending;

    expect(sends()).toBe(1);
    expect((await db.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: 'balance_low:1' } })).state).toBe('sent');
  });

  it('queues one message for one dedupe key, however many writers queue it at once', async () => {
    telegram = await FakeTelegram.start();
    db = await createTestDatabase(kind);
    const traveller = await db.db.user.create({ data: { telegramId: 602n, language: 'en' } });
    const entry = {
      userId: traveller.id,
      kind: 'operator_balance_low' as const,
      payload: BALANCE_LOW,
      dedupeKey: 'balance_low:2',
    };
    // Each in a transaction of its own, as two deliveries of the same settlement would be.
    const queued = await Promise.all(Array.from({ length: 4 }, () => db.db.$transaction((tx) => enqueue(tx, entry))));

    expect(queued.filter(Boolean)).toHaveLength(1);
    expect(await db.db.outboxMessage.count({ where: { dedupeKey: 'balance_low:2' } })).toBe(1);
  });
});
