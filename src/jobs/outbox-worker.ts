import { GrammyError, HttpError, InputFile, type Api } from 'grammy';
import type { Db } from '../adapters/db/client.js';
import type { DatabaseProvider } from '../adapters/db/provider.js';
import type { OutboxRow, RenderedMessage, RenderUser } from '../bot/messages/outbox-renderer.js';
import { InFlightLimit } from './in-flight.js';
import { SendPacer } from './send-pacer.js';
import { createGroupWriter } from './group-writer.js';
import { DeliveryStats, type DeliverySnapshot } from './delivery-stats.js';
import type { Logger } from '../logger.js';
import { orderStepDone } from '../services/order-timeline.js';

export type OutboxWorkerDeps = {
  db: Db;
  provider: DatabaseProvider;
  /** An Api without auto-retry: the worker paces and retries itself. */
  api: Api;
  render: (row: OutboxRow, user: RenderUser) => Promise<RenderedMessage | null>;
  logger: Logger;
  now: () => Date;
  instanceId: string;
  /** Messages per second overall. Above Telegram's free 30 only with `paidBroadcast`. */
  ratePerSecond: number;
  /**
   * The operator pays for faster sends (0.1 Star a message above the free rate): messages carry
   * allow_paid_broadcast, up to 1,000 a second. Off, the worker keeps to the free rate.
   */
  paidBroadcast?: boolean;
  /** Replies pay for their sends while the free rate is spent (the default); false: the outbox leaves room under the free rate. */
  repliesPay?: boolean;
  /** The process's send budget, shared with replies (which take slots first); one of its own otherwise. */
  pacer?: SendPacer;
  /** Reads what a claimed batch's messages need in a few queries, before each is rendered. */
  prepare?: (rows: OutboxRow[]) => Promise<void>;
  maxAttempts?: number;
  /** How long a claim holds before another worker may take the rows over (a killed worker's). */
  claimMs?: number;
  /**
   * The most sends waiting for Telegram's answer, or for their row to be marked sent, at once (the
   * worker keeps as many as the rate and the round trip need, 16 at least). It also bounds what a
   * kill can double: only a message Telegram accepted whose row was not yet marked can go twice,
   * so at most this many per kill.
   */
  maxInFlight?: number;
  /** A traveller was marked unreachable (they blocked the bot): for whoever remembers them. */
  onUnreachable?: (telegramId: number) => Promise<void>;
  /** While sending, where the time went is logged this often (10 s); a benchmark reads stats() instead. */
  statsEveryMs?: number;
};

type Row = { id: string; userId: string; kind: string; payload: unknown; attempts: number };
/** A claimed batch with its travellers, read while the batch before it is still going out. */
type Claimed = {
  rows: Row[];
  users: Map<string, Omit<RenderUser, 'telegramId'> & { telegramId: bigint; reachable: boolean }>;
};
type ClaimedRow = Row & { nextAttemptAt: Date | number | string };
const RETURNED = '"id", "userId", "kind", "payload", "attempts", "nextAttemptAt"';

/**
 * Delivers the outbox. A row is claimed by one worker (FOR UPDATE SKIP LOCKED on PostgreSQL;
 * SQLite has one writer) and marked sent once Telegram accepts it, a few rows per statement. Sends are paced under
 * the overall rate and one a second per chat; 429 pauses everything for its retry_after, 403 marks
 * the traveller unreachable, 5xx and network errors retry with backoff.
 * A claim left by a killed worker is taken again after claimMs; a worker whose claim ran out while
 * its send waited sends nothing of that row (see stillClaimed). Telegram takes no idempotency key,
 * so a message it accepted in the instant before a kill, before its row was written, goes again:
 * at most the in-flight limit per kill.
 */
