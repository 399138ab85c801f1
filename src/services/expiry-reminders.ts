import { randomUUID } from 'node:crypto';
import type { Db } from '../adapters/db/client.js';
import type { DatabaseProvider } from '../adapters/db/provider.js';
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
/** Lines read, and reminders queued, at a time: the scan's memory is this, whatever the wave's size. */
const BATCH = 500;

type ScannedLine = {
  id: string;
  expiresAt: Date | null;
  updatedAt: Date;
  userId: string;
  user: { timezone: string; quietStart: number; quietEnd: number; language: string };
};
const SCANNED = {
  id: true,
  expiresAt: true,
  updatedAt: true,
  userId: true,
  user: { select: { timezone: true, quietStart: true, quietEnd: true, language: true } },
} as const;
type Range = { expiresAt: { gt: Date; lte: Date }; updatedAt?: { gt: Date } };
type Reminder = {
  userId: string;
  kind: 'reminder';
  dedupeKey: string;
  nextAttemptAt: Date;
  payload: { lineId: string; expiresAt: string; window: string };
};

/** What a scan queued (or, dry, would queue): per window and language, and how many wait out quiet hours. */
export type ScanCounts = { queued: number; byWindow: Record<string, Record<string, number>>; deferred: number };

/**
 * Queues expiry reminders. Each tick reads only the lines that crossed a reminder boundary since
 * the last tick (ranges on the expiresAt index), and the outbox's unique dedupe key makes a
 * reminder once per line, per expiry, per window — across restarts and instances. The lines are
 * read a batch at a time in (expiresAt, id) order and each batch queued before the next is read,
 * so the first reminders leave while the scan goes on and a wave of any size holds one batch.
 */
