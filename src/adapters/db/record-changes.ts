import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { RecordChanges } from '../../services/ports/record-changes.js';
import type { Db } from './client.js';
import { providerOf } from './provider.js';

export type HeartbeatOptions = {
  /** How often the listener checks that its connection still carries notifications. Default 15 s. */
  everyMs: number;
  /** How long a heartbeat may take to come back before the connection counts as dead. Default 10 s. */
  deadlineMs: number;
};

const HEARTBEAT = 'heartbeat:';

/**
 * SQLite runs one instance, so a change is heard in-process only. On PostgreSQL, changes go out
 * with NOTIFY on a channel per schema and each instance LISTENs on a connection of its own; while
 * that connection is down, nothing is cached (forgetAll, then `listening` is false).
 *
 * A NAT or load balancer that stops forwarding an idle connection gives no error and no end: the
 * socket looks open and simply hears nothing. So the listener NOTIFYs itself every `everyMs`; a
 * heartbeat not heard back within `deadlineMs` is handled as a dropped connection.
 */
export function createRecordChanges(
  databaseUrl: string,
  db: Db,
  options: { heartbeat?: Partial<HeartbeatOptions> } = {},
): RecordChanges & { close(): Promise<void> } {
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

  const { everyMs, deadlineMs } = { everyMs: 15_000, deadlineMs: 10_000, ...options.heartbeat };
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') ?? 'public';
  url.searchParams.delete('schema');
  const channel = `kuota_changes_${schema}`.replace(/\W/g, '_').slice(0, 63);
  // Every instance hears every heartbeat on the channel: each waits for its own.
  const self = `${HEARTBEAT}${randomBytes(6).toString('hex')}:`;
  let client: pg.Client | null = null;
  let listening = false;
  let closed = false;
  let beats: NodeJS.Timeout | undefined;
  let awaited: { payload: string; deadline: NodeJS.Timeout } | null = null;
  let sent = 0;

  const stopBeating = () => {
    clearInterval(beats);
    if (awaited) clearTimeout(awaited.deadline);
    awaited = null;
  };
  const lost = () => {
    listening = false;
    stopBeating();
    listeners.forEach((l) => l.forgetAll());
    client?.removeAllListeners();
    // A silently dead socket may never finish ending: an error from it is of no interest any more.
    client?.on('error', () => undefined);
    client?.end().catch(() => undefined);
    client = null;
    // connect() catches its own failure and comes back here, so nothing waits on it.
    if (!closed) setTimeout(() => void connect(), 1000).unref();
  };
  const beat = (c: pg.Client) => {
    if (client !== c || awaited) return;
    const payload = `${self}${++sent}`;
    const deadline = setTimeout(() => client === c && awaited?.payload === payload && lost(), deadlineMs);
    deadline.unref();
    awaited = { payload, deadline };
    c.query('SELECT pg_notify($1, $2)', [channel, payload]).catch(() => undefined);
  };
  const heard = (payload: string) => {
    if (!payload.startsWith(HEARTBEAT)) return forget(payload);
    if (awaited?.payload !== payload) return;
    clearTimeout(awaited.deadline);
    awaited = null;
  };
  async function connect(): Promise<void> {
    const c = new pg.Client({
      connectionString: url.toString(),
      connectionTimeoutMillis: deadlineMs,
      query_timeout: deadlineMs,
    });
    client = c;
    c.on('error', () => client === c && lost());
    c.on('end', () => client === c && !closed && lost());
    c.on('notification', (n) => n.channel === channel && n.payload !== undefined && heard(n.payload));
    try {
      await c.connect();
      await c.query(`LISTEN "${channel}"`);
      if (client !== c) return;
      listening = true;
      beats = setInterval(() => beat(c), everyMs);
      beats.unref();
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
      stopBeating();
      // A connection gone silent never confirms its end.
      const ended = client?.end().catch(() => undefined);
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, deadlineMs).unref())]);
    },
  };
}
