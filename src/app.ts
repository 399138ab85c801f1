import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { run, type RunnerHandle } from '@grammyjs/runner';
import cron from 'node-cron';
import { Api } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { createChatLocks } from './adapters/db/chat-locks.js';
import type { Database } from './adapters/db/client.js';
import { createUserChanges } from './adapters/db/user-changes.js';
import { DigiflazzGateway } from './adapters/provider/digiflazz.js';
import type { ProviderGateway } from './adapters/provider/gateway.js';
import { SimulatorGateway } from './adapters/provider/simulator.js';
import { createStripeClient, StripePayments } from './adapters/stripe/stripe-payments.js';
import { createBot } from './bot/create-bot.js';
import { createI18n, DEFAULT_LANGUAGE, pickLanguage } from './bot/i18n.js';
import { createOutboxRenderer } from './bot/messages/outbox-renderer.js';
import type { Config } from './config.js';
import { json, createHttpServer } from './http/server.js';
import { telegramWebhookRoute } from './http/telegram-webhook.js';
import { startLoop } from './jobs/loop.js';
import { createOutboxWorker, sendRate } from './jobs/outbox-worker.js';
import type { Logger } from './logger.js';
import { parseWindows } from './domain/reminders.js';
import { createAutoRenewService } from './services/auto-renew.js';
import { createCatalogService, readCatalogFile } from './services/catalog.js';
import { createExpiryReminders } from './services/expiry-reminders.js';
import { createLeases } from './services/leases.js';
import { createNoticeService } from './services/notices.js';
import { createStoreService, parseStoreFile } from './services/stores.js';
import { createFulfilmentService } from './services/fulfilment.js';
import { createLineService } from './services/lines.js';
import { createOrderService } from './services/orders.js';
import { isAutoRenewEvent, type PaymentGateway } from './services/payment-gateway.js';
import { createPaymentService } from './services/payments.js';
import { createUserService } from './services/users.js';

export type AppDeps = {
  config: Config;
  logger: Logger;
  database: Database;
  /** Defaults follow the config: the simulator or the Digiflazz adapter, Stripe at its API. */
  provider?: ProviderGateway;
  payments?: PaymentGateway;
  now?: () => Date;
  botInfo?: UserFromGetMe;
};

export type App = Awaited<ReturnType<typeof createApp>>;

