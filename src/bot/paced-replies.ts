import { autoRetry } from '@grammyjs/auto-retry';
import type { Transformer } from 'grammy';
import type { SendPacer } from '../jobs/send-pacer.js';
import type { Logger } from '../logger.js';

/** The calls Telegram counts as messages sent: paced in the process's send budget. */
const SENDS = new Set(['sendMessage', 'sendPhoto', 'sendVenue', 'sendLocation', 'sendDocument', 'sendInvoice']);
/** Marks a reply whose result nobody reads (see `say`): held back, it is sent later instead of awaited. */
export const SEND_LATER = 'kuota_send_later';
/** A reply may wait this long for its slot inside the update; longer, it is sent later, outside it. */
const MAX_WAIT_MS = 1200;
/** A reply sent later gives up after this many refusals (about as many seconds of 429s at least). */
const MAX_LATER_ATTEMPTS = 30;

export type PacedRepliesOptions = {
  budget: SendPacer;
  /** Replies pay (allow_paid_broadcast) while the free rate is spent by what left in the last second. */
  pay: boolean;
  logger: Logger;
};

/**
 * Replies to travellers in the process's send budget, ahead of broadcasts, and never waiting out a
 * 429 inside the update: a reply marked SEND_LATER that is held back (by Telegram or by the budget)
 * is answered at once and sent as soon as it may go; any other send that meets a 429 fails at once
 * (the handler decides). Other calls (answerCallbackQuery, edits…) retry a 429 a few times, as before.
 */
export function pacedReplies(options: PacedRepliesOptions): Transformer {
  const { budget, logger } = options;
  const retrying = autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 10, rethrowHttpErrors: true });

  const sendNow: Transformer = async (prev, method, payload, signal) => {
    const chatId = Number((payload as { chat_id?: unknown }).chat_id);
    const slot = budget.reply(chatId, Date.now(), MAX_WAIT_MS);
    const wait = slot.at - Date.now();
    if (!slot.taken) return refused(Math.ceil(wait / 1000));
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const paid = options.pay && budget.freeSpentAt(Date.now());
    budget.departed(Date.now());
    try {
      const answer = await prev(method, paid ? { ...payload, allow_paid_broadcast: true } : payload, signal);
      if (!answer.ok && answer.error_code === 429)
        budget.holdChat(chatId, Date.now() + (answer.parameters?.retry_after ?? 1) * 1000);
      return answer;
    } finally {
      budget.replied(chatId, Date.now());
    }
  };

  function later(
    call: () => ReturnType<Transformer>,
    retryAfterSeconds: number,
    attempt: number,
    context: { method: string; chatId: unknown },
  ): void {
    setTimeout(() => void send(), retryAfterSeconds * 1000).unref();
    async function send(): Promise<void> {
      try {
        const answer = (await call()) as {
          ok: boolean;
          error_code?: number;
          description?: string;
          parameters?: { retry_after?: number };
        };
        if (answer.ok) return;
        if (answer.error_code === 429 && attempt < MAX_LATER_ATTEMPTS)
          return later(call, answer.parameters?.retry_after ?? 1, attempt + 1, context);
        logger.warn(
          { ...context, error: answer.description, attempt },
          'a reply held back by the rate limit was not sent',
        );
      } catch (error) {
        logger.warn({ ...context, err: error, attempt }, 'a reply held back by the rate limit was not sent');
      }
    }
  }

  return async (prev, method, payload, signal) => {
    if (!SENDS.has(method)) return retrying(prev, method, payload, signal);
    const marked = payload as Record<string, unknown>;
    if (!marked[SEND_LATER]) return sendNow(prev, method, payload, signal);
    const { [SEND_LATER]: _, ...clean } = marked;
    const call = () => sendNow(prev, method, clean as typeof payload);
    const answer = await call();
    if (answer.ok || answer.error_code !== 429) return answer;
    later(call, answer.parameters?.retry_after ?? 1, 1, { method, chatId: marked.chat_id });
    // The traveller gets the message once it may go; the update is done now.
    return { ok: true, result: true } as unknown as Awaited<typeof answer>;
  };
}

/** What Telegram answers a send beyond its limits; the budget says the same before asking it. */
function refused(retryAfterSeconds: number) {
  return {
    ok: false as const,
    error_code: 429,
    description: `Too Many Requests: retry after ${retryAfterSeconds}`,
    parameters: { retry_after: retryAfterSeconds },
  };
}
