import { LANGUAGE_NAMES, DEFAULT_LANGUAGE, supportedLanguages } from '../bot/i18n.js';
import { storeLink } from '../bot/deep-link.js';
import { claimStartParameter } from '../services/esim-partner/claim-codes.js';
import type { Config } from '../config.js';
import { createConsoleI18n } from '../http/console/i18n.js';
import { consolePlugin } from '../http/console/plugin.js';
import { createServer } from '../http/server.js';
import { midtransWebhookRoute } from '../http/midtrans-webhook.js';
import { nominatimGeocoder } from '../adapters/geocoder/nominatim.js';
import type { Adapters } from './adapters.js';
import type { Observability } from './observe.js';
import type { OutboxSignal } from './outbox-signal.js';
import type { Services } from './services.js';
import type { Telegram } from './telegram.js';

/** The HTTP side: health and metrics, the webhooks, and the operator console. */
export async function createHttp(c: {
  config: Config;
  adapters: Adapters;
  services: Services;
  telegram: Telegram;
  observe: Observability;
  signal: OutboxSignal;
  botUsername: () => string;
}) {
  const { config, adapters, services, signal } = c;
  const { logger, db } = adapters;
  const server = createServer({
    logger,
    health: {
      ping: () => db.$queryRawUnsafe('SELECT 1'),
      telegramReady: () => c.observe.health.ready(config.READY_TELEGRAM_SECONDS * 1000),
      metrics: c.observe.metrics.registry,
      metricsToken: config.METRICS_TOKEN,
    },
    stripe: {
      payments: adapters.payments,
      checkoutEvents: services.payments,
      autoRenewEvents: services.autoRenew,
      logger,
      onApplied: signal.queued,
    },
    provider: {
      callbacks: adapters.provider.callbacks(),
      onStatus: async (reference, status) => {
        await services.fulfilment.onProviderStatus(reference, status);
        signal.queued();
      },
    },
    esim: { notifications: services.esim.webhooks ?? null, onApplied: signal.queued },
    telegram: { bot: c.telegram.bot, secretToken: config.TELEGRAM_WEBHOOK_SECRET, logger },
  });
  if (services.midtrans)
    server.register(midtransWebhookRoute, {
      notifications: services.midtrans.notifications,
      logger,
      onApplied: signal.queued,
    });
  server.register(consolePlugin, {
    services: services.operator,
    i18n: await createConsoleI18n(),
    publicUrl: config.PUBLIC_URL,
    defaultLanguage: DEFAULT_LANGUAGE,
    languages: Object.fromEntries(supportedLanguages().map((l) => [l, LANGUAGE_NAMES[l] ?? l])),
    balanceAlertBelowMinor: config.BALANCE_ALERT_BELOW,
    logger,
    onQueued: signal.queued,
    storeLink: (storeId) => storeLink(c.botUsername(), storeId),
    esim: services.esim,
    claimLink: (code) => `https://t.me/${c.botUsername()}?start=${claimStartParameter(code)}`,
    geocoder: config.GEOCODER_URL
      ? nominatimGeocoder({
          baseUrl: config.GEOCODER_URL,
          // Nominatim's usage policy asks each application to name itself and how to reach its operator.
          userAgent: `Kuota-bot (${config.PUBLIC_URL ?? `https://t.me/${c.botUsername()}`})`,
          logger,
        })
      : undefined,
  });
  return server;
}
