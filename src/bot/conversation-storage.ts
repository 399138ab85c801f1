import type { Db } from '../adapters/db/client.js';

/** Conversation state in Kuota's own database (storage-prisma breaks on Prisma 7). */
export function prismaConversationStorage<S>(db: Db) {
  return {
    async read(key: string): Promise<S | undefined> {
      const row = await db.session.findUnique({ where: { key } });
      return row ? (JSON.parse(row.value) as S) : undefined;
    },
    async write(key: string, state: S): Promise<void> {
      const value = JSON.stringify(state);
      await db.session.upsert({ where: { key }, create: { key, value }, update: { value } });
    },
    async delete(key: string): Promise<void> {
      await db.session.deleteMany({ where: { key } });
    },
  };
}
