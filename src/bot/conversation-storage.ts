import type { Db } from '../adapters/db/client.js';

/**
 * Conversation state in Kuota's own database (storage-prisma breaks on Prisma 7).
 * With `remember` (this process alone handles updates: SQLite, or long polling), what it read or wrote is
 * kept for a minute, so a burst of updates from a chat with no conversation under way reads nothing;
 * after that the database is asked again, so a row deleted elsewhere (housekeeping) is not served
 * from memory. State is kept as text and parsed on each read: the plugin gets a fresh object.
 */
export function prismaConversationStorage<S>(
  db: Db,
  options: { remember?: boolean | (() => boolean); maxChats?: number; now?: () => Date; maxAgeMs?: number } = {},
) {
  const kept = new Map<string, { value: string | null; at: number }>();
  const maxChats = options.maxChats ?? 20_000;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const now = () => (options.now ?? (() => new Date()))().getTime();
  const remember = typeof options.remember === 'function' ? options.remember : () => options.remember === true;
  const keep = (key: string, value: string | null) => {
    if (!remember()) return;
    kept.delete(key);
    kept.set(key, { value, at: now() });
    if (kept.size > maxChats) kept.delete(kept.keys().next().value!);
  };
  const parse = (value: string | null) => (value === null ? undefined : (JSON.parse(value) as S));

  return {
    async read(key: string): Promise<S | undefined> {
      const known = remember() ? kept.get(key) : undefined;
      if (known && now() - known.at < maxAgeMs) return parse(known.value);
      const row = await db.session.findUnique({ where: { key } });
      keep(key, row?.value ?? null);
      return parse(row?.value ?? null);
    },
    async write(key: string, state: S): Promise<void> {
      const value = JSON.stringify(state);
      // The plugin saves the state after every update of a chat in a conversation, changed or not.
      const known = remember() ? kept.get(key) : undefined;
      if (known && known.value === value && now() - known.at < maxAgeMs) return;
      kept.delete(key); // should the write fail, the next read asks the database
      await db.session.upsert({ where: { key }, create: { key, value }, update: { value } });
      keep(key, value);
    },
    async delete(key: string): Promise<void> {
      kept.delete(key);
      await db.session.deleteMany({ where: { key } });
      keep(key, null);
    },
  };
}
