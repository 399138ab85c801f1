import { Writable } from 'node:stream';
import { SimulatorGateway } from '../../src/adapters/provider/simulator.js';
import type { ProviderGateway } from '../../src/services/ports/provider-gateway.js';
import type { ProviderOverrides } from '../../src/adapters/provider/from-config.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { FakeStripe } from '../fakes/stripe-api.js';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { freePort } from '../fakes/http.js';
import { openDatabase } from '../../src/adapters/db/client.js';
import { seedEmptyDatabase } from '../../src/start-up/seed.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const TEST_TOKEN = '123456789:TEST_token_abcdefghijklmnopqrstu';
/** 32 characters of Telegram's allowed set: the shortest secret the settings accept. */
export const TEST_WEBHOOK_SECRET = 'test_secret_0123456789abcdefghijk';

/** The one-time code limits as shipped (the harness relaxes them for journeys that are not about them). */
export const SHIPPED_CODE_LIMITS: Record<string, string> = {
  OTP_RESEND_SECONDS: '60',
  OTP_CODES_PER_NUMBER_PER_DAY: '5',
  OTP_CODES_PER_TRAVELLER_PER_DAY: '10',
  OTP_NUMBERS_PER_TRAVELLER_PER_DAY: '5',
};

export type Harness = {
  app: App;
  telegram: FakeTelegram;
  stripe: FakeStripe;
  simulator: SimulatorGateway;
  database: TestDatabase;
  appUrl: string;
  logs: string[];
  /** Moves the app's clock (not Prisma's timestamps) forward. */
  advance(ms: number): void;
  /** The app's clock. */
  now(): Date;
  stop(): Promise<void>;
};

/**
 * The real app — real grammY, stripe-node and Prisma clients — around a fresh database,
 * the Bot API fake (updates arrive by webhook, so each send() returns after the bot answered)
 * and the Stripe fake.
 */
export async function startHarness(
  options: {
    db?: 'sqlite' | 'postgresql';
    env?: Record<string, string>;
    provider?: ProviderGateway;
    polling?: boolean;
    /** A provider per kind of line (the simulator stands in for a kind not given). */
    providers?: ProviderOverrides;
    /** A second instance of the app: its own process state and database connection, the first one's database and fakes. */
    joining?: Harness;
    /** PUBLIC_URL is the app's own address (where a partner's webhooks reach it). */
    publicUrl?: boolean;
    /** The providers the settings name (PROVIDER…), built as production builds them, instead of the simulator. */
    providersFromSettings?: boolean;
  } = {},
): Promise<Harness> {
  const joining = options.joining;
  const telegram = joining?.telegram ?? (await FakeTelegram.start());
  const stripe = joining?.stripe ?? (await FakeStripe.start());
  const database: TestDatabase = joining
    ? await openDatabase(joining.database.url).then((d) => ({ ...d, url: joining.database.url, drop: () => d.close() }))
    : await createTestDatabase(options.db ?? 'sqlite');
  const port = await freePort();
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _enc, cb) {
        logs.push(chunk.toString());
        cb();
      },
    }),
  });
  const config = loadConfig({
    NODE_ENV: 'test',
    TELEGRAM_BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: telegram.url,
    TELEGRAM_WEBHOOK_URL: options.polling ? '' : `http://127.0.0.1:${port}/webhooks/telegram`,
    TELEGRAM_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    STRIPE_SECRET_KEY: 'sk_test_kuota',
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    STRIPE_API_BASE: stripe.url,
    DATABASE_URL: database.url,
    HOST: '127.0.0.1',
    OUTBOX_POLL_MS: '50',
    // The fake Bot API takes any number of messages to a chat; at Telegram's one a second, a journey's
    // receipts and replies waited out real seconds (half of stars.test.ts's time). Tests of the pacing
    // build their own budget with Telegram's second.
    TELEGRAM_PER_CHAT_MS: '50',
    JOBS_SWEEP_CRON: '0 0 1 1 *',
    // Tests run the jobs themselves (tick()), so a wall-clock cron never fires in the middle of one.
    REMINDER_SCAN_CRON: '0 0 1 1 *',
    AUTO_RENEW_CRON: '0 0 1 1 *',
    HOUSEKEEPING_CRON: '0 0 1 1 *',
    // Journeys link the same few numbers for many travellers; the code limits have their own suite (and the fuzz test keeps the defaults).
    OTP_RESEND_SECONDS: '0',
    OTP_CODES_PER_NUMBER_PER_DAY: '100',
    OTP_CODES_PER_TRAVELLER_PER_DAY: '100',
    OTP_NUMBERS_PER_TRAVELLER_PER_DAY: '100',
    LOW_DATA_CRON: '0 0 1 1 *',
    RECONCILE_CRON: '0 0 1 1 *',
    CATALOG_SYNC_CRON: '0 0 1 1 *',
    ...(options.publicUrl ? { PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
    ...options.env,
  });
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const simulator = joining?.simulator ?? new SimulatorGateway({ now });
  const providers = options.providers && {
    msisdn: options.providers.msisdn ?? simulator,
    iccid: options.providers.iccid ?? simulator,
  };
  const app = await createApp({
    config,
    logger,
    database,
    provider: options.providersFromSettings ? undefined : (options.provider ?? simulator),
    providers: options.providersFromSettings ? undefined : providers,
    botInfo: telegram.botInfo,
    now,
  });
  await seedEmptyDatabase(config, app.services, logger);
  await app.start({ port });
  return {
    app,
    telegram,
    stripe,
    simulator,
    database,
    logs,
    appUrl: `http://127.0.0.1:${port}`,
    advance(ms) {
      offset += ms;
    },
    now,
    async stop() {
      await app.stop();
      if (joining) return database.drop();
      await telegram.close();
      await stripe.close();
      await database.drop();
    },
  };
}
