import type { Db } from '../adapters/db/client.js';
import {
  dueWindow,
  EXPIRED,
  EXPIRED_LOOKBACK_MS,
  reminderKey,
  reminderSendAt,
  type ReminderWindow,
} from '../domain/reminders.js';
import type { Leases } from './leases.js';

const LEASE = 'expiry-scan';
const CHUNK = 500;

/**
 * Queues expiry reminders. Each tick reads only the lines that crossed a reminder boundary since
 * the last tick (ranges on the expiresAt index), and the outbox's unique dedupe key makes a
 * reminder once per line, per expiry, per window — across restarts and instances.
 */
export function createExpiryReminders(deps: {
  db: Db;
  leases: Leases;
  now: () => Date;
  windows: ReminderWindow[];
  leaseMs: number;
}) {
  const { db, windows } = deps;

  return {
    async tick(): Promise<{ ran: boolean; queued: number }> {
      const lease = await deps.leases.acquire(LEASE, deps.leaseMs);
      if (!lease) return { ran: false, queued: 0 };
      const now = deps.now();
      const since =
        lease.lastRunAt && lease.lastRunAt.getTime() > now.getTime() - EXPIRED_LOOKBACK_MS
          ? lease.lastRunAt
          : new Date(now.getTime() - EXPIRED_LOOKBACK_MS);
      const widest = windows[0]?.beforeMs ?? 0;
      const ranges: Array<{ expiresAt: { gt: Date; lte: Date }; updatedAt?: { gt: Date } }> = [
        ...windows.map((w) => ({
          expiresAt: { gt: new Date(since.getTime() + w.beforeMs), lte: new Date(now.getTime() + w.beforeMs) },
        })),
        { expiresAt: { gt: since, lte: now } },
        // Lines linked or changed since the last tick may already sit inside a window.
        {
          updatedAt: { gt: since },
          expiresAt: { gt: new Date(now.getTime() - EXPIRED_LOOKBACK_MS), lte: new Date(now.getTime() + widest) },
        },
      ];
      // One query: the database ORs the index ranges (BitmapOr on PostgreSQL, multi-index OR on SQLite).
      const lines = await db.line.findMany({
        where: { OR: ranges, unlinkedAt: null, user: { alertExpiry: true, reachable: true } },
        select: {
          id: true,
          expiresAt: true,
          userId: true,
          user: { select: { timezone: true, quietStart: true, quietEnd: true } },
        },
      });
      const queued = await queue(lines, now);
      await deps.leases.finished(LEASE, now);
      return { ran: true, queued };
    },
  };

  async function queue(
    lines: Array<{
      id: string;
      expiresAt: Date | null;
      userId: string;
      user: { timezone: string; quietStart: number; quietEnd: number };
    }>,
    now: Date,
  ): Promise<number> {
    const rows = lines.flatMap((line) => {
      const window = line.expiresAt && dueWindow(line.expiresAt, now, windows);
      if (!window || !line.expiresAt) return [];
      const sendAt =
        window === EXPIRED
          ? reminderSendAt(now, new Date(now.getTime() + 365 * 86_400_000), line.user)
          : reminderSendAt(now, line.expiresAt, line.user);
      return [
        {
          userId: line.userId,
          kind: 'reminder',
          dedupeKey: reminderKey(line.id, line.expiresAt, window),
          nextAttemptAt: sendAt,
          payload: { lineId: line.id, expiresAt: line.expiresAt.toISOString(), window },
        },
      ];
    });
    let created = 0;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const existing = new Set(
        (
          await db.outboxMessage.findMany({
            where: { dedupeKey: { in: chunk.map((r) => r.dedupeKey) } },
            select: { dedupeKey: true },
          })
        ).map((r) => r.dedupeKey),
      );
      const missing = chunk.filter((r) => !existing.has(r.dedupeKey));
      if (!missing.length) continue;
      try {
        created += (await db.outboxMessage.createMany({ data: missing })).count;
      } catch {
        // Another instance queued some of them between the check and the insert: one by one, skipping those.
        for (const row of missing)
          created += await db.outboxMessage.create({ data: row }).then(
            () => 1,
            () => 0,
          );
      }
    }
    return created;
  }
}

export type ExpiryReminders = ReturnType<typeof createExpiryReminders>;
