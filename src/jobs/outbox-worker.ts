import { GrammyError, HttpError, type Api } from 'grammy';
import type { Db } from '../adapters/db/client.js';
import type { RenderedMessage, OutboxRow } from '../bot/messages/outbox-renderer.js';
import type { Logger } from '../logger.js';

export type OutboxWorkerDeps = {
  db: Db;
  api: Api;
  render: (row: OutboxRow) => Promise<RenderedMessage | null>;
  logger: Logger;
  now: () => Date;
  instanceId: string;
  batchSize?: number;
  maxAttempts?: number;
};

const CLAIM_MS = 60_000;

/**
 * Sends queued messages. A row is claimed by one worker with a conditional update before it is
 * sent, and marked sent right after, so neither a second instance nor a retry sends it twice.
 */
export function createOutboxWorker(deps: OutboxWorkerDeps) {
  const { db, api, logger, now } = deps;
  const maxAttempts = deps.maxAttempts ?? 8;

  async function claimBatch() {
    const at = now();
    const due = await db.outboxMessage.findMany({
      where: { OR: [{ state: 'pending', nextAttemptAt: { lte: at } }, { state: 'sending', claimedUntil: { lt: at } }] },
      orderBy: { nextAttemptAt: 'asc' },
      take: deps.batchSize ?? 25,
    });
    const claimed = [];
    for (const row of due) {
      const { count } = await db.outboxMessage.updateMany({
        where: { id: row.id, state: row.state, claimedUntil: row.claimedUntil },
        data: { state: 'sending', claimedBy: deps.instanceId, claimedUntil: new Date(at.getTime() + CLAIM_MS) },
      });
      if (count) claimed.push(row);
    }
    return claimed;
  }

  async function deliver(row: Awaited<ReturnType<typeof claimBatch>>[number]): Promise<void> {
    const finish = (data: Record<string, unknown>) => db.outboxMessage.update({ where: { id: row.id }, data: { claimedBy: null, claimedUntil: null, ...data } });
    let message: RenderedMessage | null;
    try {
      message = await deps.render(row);
    } catch (error) {
      logger.error({ err: error, outboxId: row.id }, 'outbox message could not be rendered');
      await finish({ state: 'failed', lastError: String(error).slice(0, 500) });
      return;
    }
    if (!message) {
      await finish({ state: 'sent', sentAt: now(), lastError: 'nothing to send' });
      return;
    }
    const user = await db.user.findUnique({ where: { id: row.userId }, select: { reachable: true } });
    if (user && !user.reachable) {
      await finish({ state: 'unreachable' });
      return;
    }
    try {
      await api.sendMessage(message.chatId, message.text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...(message.keyboard ? { reply_markup: message.keyboard } : {}) });
      await finish({ state: 'sent', sentAt: now(), attempts: row.attempts + 1 });
    } catch (error) {
      if (error instanceof GrammyError && error.error_code === 403) {
        await db.user.update({ where: { id: row.userId }, data: { reachable: false } });
        await finish({ state: 'unreachable', lastError: error.description });
      } else if (error instanceof GrammyError && error.error_code === 429) {
        const wait = (error.parameters.retry_after ?? 1) * 1000;
        await finish({ state: 'pending', nextAttemptAt: new Date(now().getTime() + wait), lastError: error.description });
      } else if ((error instanceof GrammyError && error.error_code >= 500) || error instanceof HttpError) {
        const attempts = row.attempts + 1;
        const backoff = Math.min(2 ** attempts * 1000, 10 * 60_000);
        await finish({ state: attempts >= maxAttempts ? 'failed' : 'pending', attempts, nextAttemptAt: new Date(now().getTime() + backoff), lastError: String(error).slice(0, 500) });
      } else {
        logger.error({ err: error, outboxId: row.id }, 'outbox message rejected');
        await finish({ state: 'failed', attempts: row.attempts + 1, lastError: String(error).slice(0, 500) });
      }
    }
  }

  return {
    /** One pass: claims what is due and sends it. Returns how many rows it handled. */
    async runOnce(): Promise<number> {
      const rows = await claimBatch();
      for (const row of rows) await deliver(row);
      return rows.length;
    },
  };
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;
