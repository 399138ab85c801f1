import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { createJobs } from './jobs/jobs.js';
import type { Services } from './wiring/services.js';
import type { Telegram } from './wiring/telegram.js';

export type LifecycleParts = {
  config: Config;
  telegram: Telegram;
  server: FastifyInstance;
  jobs: ReturnType<typeof createJobs>;
  services: Services;
  /** Last of all: what watched the app (the order-step log). */
  onStopped(): void;
};

/**
 * Owns the order of start and stop. Start: who the bot is, the HTTP server, updates, then the jobs.
 * Stop: no new updates (those under way finish, the ones queued behind them in a chat too), no new
 * webhooks, no new job ticks, the top-ups under way, then delivery; all bounded by `deadline`.
 */
export function createLifecycle({ config, telegram, server, jobs, services, onStopped }: LifecycleParts) {
  return {
    /** getMe once; the process's start-up retries it (see start-up/retry.ts). */
    identify: () => telegram.updates.identify(),

    async start(options: { port?: number; polling?: boolean } = {}): Promise<void> {
      await telegram.updates.identify();
      await server.listen({ port: options.port ?? config.PORT, host: config.HOST });
      telegram.polling = telegram.updates.byPolling(options);
      await telegram.updates.start(options);
      jobs.start();
    },

    /** Resolves when everything stopped, or when `deadline` aborts (what is left is abandoned: the process exits). */
    async stop(deadline: AbortSignal = new AbortController().signal): Promise<void> {
      const within = <T>(work: Promise<T>) =>
        Promise.race([
          work,
          new Promise<void>((resolve) => {
            if (deadline.aborted) resolve();
            deadline.addEventListener('abort', () => resolve(), { once: true });
          }),
        ]);
      await within(telegram.updates.stop(deadline));
      await within(server.close());
      await within(jobs.stopSchedules());
      await within(services.background.settle());
      await within(jobs.stopDelivery());
      await within(services.chatLocks.close());
      await within(services.changes.close());
      onStopped();
    },
  };
}
