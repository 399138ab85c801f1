import { run, type RunnerHandle } from '@grammyjs/runner';
import type { Bot, Context } from 'grammy';
import type { Logger } from '../logger.js';

const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member', 'pre_checkout_query'] as const;
/**
 * Updates handled at once by long polling, by default. The runner's default, 500, holds a burst's worth of
 * half-done updates in memory (RSS above 450 MB in bench:updates) without answering any sooner:
 * two cores and one database are busy long before 32 updates are under way.
 */
const CONCURRENT_UPDATES = 32;

export type ReceiveOptions = {
  /** Set: Telegram posts updates to this URL (the HTTP server's /webhooks/telegram). Unset: long polling. */
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
  logger: Logger;
  /** Sets the command menu in each language (a failure is logged, never fatal). */
  setCommands(): Promise<void>;
  /** Long polling's updates under way at once (32): more where a handler mostly waits on the database's network round trips. */
  concurrentUpdates?: number;
};

/** Between failed polls: fixed, since the runner's doubling sleep reached 44 s after a minute without Telegram. */
const RETRY_MS = 2_000;

/** How updates reach the bot: by webhook (the HTTP server takes them) or by long polling with the runner. */
export function receiveUpdates<C extends Context>(bot: Bot<C>, options: ReceiveOptions) {
  const { logger } = options;
  let runner: RunnerHandle | undefined;
  let stopping = false;
  const fatal = new Set<(error: unknown) => void>();
  return {
    /** Who the bot is, once: bot.init() would retry an unreachable Telegram or a wrong token without end. */
    async identify(): Promise<void> {
      if (!bot.isInited()) bot.botInfo = await bot.api.getMe();
      await bot.init();
    },
    /** Whether start() will poll (no webhook URL, or asked to) rather than take updates by webhook. */
    byPolling(start: { polling?: boolean } = {}): boolean {
      return !options.webhookUrl || start.polling === true;
    },
    async start(start: { polling?: boolean } = {}): Promise<void> {
      // Not awaited: the command menus are cosmetic, and updates need not wait for them.
      void options.setCommands().catch((err) => logger.warn({ err }, 'command menus not set'));
      if (options.webhookUrl && !this.byPolling(start)) {
        await bot.api.setWebhook(options.webhookUrl, {
          secret_token: options.webhookSecret,
          allowed_updates: [...ALLOWED_UPDATES],
        });
        logger.info('receiving updates by webhook');
      } else {
        await bot.api.deleteWebhook();
        // silent: a failed poll is logged once per interval by the API observer, not printed by the runner.
        runner = run(bot, {
          runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] }, silent: true, retryInterval: RETRY_MS },
          sink: { concurrency: options.concurrentUpdates ?? CONCURRENT_UPDATES },
        });
        const task = runner.task();
        task?.catch((error: unknown) => {
          if (!stopping) for (const listener of fatal) listener(error);
        });
        logger.info({ username: bot.botInfo.username }, 'receiving updates by long polling');
      }
    },
    /** Long polling ended on its own (409: another instance polls with this token; 401: the token was revoked). */
    onFatal(listener: (error: unknown) => void): void {
      fatal.add(listener);
    },
    /**
     * Takes no new updates, then waits for the ones under way, those queued behind a slow update of
     * the same chat included: Telegram counts them as delivered once the next poll went out. The
     * runner's stop() does not wait for them (nor for its retry sleep, which is not awaited here).
     */
    async stop(signal: AbortSignal): Promise<void> {
      if (!runner) return;
      stopping = true;
      void runner.stop()?.catch(() => undefined);
      while (runner.size() > 0 && !signal.aborted) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