export function createOutboxWorker(deps: OutboxWorkerDeps) {
  const { db, api, logger, now } = deps;
  const maxAttempts = deps.maxAttempts ?? 8;
  const { ratePerSecond, paid } = sendRate(deps.ratePerSecond, deps.paidBroadcast ?? false, deps.repliesPay);
  const pacer = deps.pacer ?? new SendPacer(ratePerSecond);
  // 1,000/s over a 150 ms round trip at most; 16 whatever the rate, as a local Bot API server needs.
  const maxInFlight = Math.min(deps.maxInFlight ?? 256, pacer.maxInFlight);
  const inFlightLimit = new InFlightLimit(ratePerSecond, 16, maxInFlight);
  // Two seconds of sending per claim: enough to keep the pace, small enough to share with other instances.
  const batchSize = Math.max(10, Math.ceil(ratePerSecond * 2));

  const claimMs = deps.claimMs ?? 30_000;
  async function claim(): Promise<Row[]> {
    const at = now();
    const until = new Date(at.getTime() + claimMs);
    // One statement claims the rows, so two claims (two instances, or a claim made ahead) never share one.
    const claimed =
      deps.provider === 'postgresql'
        ? await db.$queryRawUnsafe<ClaimedRow[]>(
            `UPDATE "OutboxMessage" SET "state" = 'sending', "claimedBy" = $1, "claimedUntil" = $2
         WHERE "id" IN (
           SELECT "id" FROM "OutboxMessage"
           WHERE ("state" = 'pending' AND "nextAttemptAt" <= $3) OR ("state" = 'sending' AND "claimedUntil" < $3)
           ORDER BY "nextAttemptAt" LIMIT $4 FOR UPDATE SKIP LOCKED)
         RETURNING ${RETURNED}`,
            deps.instanceId,
            until,
            at,
            batchSize,
          )
        : // SQLite has one writer, and runs the statement whole (DateTime columns hold milliseconds). Each
          // kind of due row is read in index order up to the batch: an OR over both would collect every
          // pending row and sort them, 30-50 ms at 100,000 rows, with the event loop (and the pace) stopped.
          await db.$queryRawUnsafe<ClaimedRow[]>(
            `UPDATE "OutboxMessage" SET "state" = 'sending', "claimedBy" = ?, "claimedUntil" = ?
         WHERE "id" IN (
           SELECT "id" FROM (
             SELECT "id", "nextAttemptAt" FROM (SELECT "id", "nextAttemptAt" FROM "OutboxMessage" WHERE "state" = 'pending' AND "nextAttemptAt" <= ? ORDER BY "nextAttemptAt" LIMIT ?)
             UNION ALL
             SELECT "id", "nextAttemptAt" FROM (SELECT "id", "nextAttemptAt" FROM "OutboxMessage" WHERE "state" = 'sending' AND "claimedUntil" < ? ORDER BY "nextAttemptAt" LIMIT ?)
           ) ORDER BY "nextAttemptAt" LIMIT ?)
         RETURNING ${RETURNED}`,
            deps.instanceId,
            until.getTime(),
            at.getTime(),
            batchSize,
            at.getTime(),
            batchSize,
            batchSize,
          );
    const fresh = claimed.filter((r) => !held.has(r.id));
    for (const r of fresh) {
      held.add(r.id);
      leases.set(r.id, until.getTime());
    }
    return (
      fresh
        .sort((a, b) => new Date(a.nextAttemptAt).getTime() - new Date(b.nextAttemptAt).getTime())
        // Raw results: PostgreSQL hands back jsonb parsed, SQLite its JSON as text.
        .map((r) => ({
          id: r.id,
          userId: r.userId,
          kind: r.kind,
          attempts: Number(r.attempts),
          payload: typeof r.payload === 'string' ? (JSON.parse(r.payload) as unknown) : r.payload,
        }))
    );
  }

  // The hot path at broadcast rates: rows Telegram accepted are marked sent a few at a time, in
  // one statement. A send keeps its in-flight slot until its row is written, so what a kill can
  // send twice stays bounded by maxInFlight.
  // Rows this worker has claimed and not yet finished (sending, or sent and waiting for their group's
  // write): never handed out twice by this worker, however slow Telegram or the write.
  const held = new Set<string>();
  // Until when each held row's claim is this worker's: before then no other claim can take it.
  const leases = new Map<string, number>();
  const release = (id: string) => {
    held.delete(id);
    leases.delete(id);
  };

  /**
   * Whether the row may be sent now: its claim is this worker's and has time left. A claim half spent
   * (the send waited behind a 429 pause or a slow chat) is renewed by a compare-and-set on its
   * holder; when that matches nothing, the claim ran out and another worker took the row over, which
   * sends it, so this one must not. Renewed early, a claim cannot run out between this check and the send.
   */
  async function stillClaimed(id: string): Promise<boolean> {
    const at = now().getTime();
    if ((leases.get(id) ?? 0) - at > claimMs / 2) return true;
    const until = at + claimMs;
    const { count } = await db.outboxMessage.updateMany({
      where: { id, state: 'sending', claimedBy: deps.instanceId },
      data: { claimedUntil: new Date(until) },
    });
    if (count) leases.set(id, until);
    return count > 0;
  }
  const sentRows = createGroupWriter<string>(
    (ids) => {
      const sql =
        deps.provider === 'postgresql'
          ? `UPDATE "OutboxMessage" SET "state" = 'sent', "sentAt" = $1, "attempts" = "attempts" + 1, "claimedBy" = NULL, "claimedUntil" = NULL WHERE "id" IN (${ids.map((_, i) => `$${i + 2}`).join(', ')})`
          : `UPDATE "OutboxMessage" SET "state" = 'sent', "sentAt" = ?, "attempts" = "attempts" + 1, "claimedBy" = NULL, "claimedUntil" = NULL WHERE "id" IN (${ids.map(() => '?').join(', ')})`;
      return db.$executeRawUnsafe(sql, deps.provider === 'postgresql' ? now() : now().getTime(), ...ids);
    },
    // At 1,000/s, 20 ms gathers about 20 rows a statement: a fifth of the statements eight at a time took
    // (each costs some 0.3 ms of Prisma's CPU), for 15 ms more in flight, well inside the limit.
    // While a write is under way the rows sent meanwhile wait for it and go together in the next.
    { maxItems: Math.max(1, Math.min(50, Math.floor(maxInFlight / 2))), maxDelayMs: 20, maxPerWrite: maxInFlight },
  );

  const stats = new DeliveryStats();
  const statsEveryMs = deps.statsEveryMs ?? 10_000;

  // Only while the claim is still this worker's: a row another worker took over (and perhaps sent) stays as that one leaves it.
  const finish = (id: string, data: Record<string, unknown>) =>
    db.outboxMessage
      .updateMany({ where: { id, claimedBy: deps.instanceId }, data: { claimedBy: null, claimedUntil: null, ...data } })
      .finally(() => release(id));

  // Chats that answered 403 recently: their later rows are not sent (the database says so too, for the next claim).
  const blockedNow = new Set<number>();

  async function send(row: Row, user: RenderUser, message: RenderedMessage): Promise<void> {
    if (blockedNow.has(user.telegramId)) {
      pacer.landed(Date.now()); // never sent
      await finish(row.id, { state: 'unreachable' });
      return;
    }
    if (!(await stillClaimed(row.id))) {
      pacer.landed(Date.now()); // never sent
      release(row.id);
      logger.info({ outboxId: row.id }, 'a message another worker took over is left to it');
      return;
    }
    const options = {
      parse_mode: 'HTML' as const,
      link_preview_options: { is_disabled: true },
      ...(message.keyboard ? { reply_markup: message.keyboard } : {}),
    };
    try {
      const sent = message.photo
        ? api.sendPhoto(message.chatId, new InputFile(message.photo, 'esim-qr.png'), {
            caption: message.text,
            parse_mode: 'HTML',
            ...(message.keyboard ? { reply_markup: message.keyboard } : {}),
          })
        : message.editMessageId
          ? api.editMessageText(message.chatId, message.editMessageId, message.text, options)
          : api.sendMessage(message.chatId, message.text, {
              ...options,
              ...(paid ? { allow_paid_broadcast: true } : {}),
            });
      const leftAt = performance.now();
      await sent.finally(() => {
        pacer.landed(Date.now(), user.telegramId);
        stats.answered(performance.now() - leftAt);
      });
      const orderId = (row.payload as { orderId?: unknown } | null)?.orderId;
      if (row.kind === 'receipt' && typeof orderId === 'string')
        orderStepDone({ orderId, kind: 'receipt_sent', travellerId: row.userId });
    } catch (error) {
      if (message.editMessageId && error instanceof GrammyError && error.error_code === 400) {
        // Deleted, too old to edit, or saying this already: the traveller has the news in a message of its own.
        logger.info(
          { outboxId: row.id, description: error.description },
          'a message could not be edited; left as it is',
        );
        await finish(row.id, {
          state: 'sent',
          sentAt: now(),
          attempts: row.attempts + 1,
          lastError: error.description,
        });
      } else if (error instanceof GrammyError && error.error_code === 403) {
        if (blockedNow.size > 10_000) blockedNow.clear();
        blockedNow.add(user.telegramId);
        await db.user.update({ where: { id: user.id }, data: { reachable: false } });
        await deps.onUnreachable?.(user.telegramId);
        await finish(row.id, { state: 'unreachable', lastError: error.description });
      } else if (error instanceof GrammyError && error.error_code === 429) {
        const waitMs = (error.parameters.retry_after ?? 1) * 1000;
        pacer.pause(Date.now() + waitMs);
        await finish(row.id, {
          state: 'pending',
          nextAttemptAt: new Date(now().getTime() + waitMs),
          lastError: error.description,
        });
      } else if ((error instanceof GrammyError && error.error_code >= 500) || error instanceof HttpError) {
        const attempts = row.attempts + 1;
        const backoff = Math.min(2 ** attempts * 1000, 10 * 60_000);
        await finish(row.id, {
          state: attempts >= maxAttempts ? 'failed' : 'pending',
          attempts,
          nextAttemptAt: new Date(now().getTime() + backoff),
          lastError: String(error).slice(0, 500),
        });
      } else {
        logger.error({ err: error, outboxId: row.id }, 'outbox message rejected');
        await finish(row.id, { state: 'failed', attempts: row.attempts + 1, lastError: String(error).slice(0, 500) });
      }
      return;
    }
    // Telegram has it. Should the write fail, the row is claimed again after claimMs and may go twice.
    await sentRows
      .add(row.id)
      .catch((error) => logger.error({ err: error, outboxId: row.id }, 'a sent message could not be marked sent'))
      .finally(() => release(row.id));
  }

  /** The batch, and its travellers and what its messages need (prepare), read in a few queries. */
  async function claimAndRead(): Promise<Claimed> {
    const started = performance.now();
    const rows = await claim();
    const claimedAt = performance.now();
    if (!rows.length) return { rows, users: new Map() };
    const users = await db.user.findMany({
      where: { id: { in: [...new Set(rows.map((r) => r.userId))] } },
      // What rendering needs, not the whole row: at 1,000 a second Prisma's cost goes with the columns read.
      select: {
        id: true,
        telegramId: true,
        language: true,
        timezone: true,
        alertExpiry: true,
        alertNotices: true,
        reachable: true,
      },
    });
    await deps.prepare?.(rows);
    stats.claimed(claimedAt - started, performance.now() - claimedAt);
    return { rows, users: new Map(users.map((u) => [u.id, u])) };
  }

  const inFlight = new Set<Promise<void>>();
  // Wake the sending loop when a send gives its slot back. A Promise.race over every send in flight,
  // made for each departure, left a reaction on each of them: hundreds per send at broadcast rates.
  let slotWaiters: Array<() => void> = [];
  // At broadcast rates the next batch is claimed and read while the last quarter of a full batch goes
  // out, so the pace does not stall between batches.
  let prefetched: Promise<Claimed> | null = null;
  const readAhead = (): Promise<Claimed> => {
    const ahead = claimAndRead();
    // Awaited by the next runOnce or idle(); a failure meanwhile must not count as unhandled.
    ahead.catch(() => undefined);
    return ahead;
  };

  return {
    /**
     * One batch: claims what is due and sends it at the allowed pace. Returns how many rows it handled.
     * With `{ wait: false }` it returns once the last send has started, so the next claim overlaps
     * the tail of this batch (the delivery loop's way of keeping the pace between batches).
     */
    async runOnce(options: { wait?: boolean } = {}): Promise<number> {
      const { rows, users } = await (prefetched ?? claimAndRead());
      prefetched = null;
      if (!rows.length) {
        await Promise.all([...inFlight]);
        return 0;
      }
      const batch: Promise<void>[] = [];
      const prefetchAt = rows.length >= batchSize && options.wait === false ? Math.floor(rows.length * 0.75) : -1;
      for (const [index, row] of rows.entries()) {
        if (index === prefetchAt) prefetched = readAhead();
        const record = users.get(row.userId);
        if (!record || !record.reachable) {
          await finish(row.id, { state: 'unreachable' });
          continue;
        }
        const user: RenderUser = {
          id: record.id,
          telegramId: Number(record.telegramId),
          language: record.language,
          timezone: record.timezone,
          alertExpiry: record.alertExpiry,
          alertNotices: record.alertNotices,
        };
        let message: RenderedMessage | null;
        try {
          message = await deps.render(row, user);
        } catch (error) {
          logger.error({ err: error, outboxId: row.id }, 'outbox message could not be rendered');
          await finish(row.id, { state: 'failed', lastError: String(error).slice(0, 500) });
          continue;
        }
        if (!message) {
          await finish(row.id, { state: 'sent', sentAt: now(), lastError: 'nothing to send any more' });
          continue;
        }
        // A second message to the same chat this batch would wait over a second: leave it for the next batch.
        if (pacer.chatFreeAt(user.telegramId) > Date.now() + 1500) {
          await finish(row.id, { state: 'pending', nextAttemptAt: new Date(now().getTime() + 1000) });
          continue;
        }
        const waitStarted = performance.now();
        while (inFlight.size >= inFlightLimit.current) await new Promise<void>((r) => slotWaiters.push(r));
        const paceStarted = performance.now();
        const at = pacer.reserve(user.telegramId, Date.now());
        const wait = at - Date.now();
        // Timers are coarser than a millisecond gap: sleep only when it is worth it, and let the
        // pacer's schedule (3% under the limit) absorb the few early sends.
        if (wait >= 2) await new Promise((r) => setTimeout(r, wait));
        // The chat's previous message may have been answered late, after this slot was given.
        const chatWait = pacer.chatClearAt(user.telegramId) - Date.now();
        if (chatWait > 0) await new Promise((r) => setTimeout(r, chatWait));
        pacer.departed();
        const departedAt = performance.now();
        stats.departed(inFlight.size, paceStarted - waitStarted, departedAt - paceStarted);
        // The slot is held until the answer is in and the row written: that whole time sizes the limit.
        const task = send(row, user, message).finally(() => {
          inFlight.delete(task);
          inFlightLimit.held(performance.now() - departedAt);
          stats.released(performance.now() - departedAt);
          const waiters = slotWaiters;
          slotWaiters = [];
          waiters.forEach((wake) => wake());
        });
        inFlight.add(task);
        batch.push(task);
        if (stats.elapsedMs >= statsEveryMs)
          logger.info({ outbox: stats.take(inFlightLimit.current) }, 'outbox delivery');
      }
      if (options.wait !== false) await Promise.all(batch);
      return rows.length;
    },

    /** Where the sending time went since the last call (or log line). */
    stats(): DeliverySnapshot {
      return stats.take(inFlightLimit.current);
    },

    /** Waits for every send under way and hands back a claim made ahead (before stopping). */
    async idle(): Promise<void> {
      await Promise.all([...inFlight]);
      const ahead = prefetched ? (await prefetched).rows : [];
      prefetched = null;
      if (ahead.length)
        await db.outboxMessage.updateMany({
          where: { id: { in: ahead.map((r) => r.id) }, state: 'sending' },
          data: { state: 'pending', claimedBy: null, claimedUntil: null },
        });
      for (const r of ahead) release(r.id);
    },
  };
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;

/** Telegram's one message a second to a chat. */
export const TELEGRAM_CHAT_SECOND_MS = 1000;
/** Telegram's free overall rate; faster sends are refused with 429 unless they pay. */
export const FREE_MESSAGES_PER_SECOND = 30;
/** What the outbox leaves of the free rate for replies when replies may not pay for theirs. */
export const REPLY_ROOM_PER_SECOND = 10;
/** Telegram's limit for messages that carry allow_paid_broadcast. */
export const PAID_MESSAGES_PER_SECOND = 1000;

/**
 * The process's one send budget: the outbox's rate for broadcasts, with replies counted in it and
 * going first. When replies may not pay, any second holds at most the free rate, the outbox's share
 * of it kept lower so the rest is theirs.
 */
export function createSendBudget(
  configured: number,
  paidBroadcast: boolean,
  repliesPay: boolean,
  chatSecondMs = TELEGRAM_CHAT_SECOND_MS,
): SendPacer {
  const { ratePerSecond } = sendRate(configured, paidBroadcast, repliesPay);
  const cap = repliesPay ? PAID_MESSAGES_PER_SECOND : FREE_MESSAGES_PER_SECOND;
  return new SendPacer(ratePerSecond, chatSecondMs, 2, FREE_MESSAGES_PER_SECOND, cap);
}

/**
 * The rate the worker keeps, and whether its messages pay for it (only when above the free rate).
 * When replies may not pay (`repliesPay` false), the outbox stays under the free rate with room for them.
 */
export function sendRate(
  configured: number,
  paidBroadcast: boolean,
  repliesPay = true,
): { ratePerSecond: number; paid: boolean } {
  if (!repliesPay)
    return { ratePerSecond: Math.min(configured, FREE_MESSAGES_PER_SECOND - REPLY_ROOM_PER_SECOND), paid: false };
  if (configured <= FREE_MESSAGES_PER_SECOND) return { ratePerSecond: configured, paid: false };
  return paidBroadcast
    ? { ratePerSecond: Math.min(configured, PAID_MESSAGES_PER_SECOND), paid: true }
    : { ratePerSecond: FREE_MESSAGES_PER_SECOND, paid: false };
}
