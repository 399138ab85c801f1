import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineService } from '../../src/services/lines.js';
import type { RecordChanges } from '../../src/services/remembered.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/** The change feed as an instance sees it: `listening` false while its listener is down. */
function changeFeed() {
  const listeners: Array<{ forget(key: string): void; forgetAll(): void }> = [];
  const feed = {
    listening: true,
    publish: async (key: string) => listeners.forEach((l) => l.forget(key)),
    subscribe: (listener: { forget(key: string): void; forgetAll(): void }) => void listeners.push(listener),
    /** Another instance's word arriving. */
    hear: (key: string) => listeners.forEach((l) => l.forget(key)),
    lose: () => {
      feed.listening = false;
      listeners.forEach((l) => l.forgetAll());
    },
  };
  return feed satisfies RecordChanges;
}

describe("a traveller's lines kept in memory", () => {
  let database: TestDatabase;
  let userId: string;
  let lineId: string;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    const user = await database.db.user.create({ data: { telegramId: 93_001n } });
    userId = user.id;
    lineId = (
      await database.db.line.create({
        data: {
          userId,
          kind: 'msisdn',
          identifier: '6283812340001',
          carrier: 'axis',
          verifiedAt: new Date(),
          label: 'Work',
        },
      })
    ).id;
  });
  afterAll(() => database.drop());

  const service = (changes: RecordChanges) =>
    createLineService({
      db: database.db,
      changes,
      logger: pino({ level: 'silent' }),
      now: () => new Date(),
      provider: {} as never,
      payments: {} as never,
      codeLimits: {} as never,
    });
  // What another instance does: writes the line, then tells everyone.
  const relabel = (label: string) => database.db.line.update({ where: { id: lineId }, data: { label } });

  it('answers from memory until another instance says the lines changed', async () => {
    const feed = changeFeed();
    const lines = service(feed);
    expect((await lines.list(userId))[0]!.label).toBe('Work');
    await relabel('Office');
    expect((await lines.get(userId, lineId))!.label).toBe('Work');
    feed.hear(`lines:${userId}`);
    expect((await lines.list(userId))[0]!.label).toBe('Office');
    feed.hear(`user:93001`);
    await relabel('Work');
    expect((await lines.list(userId))[0]!.label).toBe('Office');
    feed.hear(`lines:${userId}`);
  });

  it('keeps nothing read while changes could not be heard, even once they can be again', async () => {
    const feed = changeFeed();
    const lines = service(feed);
    feed.lose();
    expect((await lines.list(userId))[0]!.label).toBe('Work');
    // Changed by another instance while this one's listener was down: its word is lost.
    await relabel('Home');
    feed.listening = true;
    expect((await lines.list(userId))[0]!.label).toBe('Home');
  });

  it('forgets at once what this instance changed, and tells the others', async () => {
    const feed = changeFeed();
    const heard: string[] = [];
    feed.subscribe({ forget: (key) => heard.push(key), forgetAll: () => undefined });
    const lines = service(feed);
    await lines.list(userId);
    await lines.setLabel(userId, lineId, 'Travel');
    expect((await lines.list(userId))[0]!.label).toBe('Travel');
    await lines.unlink(userId, lineId);
    expect(await lines.list(userId)).toEqual([]);
    expect(await lines.get(userId, lineId)).toBeNull();
    expect(heard).toEqual([`lines:${userId}`, `lines:${userId}`]);
  });
});
