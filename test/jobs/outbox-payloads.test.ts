import { Writable } from 'node:stream';
import { Api } from 'grammy';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutboxRenderer } from '../../src/bot/messages/outbox-renderer.js';
import { createI18n } from '../../src/bot/i18n.js';
import { createOutboxWorker } from '../../src/jobs/outbox-worker.js';
import { OUTBOX_MESSAGE, readOutboxMessage, UnreadableOutboxMessage } from '../../src/services/outbox-messages.js';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { TEST_TOKEN } from '../helpers/harness.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/database.js';

describe('outbox message kinds', () => {
  it('reads a stored payload back through its kind, and refuses one that does not fit', () => {
    expect(readOutboxMessage({ kind: 'receipt', payload: { orderId: 'o1' } })).toEqual({
      kind: 'receipt',
      payload: { orderId: 'o1' },
    });
    expect(() => readOutboxMessage({ kind: 'receipt', payload: { order: 42 } })).toThrow(UnreadableOutboxMessage);
    expect(() => readOutboxMessage({ kind: 'no_such_kind', payload: {} })).toThrow(UnreadableOutboxMessage);
    expect(OUTBOX_MESSAGE.options.length).toBeGreaterThanOrEqual(22);
  });
});

describe.each(databaseKinds)('the outbox worker on %s, given a payload that does not fit its kind', (kind) => {
  let telegram: FakeTelegram;
  let db: TestDatabase;
  afterEach(async () => {
    await telegram.close();
    await db.drop();
  });

  it('marks that row failed and logs its payload whole, and still sends the others', async () => {
    telegram = await FakeTelegram.start();
    db = await createTestDatabase(kind);
    const operator = await db.db.user.create({ data: { telegramId: 501n, language: 'en' } });
    await db.db.outboxMessage.create({
      data: { userId: operator.id, kind: 'receipt', payload: { order: 42, note: 'kept whole' }, dedupeKey: 'bad' },
    });
    await db.db.outboxMessage.create({
      data: { userId: operator.id, kind: 'topup_after_refund', payload: { orderId: 'cm1' }, dedupeKey: 'good' },
    });
    const logged: Array<Record<string, unknown>> = [];
    const logger = pino(
      new Writable({
        write(chunk: Buffer, _enc, done) {
          logged.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
          done();
        },
      }),
    );
    const unused = () => {
      throw new Error('not needed by these kinds');
    };
    const render = createOutboxRenderer({
      db: db.db,
      i18n: await createI18n(),
      defaultLanguage: 'en',
      now: () => new Date(),
      orders: { get: unused } as never,
      installDetails: { forOrder: unused } as never,
      autoRenew: { leadHours: 24, monthlySpend: unused } as never,
    });
    const worker = createOutboxWorker({
      db: db.db,
      provider: db.provider,
      api: new Api(TEST_TOKEN, { apiRoot: telegram.url }),
      render,
      prepare: render.prepare,
      logger,
      now: () => new Date(),
      instanceId: 'w1',
      ratePerSecond: 30,
    });
    await worker.runOnce();

    const rows = await db.db.outboxMessage.findMany({ select: { dedupeKey: true, state: true } });
    expect(Object.fromEntries(rows.map((r) => [r.dedupeKey, r.state]))).toEqual({ bad: 'failed', good: 'sent' });
    expect(telegram.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(1);
    const line = logged.find((l) => l.msg === 'outbox message could not be rendered');
    expect(line?.err).toMatchObject({ kind: 'receipt', payload: { order: 42, note: 'kept whole' } });
  });
});
