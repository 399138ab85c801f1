import { leanFetch } from '../adapters/telegram/lean-fetch.js';
import type { UserFromGetMe } from 'grammy/types';
import type { i18n } from 'i18next';
import type { Database } from '../adapters/db/client.js';
import { setCommandMenus } from '../bot/command-menu.js';
import { createBot } from '../bot/create-bot.js';
import { DEFAULT_LANGUAGE } from '../bot/i18n.js';
import { createOutboxRenderer } from '../bot/messages/outbox-renderer.js';
import { receiveUpdates } from '../bot/receive-updates.js';
import type { Config } from '../config.js';
import { createOutboxWorker, createSendBudget } from '../jobs/outbox-worker.js';
import type { Adapters } from './adapters.js';
import type { Observability } from './observe.js';
import { repliesPay, type Services } from './services.js';

export type TelegramContext = {
  config: Config;
  database: Database;
  adapters: Adapters;
  services: Services;
  observe: Observability;
  i18n: i18n;
  now: () => Date;
  instanceId: string;
  botInfo?: UserFromGetMe;
};

/** The chat side: the bot, how its updates arrive, and the outbox that writes to travellers. */
export function createTelegram(c: TelegramContext) {
  const { config, services, adapters, observe, i18n, now } = c;
  const { logger, db } = adapters;
  // Telegram gives long-polled updates to one receiver; by webhook, other instances may share them.
  let polling = false;
  const pay = repliesPay(config);
  // One budget for the process: the outbox's broadcasts and the bot's replies, replies first.
  const sendBudget = createSendBudget(
    config.OUTBOX_RATE_PER_SECOND,
    config.OUTBOX_PAID_BROADCAST,
    pay,
    config.TELEGRAM_PER_CHAT_MS,
  );
  const bot = createBot({
    chatLocks: services.chatLocks,
    handlesUpdatesAlone: () => c.database.provider === 'sqlite' || polling,
    token: config.TELEGRAM_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    // The outbox's client: node-fetch cost more CPU a call, and a kept-alive connection the server closed is tried again.
    fetch: leanFetch,
    services,
    i18n,
    db,
    logger,
    now,
    supportContact: config.SUPPORT_CONTACT,
    botInfo: c.botInfo,
    consoleUrl: `${(config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, '')}/console`,
    replies: { budget: sendBudget, pay },
    observeCalls: observe.telegramCalls(),
    onHandled: (kind, seconds, failed) =>
      observe.metrics.updates.observe({ kind, result: failed ? 'failed' : 'ok' }, seconds),
  });
  adapters.outboxApi.config.use(observe.telegramCalls({ outbox: true }));
  const updates = receiveUpdates(bot, {
    webhookUrl: config.TELEGRAM_WEBHOOK_URL,
    webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
    logger,
    setCommands: () => setCommandMenus(bot.api, i18n, logger),
    // On PostgreSQL a handler spends most of its time waiting for the database's answers, not on the
    // CPU: 32 at once left taps queued for seconds behind each other in a reminder wave (bench:wave).
    concurrentUpdates: c.database.provider === 'postgresql' ? 96 : 32,
  });
  const render = createOutboxRenderer({
    db,
    orders: services.orders,
    i18n,
    defaultLanguage: DEFAULT_LANGUAGE,
    now,
    autoRenew: services.autoRenew,
    installDetails: services.newEsims.install,
    esimAfterSale: services.newEsims.afterSale,
  });
  const outbox = createOutboxWorker({
    db,
    provider: c.database.provider,
    api: adapters.outboxApi,
    render,
    prepare: render.prepare,
    logger,
    now,
    instanceId: c.instanceId,
    ratePerSecond: config.OUTBOX_RATE_PER_SECOND,
    onUnreachable: services.users.changed,
    paidBroadcast: config.OUTBOX_PAID_BROADCAST,
    repliesPay: pay,
    pacer: sendBudget,
  });
  return {
    bot,
    outbox,
    updates,
    /** Decided at start: long polling, or the webhook. */
    set polling(value: boolean) {
      polling = value;
    },
  };
}

export type Telegram = ReturnType<typeof createTelegram>;
