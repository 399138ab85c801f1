import { Api } from 'grammy';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutboxWorker } from '../../src/jobs/outbox-worker.js';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { TEST_TOKEN } from '../helpers/harness.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../helpers/database.js';

const silent = pino({ level: 'silent' });

async function seed(db: TestDatabase, count: number, firstChat = 1) {
  for (let i = 0; i < count; i++) {
    const user = await db.db.user.create({ data: { telegramId: BigInt(firstChat + i), language: 'en' } });
    await db.db.outboxMessage.create({
      data: { userId: user.id, kind: 'test', payload: { n: i }, dedupeKey: `test:${firstChat + i}` },
    });
  }
}

const render = async (row: { payload: unknown }, user: { telegramId: number }) => ({
  chatId: user.telegramId,
  text: `message ${(row.payload as { n: number }).n}`,
});

function worker(
  db: TestDatabase,
  telegram: FakeTelegram,
  ratePerSecond: number,
  instanceId = 'w1',
  paidBroadcast = false,
) {
  return createOutboxWorker({
    db: db.db,
    provider: db.provider,
    api: new Api(TEST_TOKEN, { apiRoot: telegram.url }),
    render,
    logger: silent,
    now: () => new Date(),
    instanceId,
    ratePerSecond,
    paidBroadcast,
  });
}

async function drain(run: () => Promise<number>, db: TestDatabase) {
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    await run();
    const open = await db.db.outboxMessage.count({ where: { state: { in: ['pending', 'sending'] } } });
    if (!open) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('outbox did not drain');
}

const sends = (telegram: FakeTelegram) => telegram.calls.filter((c) => c.method === 'sendMessage');

