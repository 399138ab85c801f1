import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Api } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { createChatLocks } from './adapters/db/chat-locks.js';
import type { Database } from './adapters/db/client.js';
import { AiraloGateway } from './adapters/provider/airalo.js';
import { createRecordChanges } from './adapters/db/record-changes.js';
import { DigiflazzGateway } from './adapters/provider/digiflazz.js';
import { createProviders, type ProviderOverrides } from './adapters/provider/from-config.js';
import type { ProviderGateway } from './adapters/provider/gateway.js';
import { StripeActivity } from './adapters/stripe/stripe-activity.js';
import { StripePayments } from './adapters/stripe/stripe-payments.js';
import { StarsActivity } from './adapters/telegram/stars-activity.js';
import { setCommandMenus } from './bot/command-menu.js';
import { createBot } from './bot/create-bot.js';
import { createI18n, DEFAULT_LANGUAGE, LANGUAGE_NAMES, pickLanguage, supportedLanguages } from './bot/i18n.js';
import { orderLink, storeLink } from './bot/deep-link.js';
import { createOutboxRenderer } from './bot/messages/outbox-renderer.js';
import type { Config } from './config.js';
import { receiveUpdates } from './bot/receive-updates.js';
import { consolePlugin } from './http/console/plugin.js';
import { createConsoleI18n } from './http/console/i18n.js';
import { createServer } from './http/server.js';
import { createBackground } from './jobs/background.js';
import { createJobs } from './jobs/jobs.js';
import { createOutboxWorker, sendRate } from './jobs/outbox-worker.js';
import type { Logger } from './logger.js';
import { parseWindows } from './domain/reminders.js';
import { createAutoRenewService } from './services/auto-renew.js';
import { createCatalogService, readCatalogFile } from './services/catalog.js';
import { createExpiryReminders } from './services/expiry-reminders.js';
import { createLeases } from './services/leases.js';
import { createReconciliation } from './services/reconciliation/reconcile.js';
import { paymentPathsSettlement } from './services/reconciliation/settlement.js';
import { createConsoleServices } from './services/console/index.js';
import { createNoticeService } from './services/notices.js';
import { createStoreService, parseStoreFile } from './services/stores.js';
import { createStoreVisits } from './services/store-visits.js';
import { createFulfilmentService } from './services/fulfilment.js';
import { createCodeLimits } from './services/code-limits.js';
import { createHousekeeping } from './services/housekeeping.js';
import { createLineService } from './services/lines.js';
import { createOrderService } from './services/orders.js';
import type { PaymentGateway } from './services/payment-gateway.js';
import { createPaymentService } from './services/payments.js';
import { createRefundService } from './services/refunds.js';
import { createUserService } from './services/users.js';
import { createEsimWebhookService } from './services/esim-webhooks.js';
import { createUsageService } from './services/usage.js';
import { TelegramStarsGateway } from './adapters/telegram/stars-gateway.js';
import { createStarsService } from './services/stars/stars-service.js';

export type AppDeps = {
  config: Config;
  logger: Logger;
  database: Database;
  /** Defaults follow the config (a provider per kind of line), Stripe at its API. `provider` stands in for both kinds. */
  provider?: ProviderGateway;
  providers?: ProviderOverrides;
  payments?: PaymentGateway;
  now?: () => Date;
  botInfo?: UserFromGetMe;
};

export type App = Awaited<ReturnType<typeof createApp>>;

/**
 * Builds Kuota from its parts: services, bot, HTTP server, jobs. Nothing starts until start().
 * Fastify plugins (the operator console) register on `app.server` before start().
 */
