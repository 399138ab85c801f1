import { Api } from 'grammy';
import type { Database } from '../adapters/db/client.js';
import { createProviders, type ProviderOverrides } from '../adapters/provider/from-config.js';
import { AiraloGateway } from '../adapters/provider/airalo.js';
import type { ProviderGateway } from '../services/ports/provider-gateway.js';
import { noCardPayments } from '../adapters/stripe/no-card-payments.js';
import { StripePayments } from '../adapters/stripe/stripe-payments.js';
import { MidtransHttpGateway } from '../adapters/midtrans/midtrans-gateway.js';
import { midtransUrls } from '../config-midtrans.js';
import { midtransProcessor } from '../adapters/midtrans/midtrans-processor.js';
import { TelegramStarsGateway } from '../adapters/telegram/stars-gateway.js';
import { starsProcessor } from '../services/stars/processor.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { PaymentGateway } from '../services/ports/payment-gateway.js';
import { leanFetch } from '../adapters/telegram/lean-fetch.js';

export type AdapterOverrides = {
  /** Stands in for both kinds of line (tests). */
  provider?: ProviderGateway;
  providers?: ProviderOverrides;
  payments?: PaymentGateway;
  /** The app's clock (tests move it): Midtrans's page expiry is counted from it. */
  now?: () => Date;
};

/** The outside systems as the settings name them: providers, Stripe (or none, for Stars alone), Telegram. */
export function createAdapters(
  config: Config,
  database: Database,
  logger: Logger,
  overrides: AdapterOverrides,
  botUsername: () => string,
) {
  const provider = createProviders(
    config,
    {
      msisdn: overrides.providers?.msisdn ?? overrides.provider,
      iccid: overrides.providers?.iccid ?? overrides.provider,
    },
    logger,
  );
  const payments =
    overrides.payments ??
    (config.STRIPE_SECRET_KEY && config.STRIPE_WEBHOOK_SECRET
      ? new StripePayments({
          secretKey: config.STRIPE_SECRET_KEY,
          webhookSecret: config.STRIPE_WEBHOOK_SECRET,
          apiBase: config.STRIPE_API_BASE,
          logger,
          returnUrl: () => config.STRIPE_RETURN_URL ?? `https://t.me/${botUsername()}`,
        })
      : noCardPayments());
  // Always there, so Stars already taken can be refunded after the operator switches Stars off.
  const stars = TelegramStarsGateway.fromToken(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT);
  const midtrans = config.MIDTRANS_SERVER_KEY
    ? new MidtransHttpGateway({
        serverKey: config.MIDTRANS_SERVER_KEY,
        ...midtransUrls(config),
        now: overrides.now ?? (() => new Date()),
        logger,
      })
    : undefined;
  return {
    db: database.db,
    /** Midtrans Snap and Core API, when a server key is set. */
    midtrans,
    /** The processors beside Stripe's (which orders.ts builds on `payments`), by id. */
    processors: {
      stars: starsProcessor(stars),
      ...(midtrans && {
        midtrans: midtransProcessor(
          midtrans,
          config.MIDTRANS_METHODS.filter((m) => (config.PAYMENT_METHODS as string[]).includes(m)),
        ),
      }),
    },
    provider,
    /** The eSIM partner's own API beyond the gateway port (opt-ins, balance, refusals), when one is configured. */
    esimPartner: provider.adapters().find((a): a is AiraloGateway => a instanceof AiraloGateway),
    payments,
    logger,
    stars,
    /**
     * The outbox's own Bot API client (its calls are counted as deliveries), over node:http rather
     * than node-fetch. grammY types `fetch` as node-fetch's; it calls it with a URL and init, and reads json().
     */
    outboxApi: new Api(config.TELEGRAM_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT, fetch: leanFetch as never }),
  };
}

export type Adapters = ReturnType<typeof createAdapters>;