describe('the delivery worker', () => {
  let telegram: FakeTelegram;
  let db: TestDatabase;
  afterEach(async () => {
    await telegram.close();
    await db.drop();
  });

  describe('against a Bot API that enforces the limits', () => {
    beforeEach(async () => {
      telegram = await FakeTelegram.start({ perSecond: 20, perChatPerSecond: 1 });
      db = await createTestDatabase();
    });

    it('honours retry_after on a 429 and still delivers everything exactly once', async () => {
      await seed(db, 60);
      // Asked to go faster than the API allows: it meets 429s, waits them out, and loses nothing.
      const w = worker(db, telegram, 40);
      await drain(() => w.runOnce(), db);
      expect(telegram.rateLimited429).toBeGreaterThan(0);
      const accepted = new Set(telegram.calls.filter((c) => c.method === 'sendMessage').map((c) => c.payload.text));
      expect(accepted.size).toBe(60);
      expect(await db.db.outboxMessage.count({ where: { state: 'sent' } })).toBe(60);
      const perChat = new Map<number, number>();
      for (const chat of [...Array(60).keys()].map((i) => i + 1)) perChat.set(chat, telegram.messagesTo(chat).length);
      expect([...perChat.values()].every((n) => n === 1)).toBe(true);
    });

    it('sends one message a second to the same chat', async () => {
      const user = await db.db.user.create({ data: { telegramId: 77n } });
      for (let i = 0; i < 3; i++)
        await db.db.outboxMessage.create({
          data: { userId: user.id, kind: 'test', payload: { n: i }, dedupeKey: `same:${i}` },
        });
      await drain(() => worker(db, telegram, 20).runOnce(), db);
      const times = sends(telegram)
        .filter((c) => Number(c.payload.chat_id) === 77)
        .map((c) => c.at);
      expect(telegram.messagesTo(77)).toHaveLength(3);
      expect(telegram.rateLimited429).toBe(0);
      expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(1900);
    });
  });

  describe("against Telegram's free and paid broadcast limits", () => {
    beforeEach(async () => {
      telegram = await FakeTelegram.start({ perSecond: 30, paidPerSecond: 1000, perChatPerSecond: 1 });
      db = await createTestDatabase();
    });

    it('keeps to the free 30 a second when the operator does not pay, whatever rate is configured', async () => {
      await seed(db, 45);
      await drain(() => worker(db, telegram, 200).runOnce(), db);
      expect(telegram.rateLimited429).toBe(0);
      expect(new Set(sends(telegram).map((c) => c.payload.text)).size).toBe(45);
      expect(sends(telegram).some((c) => c.payload.allow_paid_broadcast)).toBe(false);
    });

    it('sends faster than 30 a second with allow_paid_broadcast when the operator pays', async () => {
      await seed(db, 90);
      await drain(() => worker(db, telegram, 200, 'w1', true).runOnce(), db);
      expect(telegram.rateLimited429).toBe(0);
      expect(new Set(sends(telegram).map((c) => c.payload.text)).size).toBe(90);
      expect(sends(telegram).every((c) => c.payload.allow_paid_broadcast === true)).toBe(true);
    });
  });

  describe('against a Bot API a 100 ms round trip away', () => {
    beforeEach(async () => {
      telegram = await FakeTelegram.start({
        perSecond: 30,
        paidPerSecond: 1000,
        perChatPerSecond: 1,
        roundTripMs: 100,
      });
      db = await createTestDatabase();
    });

    it('keeps dozens of sends waiting for their answer at once, as 1,000 a second over that round trip needs', async () => {
      const users = Array.from({ length: 400 }, (_, i) => ({ id: `u${i}`, telegramId: BigInt(10_000 + i) }));
      await db.db.user.createMany({ data: users });
      await db.db.outboxMessage.createMany({
        data: users.map((u, i) => ({ userId: u.id, kind: 'test', payload: { n: i }, dedupeKey: `test:${i}` })),
      });
      const paying = worker(db, telegram, 1000, 'w1', true);
      await drain(() => paying.runOnce(), db);
      // One at a time, 100 ms each, would be 10 a second; 1,000 a second needs about 100 waiting at once.
      expect(telegram.mostOpenAtOnce).toBeGreaterThanOrEqual(40);
      expect(telegram.rateLimited429).toBe(0);
      expect(new Set(sends(telegram).map((c) => c.payload.text)).size).toBe(400);
      expect(sends(telegram)).toHaveLength(400);
    });
  });

  describe('against a plain Bot API', () => {
    beforeEach(async () => {
      telegram = await FakeTelegram.start();
      db = await createTestDatabase();
    });

    it('marks a traveller who blocked the bot unreachable and sends them nothing more', async () => {
      await seed(db, 2, 500);
      const blocked = await db.db.user.findFirstOrThrow({ where: { telegramId: 500n } });
      await db.db.outboxMessage.create({
        data: { userId: blocked.id, kind: 'test', payload: { n: 9 }, dedupeKey: 'later' },
      });
      telegram.blocked.add(500);
      const w = worker(db, telegram, 25);
      await drain(() => w.runOnce(), db);
      expect((await db.db.user.findUniqueOrThrow({ where: { id: blocked.id } })).reachable).toBe(false);
      expect(await db.db.outboxMessage.count({ where: { userId: blocked.id, state: 'unreachable' } })).toBe(2);
      expect(sends(telegram).filter((c) => Number(c.payload.chat_id) === 500).length).toBeLessThanOrEqual(1);
      expect(telegram.messagesTo(501)).toHaveLength(1);
    });

    it('retries a server error with backoff', async () => {
      await seed(db, 1, 900);
      const flaky = new FakeTelegramOutage(telegram);
      await flaky.start();
      const w = createOutboxWorker({
        db: db.db,
        provider: db.provider,
        api: new Api(TEST_TOKEN, { apiRoot: flaky.url }),
        render,
        logger: silent,
        now: () => new Date(),
        instanceId: 'w',
        ratePerSecond: 25,
      });
      await w.runOnce();
      const row = await db.db.outboxMessage.findFirstOrThrow();
      expect(row.state).toBe('pending');
      expect(row.attempts).toBe(1);
      expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
      await db.db.outboxMessage.update({ where: { id: row.id }, data: { nextAttemptAt: new Date() } });
      await w.runOnce();
      expect((await db.db.outboxMessage.findFirstOrThrow()).state).toBe('sent');
      await flaky.stop();
    });

    it('takes over the claim of a worker that died mid-batch, without resending what it had sent', async () => {
      await seed(db, 10, 700);
      const w = worker(db, telegram, 1000);
      await w.runOnce();
      // A second worker's batch killed after claiming: its rows are stuck in "sending".
      await seed(db, 5, 800);
      await db.db.outboxMessage.updateMany({
        where: { state: 'pending' },
        data: { state: 'sending', claimedBy: 'dead', claimedUntil: new Date(Date.now() - 1) },
      });
      await drain(() => worker(db, telegram, 1000, 'w2').runOnce(), db);
      for (let chat = 700; chat < 710; chat++) expect(telegram.messagesTo(chat)).toHaveLength(1);
      for (let chat = 800; chat < 805; chat++) expect(telegram.messagesTo(chat)).toHaveLength(1);
    });
  });

  describe.runIf(postgresUrl)('three instances on one PostgreSQL', () => {
    beforeEach(async () => {
      telegram = await FakeTelegram.start();
      db = await createTestDatabase('postgresql');
    });

    it('claims each row once: 300 messages, 300 sends', async () => {
      await seed(db, 300, 10_000);
      const workers = ['a', 'b', 'c'].map((id) => worker(db, telegram, 200, id));
      await Promise.all(workers.map((w) => drain(() => w.runOnce(), db)));
      expect(sends(telegram)).toHaveLength(300);
      expect(new Set(sends(telegram).map((c) => c.payload.chat_id)).size).toBe(300);
      const byWorker = await db.db.outboxMessage.count({ where: { state: 'sent' } });
      expect(byWorker).toBe(300);
    });
  });
});

/** Answers 502 to the first sendMessage, then passes through to the fake. */
class FakeTelegramOutage {
  private server?: { url: string; close(): Promise<void> };
  private failed = false;
  url = '';
  constructor(private readonly telegram: FakeTelegram) {}
  async start() {
    const { listen, sendJson } = await import('../fakes/http.js');
    this.server = await listen(async (req, body, res) => {
      if (!this.failed && req.url?.endsWith('/sendMessage')) {
        this.failed = true;
        return sendJson(res, 502, { ok: false, error_code: 502, description: 'Bad Gateway' });
      }
      const upstream = await fetch(`${this.telegram.url}${req.url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      sendJson(res, upstream.status, await upstream.json());
    });
    this.url = this.server.url;
  }
  stop() {
    return this.server!.close();
  }
}
