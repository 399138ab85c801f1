import { createEsimShop } from '../services/esim-sales/shop.js';
import { createInstallDetails } from '../services/esim-sales/install-details.js';
import { createChatLocks } from '../adapters/db/chat-locks.js';
import type { Database } from '../adapters/db/client.js';
import { createRecordChanges } from '../adapters/db/record-changes.js';
import { orderLink } from '../bot/deep-link.js';
import { pickLanguage, DEFAULT_LANGUAGE } from '../bot/i18n.js';
import type { Config } from '../config.js';
import { parseWindows } from '../domain/reminders.js';
import { createBackground } from '../jobs/background.js';
import { sendRate } from '../jobs/outbox-worker.js';
import { createAutoRenewService } from '../services/auto-renew/auto-renew.js';
import { createCatalogService } from '../services/catalog/catalog.js';
import { createCodeLimits } from '../services/code-limits.js';
import { createConsoleServices } from '../services/console/index.js';
import { createEsimPartner } from '../services/esim-partner/index.js';
import { createExpiryReminders } from '../services/expiry-reminders.js';
import { createFulfilmentService } from '../services/fulfilment.js';
import { createHousekeeping } from '../services/housekeeping.js';
import { createLeases } from '../services/leases.js';
import { createLineService } from '../services/lines.js';
import { createNoticeService } from '../services/notices/notices.js';
import { createOrderService } from '../services/orders.js';
import { createPaymentService } from '../services/stripe/payments.js';
import { createMidtransNotifications } from '../services/midtrans/notifications.js';
import { createReconciliation } from '../services/reconciliation/reconcile.js';
import { paymentPathsSettlement } from '../services/reconciliation/settlement.js';
import { midtransReconciliation } from '../services/reconciliation/midtrans.js';
import { createRefundService } from '../services/refunds.js';
import { createStarsService } from '../services/stars/stars-service.js';
import { createStoreService } from '../services/stores/stores.js';
import { createStoreVisits } from '../services/stores/visits.js';
import { createUsageService } from '../services/usage/usage.js';
import { createUserService } from '../services/users.js';
import { Api } from 'grammy';
import { StripeActivity } from '../adapters/stripe/stripe-activity.js';
import { StarsActivity } from '../adapters/telegram/stars-activity.js';
import type { Adapters } from './adapters.js';
import type { OutboxSignal } from './outbox-signal.js';

export type ServiceContext = {
  config: Config;
  database: Database;
  adapters: Adapters;
  now: () => Date;
  instanceId: string;
  signal: OutboxSignal;
  botUsername: () => string;
};

/** While the free rate is spent, whether a reply to a traveller pays for its send (unset: as broadcasts do). */
export const repliesPay = (config: Config) => config.REPLIES_PAID_BROADCAST ?? config.OUTBOX_PAID_BROADCAST;