/** Builds Kuota from its parts; nothing starts until start(). */
export async function createApp(deps: AppDeps) {
  const { config, logger, database } = deps;
  const { db } = database;
  const now = deps.now ?? (() => new Date());
  const instanceId = randomUUID();

  const provider = deps.provider ?? createProvider(config);
  const botUsername = deps.botInfo?.username;
  const payments = deps.payments ?? new StripePayments(createStripeClient({ secretKey: config.STRIPE_SECRET_KEY, apiBase: config.STRIPE_API_BASE }), {
    secretKey: config.STRIPE_SECRET_KEY,
    webhookSecret: config.STRIPE_WEBHOOK_SECRET,
    apiBase: config.STRIPE_API_BASE,
    returnUrl: config.PUBLIC_URL ?? (botUsername ? `https://t.me/${botUsername}` : 'https://t.me'),
  });
  const base = { db, provider, payments, logger, now };

  const i18n = await createI18n();
  const userChanges = createUserChanges(config.DATABASE_URL, db);
  const users = createUserService({ db, defaultTimezone: config.DEFAULT_TIMEZONE, pickLanguage: (code) => pickLanguage(code), changes: userChanges });
  const catalog = createCatalogService({ db });
  const lines = createLineService(base);
  const orders = createOrderService({ ...base, catalog, options: { methods: config.PAYMENT_METHODS, checkoutMinutes: config.CHECKOUT_EXPIRES_MINUTES } });
  const fulfilment = createFulfilmentService(base);
  const notices = createNoticeService({ db, now, defaultLanguage: DEFAULT_LANGUAGE, ratePerSecond: sendRate(config.OUTBOX_RATE_PER_SECOND, config.OUTBOX_PAID_BROADCAST).ratePerSecond });
  const leases = createLeases(db, instanceId, now);
  const reminders = createExpiryReminders({ db, leases, now, windows: parseWindows(config.REMINDER_WINDOWS), leaseMs: 60_000 });

  // Top-ups start right after the webhook is answered; the sweep catches any that a crash interrupts.
  const inFlight = new Set<Promise<void>>();
  const fulfilSoon = (orderId: string) => {
    const task = fulfilment.fulfil(orderId).catch((err) => logger.error({ err, orderId }, 'fulfilment failed')).finally(() => {
      inFlight.delete(task);
      outboxLoop?.poke();
    });
    inFlight.add(task);
  };
  const paymentEvents = createPaymentService({ ...base, onPaid: fulfilSoon });
  const autoRenew = createAutoRenewService({
    ...base, catalog, leases, onPaid: fulfilSoon,
    options: {
      leadMs: config.AUTO_RENEW_HOURS_BEFORE * 3_600_000, maxAttempts: config.AUTO_RENEW_MAX_ATTEMPTS, retryMs: config.AUTO_RENEW_RETRY_MINUTES * 60_000,
      staleChargeMs: 5 * 60_000, setupMinutes: config.CHECKOUT_EXPIRES_MINUTES,
    },
  });

  if (await catalog.isEmpty()) {
    const loaded = await catalog.load(readCatalogFile(config.CATALOG_FILE));
    logger.info({ plans: loaded.upserted, file: config.CATALOG_FILE }, 'catalog loaded (empty database)');
  }

  const stores = createStoreService({ db });
  if (await stores.isEmpty()) {
    const loaded = await stores.load(parseStoreFile(config.STORES_FILE));
    logger.info({ stores: loaded.loaded, file: config.STORES_FILE }, 'partner stores loaded (empty database)');
  }
  const services = { users, lines, catalog, orders, notices, stores, autoRenew };
  const chatLocks = createChatLocks(config.DATABASE_URL);
  const bot = createBot({
    chatLocks, singleInstance: database.provider === 'sqlite', token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, services, i18n, db, logger, now,
    supportContact: config.SUPPORT_CONTACT, adminIds: config.ADMIN_IDS, botInfo: deps.botInfo,
  });

  const render = createOutboxRenderer({ db, orders, i18n, defaultLanguage: DEFAULT_LANGUAGE, now, autoRenew });
  const outbox = createOutboxWorker({
    db, provider: database.provider, api: new Api(config.TELEGRAM_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT }),
    render, logger, now, instanceId, ratePerSecond: config.OUTBOX_RATE_PER_SECOND, onUnreachable: users.changed, paidBroadcast: config.OUTBOX_PAID_BROADCAST,
  });
  let outboxLoop: ReturnType<typeof startLoop> | undefined;

  const server = createHttpServer({
    'GET /healthz': async (_req, res) => {
      await db.$queryRawUnsafe('SELECT 1');
      json(res, 200, { ok: true });
    },
    'POST /webhooks/stripe': async (req, res, body) => {
      const event = payments.parseWebhook(body, req.headers['stripe-signature'] as string | undefined);
      if (!event) return json(res, 400, { error: 'bad signature' });
      const outcome = isAutoRenewEvent(event) ? await autoRenew.handle(event) : await paymentEvents.handle(event);
      logger.info({ eventId: event.id, kind: event.kind, outcome }, 'payment event');
      if (outcome === 'applied') outboxLoop?.poke();
      json(res, 200, { received: true, outcome });
    },
    'POST /webhooks/provider': async (req, res, body) => {
      if (!(provider instanceof DigiflazzGateway)) return json(res, 404, { error: 'no provider callbacks' });
      const callback = provider.parseCallback(body, req.headers['x-hub-signature'] as string | undefined);
      if (!callback) return json(res, 400, { error: 'bad signature' });
      await fulfilment.onProviderStatus(callback.reference, callback.status);
      outboxLoop?.poke();
      json(res, 200, { received: true });
    },
    'POST /webhooks/telegram': telegramWebhookRoute(bot, config.TELEGRAM_WEBHOOK_SECRET),
  }, logger);

  let runner: RunnerHandle | undefined;
  let sweepTask: ReturnType<typeof cron.schedule> | undefined;
  let reminderTask: ReturnType<typeof cron.schedule> | undefined;
  let autoRenewTask: ReturnType<typeof cron.schedule> | undefined;

  return {
    bot, server, services, fulfilment, reminders, autoRenew, payments: paymentEvents, outbox, provider, db, i18n,
    /** The port the HTTP server listens on (after start). */
    get port(): number {
      return (server.address() as AddressInfo).port;
    },

    async start(options: { port?: number; polling?: boolean } = {}): Promise<void> {
      // One getMe of our own: bot.init() would retry an unreachable Telegram or a wrong token without end.
      if (!bot.isInited()) bot.botInfo = await bot.api.getMe();
      await new Promise<void>((resolve) => server.listen(options.port ?? config.PORT, config.HOST, resolve));
      await bot.init();
      // Not awaited: the command list is cosmetic, and updates need not wait for it.
      void bot.api.setMyCommands([
        { command: 'start', description: 'Menu' }, { command: 'renew', description: 'Renew a line' },
        { command: 'numbers', description: 'My numbers' }, { command: 'history', description: 'Orders and receipts' },
        { command: 'language', description: 'Language' }, { command: 'help', description: 'Help' }, { command: 'cancel', description: 'Cancel' },
      ]).catch((err) => logger.warn({ err }, 'setMyCommands failed'));
      if (config.TELEGRAM_WEBHOOK_URL && options.polling !== true) {
        await bot.api.setWebhook(config.TELEGRAM_WEBHOOK_URL, { secret_token: config.TELEGRAM_WEBHOOK_SECRET, allowed_updates: ['message', 'callback_query', 'my_chat_member'] });
        logger.info('receiving updates by webhook');
      } else {
        await bot.api.deleteWebhook();
        runner = run(bot, { runner: { fetch: { allowed_updates: ['message', 'callback_query', 'my_chat_member'] } } });
        logger.info({ username: bot.botInfo.username }, 'receiving updates by long polling');
      }
      outboxLoop = startLoop('outbox', () => outbox.runOnce({ wait: false }), config.OUTBOX_POLL_MS, logger);
      sweepTask = cron.schedule(config.JOBS_SWEEP_CRON, () => fulfilment.sweep().then(() => outboxLoop?.poke()), { name: 'fulfilment-sweep', noOverlap: true });
      reminderTask = cron.schedule(config.REMINDER_SCAN_CRON, async () => {
        const result = await reminders.tick();
        if (result.queued) {
          logger.info(result, 'expiry reminders queued');
          outboxLoop?.poke();
        }
      }, { name: 'expiry-scan', noOverlap: true });
      autoRenewTask = cron.schedule(config.AUTO_RENEW_CRON, async () => {
        const result = await autoRenew.tick();
        if (result.due || result.retries) logger.info(result, 'auto-renew ran');
        outboxLoop?.poke();
      }, { name: 'auto-renew', noOverlap: true });
    },

    /** Stops taking updates, lets what is under way finish, then closes. */
    async stop(): Promise<void> {
      if (runner?.isRunning()) await runner.stop();
      await sweepTask?.stop();
      await reminderTask?.stop();
      await autoRenewTask?.stop();
      await Promise.allSettled([...inFlight]);
      await outboxLoop?.stop();
      await outbox.idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await chatLocks.close();
      await userChanges.close();
    },
  };
}

function createProvider(config: Config): ProviderGateway {
  if (config.PROVIDER === 'digiflazz') {
    return new DigiflazzGateway({
      baseUrl: config.DIGIFLAZZ_BASE_URL, username: config.DIGIFLAZZ_USERNAME!, apiKey: config.DIGIFLAZZ_API_KEY!,
      webhookSecret: config.DIGIFLAZZ_WEBHOOK_SECRET!, testing: config.DIGIFLAZZ_TESTING,
    });
  }
  return new SimulatorGateway({ fixedCode: config.SIMULATOR_OTP_CODE ?? '123456' });
}
