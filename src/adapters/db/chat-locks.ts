import pg from 'pg';
import { providerOf } from './provider.js';

/** Runs a chat's work while no other instance runs work for the same chat. */
export type ChatLocks = {
  withLock<T>(chatId: number, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

/**
 * One chat at a time across every instance on one database. On PostgreSQL, a transaction-scoped
 * advisory lock on the chat id, held on a connection of its own (the work's queries use Prisma's
 * pool, so a chat waiting for its lock never starves the chat that holds it). SQLite runs one
 * instance, whose `sequentialize` already orders each chat: nothing to do there.
 */
export function createChatLocks(databaseUrl: string, options: { connections?: number } = {}): ChatLocks {
  if (providerOf(databaseUrl) === 'sqlite')
    return { withLock: (_chatId, work) => work(), close: async () => undefined };
  const url = new URL(databaseUrl);
  url.searchParams.delete('schema');
  // At most this many chats are handled at once by this instance; others wait for a connection.
  const pool = new pg.Pool({ connectionString: url.toString(), max: options.connections ?? 20 });
  pool.on('error', () => undefined); // an idle connection that broke is dropped and replaced
  return {
    async withLock(chatId, work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        // The id is a number, so it goes into the text as digits; one round trip begins and locks.
        await client.query(
          `BEGIN; SELECT pg_advisory_xact_lock(hashtextextended('kuota:chat:${BigInt(Math.trunc(chatId))}', 0))`,
        );
        return await work();
      } finally {
        await client.query('COMMIT').catch((error: Error) => (broken = error));
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