/** Every service, built from the adapters and the settings; nothing here starts or reads a file. */
export function createServices({ config, database, adapters, now, instanceId, signal, botUsername }: ServiceContext) {
  const { db, logger, provider } = adapters;
  const base = { ...adapters, now, adminIds: config.ADMIN_IDS };
  const changes = createRecordChanges(config.DATABASE_URL, db);
  const users = createUserService({
    db,
    defaultTimezone: config.DEFAULT_TIMEZONE,
    pickLanguage: (code) => pickLanguage(code),
    changes,
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
  const lines = createLineService({ ...base, codeLimits, changes });
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
      processedEvents: config.RETAIN_PROCESSED_EVENTS_DAYS,
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
      returnUrl: (orderId) => config.STRIPE_RETURN_URL ?? orderLink(botUsername(), orderId),
      ...(config.STARS_PAYMENTS !== 'off' && { stars: { mode: config.STARS_PAYMENTS, rates: config.STARS_RATES } }),
    },
  });
  const fulfilment = createFulfilmentService({
    ...base,
    lineChanged: lines.changed,
    adminIds: config.ADMIN_IDS,
    usage,
    esimAfterSale: {
      nudgeAfterMs: config.ESIM_INSTALL_NUDGE_HOURS * 3_600_000,
      refundWindowMs: config.ESIM_REFUND_DAYS * 86_400_000,
    },
  });
  const notices = createNoticeService({
    db,
    now,
    leases,
    defaultLanguage: DEFAULT_LANGUAGE,
    ratePerSecond: sendRate(config.OUTBOX_RATE_PER_SECOND, config.OUTBOX_PAID_BROADCAST, repliesPay(config))
      .ratePerSecond,
  });
  const reminders = createExpiryReminders({
    db,
    dbProvider: database.provider,
    leases,
    now,
    windows: parseWindows(config.REMINDER_WINDOWS),
    leaseMs: 60_000,
    onQueued: signal.queued,
  });
  // Top-ups start right after the payment is answered; the sweep catches any that a crash interrupts.
  const background = createBackground(logger);
  const fulfilSoon = (orderId: string) =>
    background.run('fulfilment', { orderId }, () => fulfilment.fulfil(orderId), signal.queued);
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
  const install = createInstallDetails(base);
  const operator = createConsoleServices({
    db,
    dbProvider: database.provider,
    provider,
    logger,
    now,
    fulfilment,
    install,
    catalog,
    notices,
    lines,
    autoRenew,
    onQueued: signal.queued,
    // Built below, from the payment services; the console only calls it on an operator's request.
    reconcile: () => reconciliation.run(),
    stars: adapters.stars,
    options: {
      adminIds: config.ADMIN_IDS,
      idleMs: config.CONSOLE_IDLE_MINUTES * 60_000,
      balanceAlertBelowMinor: config.BALANCE_ALERT_BELOW,
    },
  });
  const payments = createPaymentService({ ...base, onPaid: fulfilSoon, adminIds: config.ADMIN_IDS });
  const stars = createStarsService({
    ...base,
    onPaid: fulfilSoon,
    options: {
      mode: config.STARS_PAYMENTS,
      rates: config.STARS_RATES,
      invoiceMinutes: config.CHECKOUT_EXPIRES_MINUTES,
    },
  });
  const midtrans = adapters.midtrans && {
    notifications: createMidtransNotifications({
      ...{ db, logger, now, midtrans: adapters.midtrans, adminIds: config.ADMIN_IDS },
      settle: payments.settle,
    }),
  };
  const reconciliation = createReconciliation({
    db,
    logger,
    now,
    leases,
    adminIds: config.ADMIN_IDS,
    lookbackHours: config.RECONCILE_LOOKBACK_HOURS,
    processors: [
      ...(config.STRIPE_SECRET_KEY
        ? [new StripeActivity({ secretKey: config.STRIPE_SECRET_KEY, apiBase: config.STRIPE_API_BASE })]
        : []),
      new StarsActivity(new Api(config.TELEGRAM_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT })),
    ],
    settlement: paymentPathsSettlement({ db, payments, stars, gateway: adapters.payments }),
    orderChecks: midtrans
      ? [
          midtransReconciliation({
            ...{ db, logger, now, adminIds: config.ADMIN_IDS },
            recheck: midtrans.notifications.recheck,
          }),
        ]
      : [],
  });
  const esim = createEsimPartner({
    ...{ db, logger, now, leases, catalog, codeLimits, usage, provider, lineChanged: lines.changed },
    airalo: adapters.esimPartner,
    settings: {
      adminIds: config.ADMIN_IDS,
      publicUrl: config.PUBLIC_URL,
      claimCodeDays: config.CLAIM_CODE_DAYS,
      syncMargin: config.CATALOG_SYNC_MARGIN,
      syncNew: config.CATALOG_SYNC_NEW,
      syncAlertAfter: config.CATALOG_SYNC_ALERT_AFTER,
    },
  });
  const newEsims = {
    shop: createEsimShop({
      ...base,
      walletMethods: config.PAYMENT_METHODS.some((m) => m === 'alipay' || m === 'wechat_pay'),
      offers: (userId, orderId, language) => orders.methods(userId, orderId, language),
    }),
    install,
    afterSale: fulfilment.esims,
  };
  return {
    newEsims,
    users,
    lines,
    catalog,
    orders,
    notices,
    stores: createStoreService({ db }),
    storeVisits,
    autoRenew,
    usage,
    stars,
    operator,
    fulfilment,
    reminders,
    housekeeping,
    payments,
    /** Midtrans Snap: payment pages and notifications; absent without MIDTRANS_SERVER_KEY. */
    midtrans,
    reconciliation,
    /** The one refund path (the operator console calls it too). */
    refunds: createRefundService(base),
    esim,
    background,
    chatLocks: createChatLocks(config.DATABASE_URL),
    changes,
  };
}

export type Services = ReturnType<typeof createServices>;
