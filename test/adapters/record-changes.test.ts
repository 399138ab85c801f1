import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRecordChanges } from '../../src/adapters/db/record-changes.js';
import { createUserService } from '../../src/services/users.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../helpers/database.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

// Only PostgreSQL has a LISTEN connection to lose.
describe.runIf(postgresUrl)('the LISTEN connection on PostgreSQL', () => {
  let database: TestDatabase;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  const closing: Array<() => Promise<void>> = [];
  beforeEach(async () => {
    database = await createTestDatabase('postgresql');
    const url = new URL(database.url);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  });
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
    await proxy.close();
    await database.drop();
  });

  function instance(databaseUrl: string) {
    const changes = createRecordChanges(databaseUrl, database.db, { heartbeat: { everyMs: 100, deadlineMs: 400 } });
    closing.push(() => changes.close());
    const users = createUserService({
      db: database.db,
      defaultTimezone: 'Asia/Jakarta',
      pickLanguage: (code) => code ?? 'en',
      changes,
    });
    return { changes, users };
  }
  const language = async (on: ReturnType<typeof instance>) => (await on.users.ensure(71_001, 'en')).language;

  it('notices a connection gone silent, trusts nothing meanwhile, and hears the next language chosen on another instance', async () => {
    // Instance a reaches the database through a NAT that will stop forwarding; b directly.
    const viaNat = new URL(database.url);
    viaNat.port = String(proxy.port);
    const a = instance(viaNat.toString());
    const b = instance(database.url);
    await expect.poll(() => a.changes.listening && b.changes.listening).toBe(true);
    const { id } = await a.users.ensure(71_001, 'en');
    await b.users.setLanguage(id, 'id');
    await expect.poll(() => language(a)).toBe('id');

    proxy.goSilent();
    // Chosen on b while a's connection hears nothing: the word is lost.
    await b.users.setLanguage(id, 'ja');
    await expect.poll(() => a.changes.listening).toBe(false);
    expect(await language(a)).toBe('ja');
    // While a cannot hear, it keeps nothing: a change nobody announces is still read.
    await database.db.user.update({ where: { id }, data: { language: 'ko' } });
    expect(await language(a)).toBe('ko');

    proxy.recover();
    await expect.poll(() => a.changes.listening).toBe(true);
    expect(await language(a)).toBe('ko');
    await b.users.setLanguage(id, 'ru');
    await expect.poll(() => language(a)).toBe('ru');
  });
});