export function createExpiryReminders(deps: {
  db: Db;
  dbProvider: DatabaseProvider;
  leases: Leases;
  now: () => Date;
  windows: ReminderWindow[];
  leaseMs: number;
  /** A batch was queued: the delivery worker may start on it. */
  onQueued?: (count: number) => void | Promise<void>;
  batchSize?: number;
}) {
  const { db, windows } = deps;
  const batchSize = deps.batchSize ?? BATCH;

  return {
    async tick(): Promise<{ ran: boolean } & ScanCounts> {
      const lease = await deps.leases.acquire(LEASE, deps.leaseMs);
      if (!lease) return { ran: false, ...emptyCounts() };
      const now = deps.now();
      const counts = await scan(lease.lastRunAt, now, false);
      await deps.leases.finished(LEASE, now);
      return { ran: true, ...counts };
    },

    /** What a tick now would queue, queuing nothing and leaving the last run's time as it is. */
    async dryRun(): Promise<ScanCounts> {
      const lease = await db.jobLease.findUnique({ where: { name: LEASE }, select: { lastRunAt: true } });
      return scan(lease?.lastRunAt ?? null, deps.now(), true);
    },
  };

  async function scan(lastRunAt: Date | null, now: Date, dry: boolean): Promise<ScanCounts> {
    const since =
      lastRunAt && lastRunAt.getTime() > now.getTime() - EXPIRED_LOOKBACK_MS
        ? lastRunAt
        : new Date(now.getTime() - EXPIRED_LOOKBACK_MS);
    const widest = windows[0]?.beforeMs ?? 0;
    const ranges: Range[] = [
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
    const counts = emptyCounts();
    // Each range is walked on its own along the expiresAt index; a line in two is taken in the first.
    for (const [index, range] of ranges.entries()) {
      const earlier = ranges.slice(0, index);
      let after: { expiresAt: Date; id: string } | null = null;
      for (;;) {
        const lines = await readBatch(range, after);
        const mine = lines.filter((line) => !earlier.some((r) => inRange(line, r)));
        const due = reminders(mine, now);
        const created = dry ? await missing(due) : await insert(due);
        const languages = new Map(lines.map((l) => [l.id, l.user.language]));
        for (const r of created) count(counts, r, languages.get(r.payload.lineId) ?? '?', now);
        if (created.length && !dry) await deps.onQueued?.(created.length);
        const last = lines.at(-1);
        if (lines.length < batchSize || !last?.expiresAt) break;
        after = { expiresAt: last.expiresAt, id: last.id };
        // The bot and the delivery worker run between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return counts;
  }

  /**
   * The next batch of a range after `after` in (expiresAt, id) order: first the lines tied with it on
   * expiresAt, then those beyond. Each read is one range on the (expiresAt, id) index; one query with
   * an OR of the two made every batch of a campaign whose plans end together read all its ties again.
   */
  async function readBatch(range: Range, after: { expiresAt: Date; id: string } | null): Promise<ScannedLine[]> {
    const eligible = { unlinkedAt: null, user: { alertExpiry: true, reachable: true } };
    const ties = after
      ? await db.line.findMany({
          where: { ...range, ...eligible, expiresAt: after.expiresAt, id: { gt: after.id } },
          orderBy: [{ expiresAt: 'asc' }, { id: 'asc' }],
          take: batchSize,
          select: SCANNED,
        })
      : [];
    if (ties.length === batchSize) return ties;
    const beyond = await db.line.findMany({
      where: {
        ...range,
        ...eligible,
        expiresAt: {
          gt: after && after.expiresAt > range.expiresAt.gt ? after.expiresAt : range.expiresAt.gt,
          lte: range.expiresAt.lte,
        },
      },
      orderBy: [{ expiresAt: 'asc' }, { id: 'asc' }],
      take: batchSize - ties.length,
      select: SCANNED,
    });
    return [...ties, ...beyond];
  }

  function reminders(lines: ScannedLine[], now: Date): Reminder[] {
    return lines.flatMap((line) => {
      const window = line.expiresAt && dueWindow(line.expiresAt, now, windows);
      if (!window || !line.expiresAt) return [];
      const sendAt =
        window === EXPIRED
          ? reminderSendAt(now, new Date(now.getTime() + 365 * 86_400_000), line.user)
          : reminderSendAt(now, line.expiresAt, line.user);
      return [
        {
          userId: line.userId,
          kind: 'reminder' as const,
          dedupeKey: reminderKey(line.id, line.expiresAt, window),
          nextAttemptAt: sendAt,
          payload: { lineId: line.id, expiresAt: line.expiresAt.toISOString(), window },
        },
      ];
    });
  }

  /** The reminders not queued yet (by an earlier tick, another range, another instance): what a dry run counts. */
  async function missing(rows: Reminder[]): Promise<Reminder[]> {
    if (!rows.length) return rows;
    const existing = new Set(
      (
        await db.outboxMessage.findMany({
          where: { dedupeKey: { in: rows.map((r) => r.dedupeKey) } },
          select: { dedupeKey: true },
        })
      ).map((r) => r.dedupeKey),
    );
    return rows.filter((r) => !existing.has(r.dedupeKey));
  }

  /**
   * Queues a batch in one statement; the reminders already queued (by an earlier tick, another range,
   * another instance in the same instant) are skipped by their dedupe key. Prisma's createMany cost
   * 0.38 ms of CPU a reminder on SQLite, more than sending it; this costs a few microseconds.
   */
  async function insert(rows: Reminder[]): Promise<Reminder[]> {
    if (!rows.length) return rows;
    const postgres = deps.dbProvider === 'postgresql';
    const at = (d: Date) => (postgres ? d.toISOString() : d.getTime());
    const createdAt = at(deps.now());
    const values: unknown[] = [];
    const tuples = rows.map((r) => {
      values.push(
        randomUUID(),
        r.userId,
        r.kind,
        JSON.stringify(r.payload),
        r.dedupeKey,
        at(r.nextAttemptAt),
        createdAt,
      );
      const n = values.length;
      return postgres
        ? `($${n - 6}, $${n - 5}, $${n - 4}, $${n - 3}::jsonb, $${n - 2}, 'pending', 0, $${n - 1}::timestamp, $${n}::timestamp)`
        : `(?, ?, ?, ?, ?, 'pending', 0, ?, ?)`;
    });
    const queued = await db.$queryRawUnsafe<Array<{ dedupeKey: string }>>(
      `INSERT INTO "OutboxMessage" ("id", "userId", "kind", "payload", "dedupeKey", "state", "attempts", "nextAttemptAt", "createdAt")
       VALUES ${tuples.join(', ')} ON CONFLICT ("dedupeKey") DO NOTHING RETURNING "dedupeKey"`,
      ...values,
    );
    const created = new Set(queued.map((r) => r.dedupeKey));
    return rows.filter((r) => created.has(r.dedupeKey));
  }
}

function inRange(line: ScannedLine, range: Range): boolean {
  if (!line.expiresAt || line.expiresAt <= range.expiresAt.gt || line.expiresAt > range.expiresAt.lte) return false;
  return !range.updatedAt || line.updatedAt > range.updatedAt.gt;
}

function emptyCounts(): ScanCounts {
  return { queued: 0, byWindow: {}, deferred: 0 };
}

function count(counts: ScanCounts, row: Reminder, language: string, now: Date): void {
  const window = (counts.byWindow[row.payload.window] ??= {});
  window[language] = (window[language] ?? 0) + 1;
  counts.queued++;
  if (row.nextAttemptAt.getTime() > now.getTime()) counts.deferred++;
}

export type ExpiryReminders = ReturnType<typeof createExpiryReminders>;