export async function createApp(deps: AppDeps) {
  const { config, logger, database } = deps;
  const { db } = database;
  const now = deps.now ?? (() => new Date());
  const instanceId = randomUUID();

  const provider = createProviders(config, {
    msisdn: deps.providers?.msisdn ?? deps.provider,
    iccid: deps.providers?.iccid ?? deps.provider,
  });
  // The bot's username is known once it has started (getMe); Stripe is only called after that.
  const botUsername = () => bot.botInfo.username;
  const payments =
    deps.payments ??
    new StripePayments({
      secretKey: config.STRIPE_SECRET_KEY,
      webhookSecret: config.STRIPE_WEBHOOK_SECRET,
      apiBase: config.STRIPE_API_BASE,
      returnUrl: () => config.PUBLIC_URL ?? `https://t.me/${botUsername()}`,
    });
  // Always there, so Stars already taken can be refunded after the operator switches Stars off.
  const stars = TelegramStarsGateway.fromToken(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT);
  const base = { db, provider, payments, logger, now, stars };

  const i18n = await createI18n();
  const recordChanges = createRecordChanges(config.DATABASE_URL, db);
  const users = createUserService({
    db,
    defaultTimezone: config.DEFAULT_TIMEZONE,
    pickLanguage: (code) => pickLanguage(code),
    changes: recordChanges,
  });
  const catalog = createCatalogService({ db, snapshot: { now: () => now().getTime() } });
  const codeLimits = createCodeLimits({
    db,
    now,
    settings: {
      wrongCodes: config.OTP_WRONG_CODES,
      lockMinutes: config.OTP_LOCK_MINUTES,
      resendSeconds: config.OTP_RESEND_SECONDS,
      codesPerNumberPerDay: config.OTP_CODES_PER_NUMBER_PER_DAY,
      codesPerTravellerPerDay: config.OTP_CODES_PER_TRAVELLER_PER_DAY,
      numbersPerTravellerPerDay: config.OTP_NUMBERS_PER_TRAVELLER_PER_DAY,
    },
  });
  const lines = createLineService({ ...base, codeLimits, changes: recordChanges });
  const leases = createLeases(db, instanceId, now);
  const usage = createUsageService({
    ...base,
    leases,
    options: { maxAgeMs: config.USAGE_REFRESH_MINUTES * 60_000, thresholds: config.LOW_DATA_THRESHOLDS },
  });
  const housekeeping = createHousekeeping({
    db,
    now,
    retention: {
      draftOrders: config.RETAIN_DRAFT_ORDERS_DAYS,
      conversations: config.RETAIN_CONVERSATIONS_DAYS,
      codeChallenges: config.RETAIN_CODE_CHALLENGES_DAYS,
    },
  });
  const storeVisits = createStoreVisits({ db, now });
  const orders = createOrderService({
    ...base,
    catalog,
    usage,
    storeVisits,
    options: {
      methods: config.PAYMENT_METHODS,
      checkoutMinutes: config.CHECKOUT_EXPIRES_MINUTES,
      returnUrl: (orderId) => config.PUBLIC_URL ?? orderLink(botUsername(), orderId),
    },
  });
  const fulfilment = createFulfilmentService({ ...base, lineChanged: lines.changed });
  const notices = createNoticeService({
    db,
    now,
    defaultLanguage: DEFAULT_LANGUAGE,
    ratePerSecond: sendRate(config.OUTBOX_RATE_PER_SECOND, config.OUTBOX_PAID_BROADCAST).ratePerSecond,
  });
  const reminders = createExpiryReminders({
    db,
    leases,
    now,
    windows: parseWindows(config.REMINDER_WINDOWS),
    leaseMs: 60_000,
  });

  // Top-ups start right after the webhook is answered; the sweep catches any that a crash interrupts.
  const background = createBackground(logger);
  let jobs!: ReturnType<typeof createJobs>;
  const fulfilSoon = (orderId: string) =>
    background.run(
      'fulfilment',
      { orderId },
      () => fulfilment.fulfil(orderId),
      () => jobs.poke(),
    );
  const paymentEvents = createPaymentService({ ...base, onPaid: fulfilSoon, adminIds: config.ADMIN_IDS });
  const starsPayments = createStarsService({
    ...base,
    onPaid: fulfilSoon,
    options: {
      mode: config.STARS_PAYMENTS,
      rates: config.STARS_RATES,
      invoiceMinutes: config.CHECKOUT_EXPIRES_MINUTES,
    },
  });
  const autoRenew = createAutoRenewService({
    ...base,
    catalog,
    leases,
    usage,
    onPaid: fulfilSoon,
    options: {
      leadMs: config.AUTO_RENEW_HOURS_BEFORE * 3_600_000,
      maxAttempts: config.AUTO_RENEW_MAX_ATTEMPTS,
      retryMs: config.AUTO_RENEW_RETRY_MINUTES * 60_000,
      staleChargeMs: 5 * 60_000,
      setupMinutes: config.CHECKOUT_EXPIRES_MINUTES,
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
  const reconciliation = createReconciliation({
    db,
    logger,
    now,
    leases,
    adminIds: config.ADMIN_IDS,
    lookbackHours: config.RECONCILE_LOOKBACK_HOURS,
    processors: [
      new StripeActivity({ secretKey: config.STRIPE_SECRET_KEY, apiBase: config.STRIPE_API_BASE }),
      new StarsActivity(new Api(config.TELEGRAM_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT })),
    ],
    settlement: paymentPathsSettlement({ db, payments: paymentEvents, stars: starsPayments, gateway: payments }),
  });
  const operator = createConsoleServices({
    db,
    dbProvider: database.provider,
    provider,
    logger,
    now,
    fulfilment,
    catalog,
    notices,
    onQueued: () => jobs.poke(),
    reconcile: () => reconciliation.run(),
    options: {
      adminIds: config.ADMIN_IDS,
      idleMs: config.CONSOLE_IDLE_MINUTES * 60_000,
      balanceAlertBelowMinor: config.BALANCE_ALERT_BELOW,
    },
  });
  const services = {
    users,
    lines,
    catalog,
    orders,
    notices,
    stores,
    storeVisits,
    autoRenew,
    usage,
    stars: starsPayments,
    operator,
  };
  const airalo = provider.adapters().find((a): a is AiraloGateway => a instanceof AiraloGateway);
  const esimWebhooks =
    airalo &&
    createEsimWebhookService({ db, logger, usage, verify: (body, signature) => airalo.parseWebhook(body, signature) });
  const digiflazz = provider.adapters().find((a): a is DigiflazzGateway => a instanceof DigiflazzGateway);
  const chatLocks = createChatLocks(config.DATABASE_URL);
  // Telegram gives long-polled updates to one receiver; by webhook, other instances may share them.
  let polling = false;
  const bot = createBot({
    chatLocks,
    handlesUpdatesAlone: () => database.provider === 'sqlite' || polling,
    token: config.TELEGRAM_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    services,
    i18n,
    db,
    logger,
    now,
    supportContact: config.SUPPORT_CONTACT,
    adminIds: config.ADMIN_IDS,
    botInfo: deps.botInfo,
    consoleUrl: consoleUrl(config),
  });

  const render = createOutboxRenderer({ db, orders, i18n, defaultLanguage: DEFAULT_LANGUAGE, now, autoRenew });
  const outbox = createOutboxWorker({
    db,
    provider: database.provider,
    api: new Api(config.TELEGRAM_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT }),
    render,
    logger,
    now,
    instanceId,
    ratePerSecond: config.OUTBOX_RATE_PER_SECOND,
    onUnreachable: users.changed,
    paidBroadcast: config.OUTBOX_PAID_BROADCAST,
  });
  jobs = createJobs({
    outbox,
    outboxPollMs: config.OUTBOX_POLL_MS,
    fulfilment,
    reminders,
    autoRenew,
    housekeeping,
    usage,
    logger,
    balance: operator.balance.supported ? operator.balance : undefined,
    reconciliation,
    overviewAhead: operator.overviewAhead,
    crons: {
      sweep: config.JOBS_SWEEP_CRON,
      reminders: config.REMINDER_SCAN_CRON,
      autoRenew: config.AUTO_RENEW_CRON,
      housekeeping: config.HOUSEKEEPING_CRON,
      lowData: config.LOW_DATA_CRON,
      balance: config.BALANCE_CHECK_CRON,
      consoleDays: config.CONSOLE_DAYS_CRON,
      reconcile: config.RECONCILE_CRON,
    },
  });

  const server = createServer({
    logger,
    health: { ping: () => db.$queryRawUnsafe('SELECT 1') },
    stripe: { payments, checkoutEvents: paymentEvents, autoRenewEvents: autoRenew, logger, onApplied: jobs.poke },
    provider: {
      callbacks: digiflazz ?? null,
      onStatus: async (reference, status) => {
        await fulfilment.onProviderStatus(reference, status);
        jobs.poke();
      },
    },
    esim: { notifications: esimWebhooks ?? null, onApplied: jobs.poke },
    telegram: { bot, secretToken: config.TELEGRAM_WEBHOOK_SECRET, logger },
  });
  server.register(consolePlugin, {
    services: operator,
    i18n: await createConsoleI18n(),
    publicUrl: config.PUBLIC_URL,
    defaultLanguage: DEFAULT_LANGUAGE,
    languages: Object.fromEntries(supportedLanguages().map((l) => [l, LANGUAGE_NAMES[l] ?? l])),
    balanceAlertBelowMinor: config.BALANCE_ALERT_BELOW,
    logger,
    onQueued: () => jobs.poke(),
    storeLink: (storeId) => storeLink(botUsername(), storeId),
  });
  const updates = receiveUpdates(bot, {
    webhookUrl: config.TELEGRAM_WEBHOOK_URL,
    webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
    logger,
    setCommands: () => setCommandMenus(bot.api, i18n, logger),
  });

  return {
    bot,
    server,
    services,
    fulfilment,
    reminders,
    autoRenew,
    housekeeping,
    usage,
    operator,
    payments: paymentEvents,
    reconciliation,
    outbox,
    provider,
    db,
    i18n,
    /** The one refund path (the operator console calls it too). */
    refunds: createRefundService(base),
    /** The port the HTTP server listens on (after start). */
    get port(): number {
      return (server.server.address() as AddressInfo).port;
    },

    async start(options: { port?: number; polling?: boolean } = {}): Promise<void> {
      await updates.identify();
      await server.listen({ port: options.port ?? config.PORT, host: config.HOST });
      polling = updates.byPolling(options);
      await updates.start(options);
      jobs.start();
    },

    /** Stops taking updates and webhooks, lets what is under way finish, then stops delivery. */
    async stop(): Promise<void> {
      await updates.stop();
      await server.close();
      await jobs.stopSchedules();
      await background.settle();
      await jobs.stopDelivery();
      await chatLocks.close();
      await recordChanges.close();
    },
  };
}

/** Where /admin links point: the public address when there is one. */
function consoleUrl(config: Config): string {
  return `${(config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, '')}/console`;
}
