import pg from 'pg';
import type { RecordChanges } from '../../services/ports/record-changes.js';
import type { Db } from './client.js';
import { providerOf } from './provider.js';

/**
 * SQLite runs one instance, so a change is heard in-process only. On PostgreSQL, changes go out
 * with NOTIFY on a channel per schema and each instance LISTENs on a connection of its own; while
 * that connection is down, nothing is cached (forgetAll, then `listening` is false).
 */
export function createRecordChanges(databaseUrl: string, db: Db): RecordChanges & { close(): Promise<void> } {
  const listeners: Array<{ forget(key: string): void; forgetAll(): void }> = [];
  const forget = (key: string) => listeners.forEach((l) => l.forget(key));
  if (providerOf(databaseUrl) === 'sqlite') {
    return {
      listening: true,
      publish: async (key) => forget(key),
      subscribe: (listener) => void listeners.push(listener),
      close: async () => undefined,
    };
  }

  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') ?? 'public';
  url.searchParams.delete('schema');
  const channel = `kuota_changes_${schema}`.replace(/\W/g, '_').slice(0, 63);
  let client: pg.Client | null = null;
  let listening = false;
  let closed = false;

  const lost = () => {
    listening = false;
    listeners.forEach((l) => l.forgetAll());
    client?.removeAllListeners();
    client?.end().catch(() => undefined);
    client = null;
    // connect() catches its own failure and comes back here, so nothing waits on it.
    if (!closed) setTimeout(() => void connect(), 1000).unref();
  };
  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: url.toString() });
    client = c;
    c.on('error', lost);
    c.on('end', () => client === c && !closed && lost());
    c.on('notification', (n) => n.channel === channel && n.payload !== undefined && forget(n.payload));
    try {
      await c.connect();
      await c.query(`LISTEN "${channel}"`);
      listening = true;
    } catch {
      if (client === c) lost();
    }
  }
  const ready = connect();

  return {
    get listening() {
      return listening;
    },
    async publish(key) {
      forget(key);
      // Through the ordinary pool: other instances hear it even while this one's listener is down.
      await db.$executeRawUnsafe('SELECT pg_notify($1, $2)', channel, key);
    },
    subscribe: (listener) => void listeners.push(listener),
    async close() {
      closed = true;
      await ready;
      listening = false;
      await client?.end().catch(() => undefined);
    },
  };
}
