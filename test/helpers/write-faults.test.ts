import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/adapters/db/client.js';
import { enqueue } from '../../src/services/outbox.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from './database.js';
import { injectWriteFault } from './write-faults.js';

/**
 * The fault suite's wrapper must leave the app's transactions as they are: what it reports about a
 * write in a transaction holds only if that write commits, or rolls back, with the transaction. On
 * PostgreSQL a raw statement in one (the outbox's INSERT … ON CONFLICT) ran on a connection of its own
 * and committed at once, so another instance's worker sent a receipt for an order still topping up.
 */
describe.each(databaseKinds)('the write-fault wrapper on %s', (kind) => {
  let database: TestDatabase;
  let other: Database;
  afterEach(async () => {
    await other.close();
    await database.drop();
  });

  async function traveller() {
    database = await createTestDatabase(kind);
    // Another instance's connection, as its outbox worker would see the tables.
    other = await openDatabase(database.url);
    return database.db.user.create({ data: { telegramId: 701n, language: 'en' } });
  }
  const message = (userId: string) =>
    ({ userId, kind: 'operator_message', payload: { text: 'Your plan is renewed' }, dedupeKey: 'renewed:1' }) as const;
  const seenByOther = async () =>
    (await other.db.outboxMessage.count()) + (await other.db.user.count({ where: { language: 'ru' } }));

  it('keeps a message queued in a transaction out of sight until the transaction commits', async () => {
    const user = await traveller();
    const faults = injectWriteFault(database.db, { kind: 'count' });
    let seenBeforeCommit = -1;
    await database.db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { language: 'ru' } });
      await enqueue(tx, message(user.id));
      seenBeforeCommit = await seenByOther();
    });
    faults.stop();
    expect(faults.writes()).toBe(2);
    expect(seenBeforeCommit).toBe(0);
    // The change and its message, both at once.
    expect(await seenByOther()).toBe(2);
  });

  it('rolls the queued message back with the transaction when a later write fails', async () => {
    const user = await traveller();
    const faults = injectWriteFault(database.db, { kind: 'throw', at: 3 });
    const failed = database.db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { language: 'ru' } });
      await enqueue(tx, message(user.id));
      await tx.user.update({ where: { id: user.id }, data: { timezone: 'Asia/Tokyo' } });
    });
    await expect(failed).rejects.toThrow('injected failure at write 3');
    faults.stop();
    expect(await seenByOther()).toBe(0);
  });
});
