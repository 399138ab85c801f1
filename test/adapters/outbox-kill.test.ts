import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const MAX_IN_FLIGHT = 2;

describe('a delivery worker killed with SIGKILL', () => {
  let telegram: FakeTelegram;
  let db: TestDatabase;
  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await telegram.close();
    await db.drop();
  });

  function startWorker() {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/outbox-worker-process.ts'], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: db.url,
        API_ROOT: telegram.url,
        RATE: '100',
        MAX_IN_FLIGHT: String(MAX_IN_FLIGHT),
      },
    });
    return new Promise<typeof child>((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('ready') && resolve(child));
      child.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
    });
  }

  it('resumes after each kill: every message arrives, none is lost', async () => {
    const count = 300;
    for (let i = 0; i < count; i++) {
      const user = await db.db.user.create({ data: { telegramId: BigInt(20_000 + i) } });
      await db.db.outboxMessage.create({
        data: { userId: user.id, kind: 'test', payload: { n: i }, dedupeKey: `kill:${i}` },
      });
    }
    let kills = 0;
    for (const after of [400, 700, 350]) {
      const child = await startWorker();
      await new Promise((r) => setTimeout(r, after));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      kills++;
    }
    const last = await startWorker();
    // Four worker processes start on two shared cores: wait for the sends, not for a fixed time.
    const until = Date.now() + 100_000;
    while (Date.now() < until && (await db.db.outboxMessage.count({ where: { state: 'sent' } })) < count)
      await new Promise((r) => setTimeout(r, 100));
    last.kill('SIGTERM');

    const perChat = Array.from({ length: count }, (_, i) => telegram.messagesTo(20_000 + i).length);
    const lost = perChat.filter((n) => n === 0).length;
    const duplicates = perChat.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    expect(lost).toBe(0);
    expect(await db.db.outboxMessage.count({ where: { state: 'sent' } })).toBe(count);
    // Telegram takes no idempotency key: a message it accepted just before a kill, whose row was not
    // yet marked, goes again. The worker bounds that by the sends it has in flight.
    console.info(`outbox kill test: ${kills} kills, ${duplicates} messages sent twice, ${lost} lost`);
    expect(duplicates).toBeLessThanOrEqual(kills * MAX_IN_FLIGHT);
  }, 120_000);
});
