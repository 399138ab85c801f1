import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { UserFromGetMe } from 'grammy/types';
import type { Database } from './adapters/db/client.js';
import { createI18n } from './bot/i18n.js';
import type { Config } from './config.js';
import { createJobs } from './jobs/jobs.js';
import { createLifecycle } from './lifecycle.js';
import type { Logger } from './logger.js';
import { createAdapters, type AdapterOverrides } from './wiring/adapters.js';
import { createHttp } from './wiring/http.js';
import { createObservability } from './wiring/observe.js';
import { createOutboxSignal } from './wiring/outbox-signal.js';
import { createServices } from './wiring/services.js';
import { createTelegram } from './wiring/telegram.js';

export type AppDeps = AdapterOverrides & {
  config: Config;
  logger: Logger;
  database: Database;
  now?: () => Date;
  botInfo?: UserFromGetMe;
};

export type App = Awaited<ReturnType<typeof createApp>>;

/**
 * Kuota as a list of parts: adapters, services, the chat side, the HTTP side, the jobs. It reads no
 * file and calls nothing outside; start() and stop() are the lifecycle's.
 */
export async function createApp(deps: AppDeps) {
  const { config, logger, database } = deps;
  const now = deps.now ?? (() => new Date());
  const instanceId = randomUUID();
  const signal = createOutboxSignal();
  const observe = createObservability(database, logger);
  // The bot's username is known once it has identified itself (getMe); nothing asks for it before.
  const botUsername = () => telegram.bot.botInfo.username;
  const adapters = createAdapters(config, database, logger, deps, botUsername);
  const services = createServices({ config, database, adapters, now, instanceId, signal, botUsername });
  const i18n = await createI18n();
  const telegram = createTelegram({ ...deps, adapters, services, observe, i18n, now, instanceId });
  const server = await createHttp({ config, adapters, services, telegram, observe, signal, botUsername });
  const jobs = createJobs({
    ...services,
    outbox: telegram.outbox,
    outboxPollMs: config.OUTBOX_POLL_MS,
    logger,
    signal,
    failed: observe.failed,
    balance: services.operator.balance.supported ? services.operator.balance : undefined,
    overviewAhead: services.operator.overviewAhead,
    catalogSync: services.esim.sync,
    crons: {
      sweep: config.JOBS_SWEEP_CRON,
      reminders: config.REMINDER_SCAN_CRON,
      autoRenew: config.AUTO_RENEW_CRON,
      housekeeping: config.HOUSEKEEPING_CRON,
      lowData: config.LOW_DATA_CRON,
      balance: config.BALANCE_CHECK_CRON,
      consoleDays: config.CONSOLE_DAYS_CRON,
      reconcile: config.RECONCILE_CRON,
      catalogSync: config.CATALOG_SYNC_CRON,
    },
  });
  return {
    ...services,
    ...createLifecycle({ config, telegram, server, jobs, services, onStopped: observe.close }),
    services,
    bot: telegram.bot,
    updates: telegram.updates,
    outbox: telegram.outbox,
    provider: adapters.provider,
    metrics: observe.metrics,
    server,
    db: database.db,
    i18n,
    /** This process's name in leases and outbox claims. */
    instanceId,
    /** The port the HTTP server listens on (after start). */
    get port(): number {
      return (server.server.address() as AddressInfo).port;
    },
  };
}
