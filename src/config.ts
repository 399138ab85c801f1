import cron from 'node-cron';
import { PAYMENT_METHOD_IDS } from './domain/payment-methods.js';
import { parseMarginRule } from './domain/pricing.js';
import { z } from 'zod';
import { parseWindows } from './domain/reminders.js';
import { parseStarsRates } from './domain/stars.js';
import { isMidtransProduction, midtransProblems, midtransSettings } from './config-midtrans.js';

const list = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

/** A cron expression node-cron accepts (5 fields, or 6 with seconds first). */
const cronExpression = z
  .string()
  .refine(
    (expression) => cron.validate(expression),
    'is not a cron expression (for example */15 * * * * means every 15 minutes)',
  );

export const WEBHOOK_SECRET_EXAMPLE = 'k7Qw2vN9xR4tY8uZ1aB5cD3eF6gH0jL2';

/** The shape of a bot token, and the example from the Bot API's own documentation, which fits it. */
export const TOKEN_SHAPE = /^\d+:[A-Za-z0-9_-]{20,}$/;
export const TOKEN_EXAMPLE = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // @BotFather's tokens are the bot's numeric id, a colon and a secret of letters, digits, _ and - (35 of them today).
  TELEGRAM_BOT_TOKEN: z
    .string({ error: 'is required: the token @BotFather gave you' })
    .trim()
    .regex(
      TOKEN_SHAPE,
      `does not look like a bot token: expected the bot's id, a colon and at least 20 letters, digits, _ or - (like ${TOKEN_EXAMPLE}), as @BotFather gives it`,
    ),
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: z
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  // Telegram allows 1-256 of A-Z a-z 0-9 _ -; fewer than 32 could be guessed.
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]{32,256}$/,
      `must be 32 to 256 letters, digits, _ or - (for example ${WEBHOOK_SECRET_EXAMPLE}; make one with: openssl rand -hex 24)`,
    )
    .optional(),
  // Optional only with STARS_PAYMENTS=only (checked below).
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\w+$/, 'does not look like a Stripe secret key (sk_test_…)')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .startsWith('whsec_', 'does not look like a webhook signing secret (whsec_…)')
    .optional(),
  // Live keys with the simulator or the sample files refuse to start, unless this says it is a demo.
  DEMO_WITH_LIVE_KEYS: z.stringbool().default(false),
  STRIPE_API_BASE: z
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ...midtransSettings,
  // The ways to pay the operator switched on (README "Payment methods"); each is offered where its processor takes the plan's price.
  PAYMENT_METHODS: list
    .pipe(
      z
        .array(
          z.enum(
            PAYMENT_METHOD_IDS.filter((m) => m !== 'stars'),
            {
              error: (issue) =>
                `unknown payment method ${JSON.stringify(issue.input)}: use ${PAYMENT_METHOD_IDS.filter((m) => m !== 'stars').join(', ')} (Stars: STARS_PAYMENTS)`,
            },
          ),
        )
        .min(1),
    )
    .default(['card']),
  // Telegram Stars: off, on (beside Stripe) or only (Stars alone); prices from the catalog's starsPrice or these rates.
  STARS_PAYMENTS: z.enum(['off', 'on', 'only']).default('off'),
  STARS_RATES: z
    .string()
    .default('')
    .transform((s, ctx) => {
      const parsed = parseStarsRates(s);
      if (parsed.ok) return parsed.rates;
      ctx.addIssue({
        code: 'custom',
        message: `must be a list such as IDR:0.0045,USD:75 (Stars per whole unit of the currency): ${parsed.error}`,
      });
      return z.NEVER;
    }),
  CHECKOUT_EXPIRES_MINUTES: z.coerce
    .number()
    .int()
    .min(30)
    .max(24 * 60)
    .default(60),
  /** The console's public address (https://bot.example.com); /admin links point there. */
  PUBLIC_URL: z
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Where Stripe sends the traveller back after paying; unset, the bot's own t.me link. */
  STRIPE_RETURN_URL: z
    .url({ protocol: /^https$/, error: 'must be an https:// address (e.g. https://t.me/your_bot)' })
    .optional(),
  DATABASE_URL: z
    .string()
    .default('file:./data/kuota.db')
    .refine((u) => u.startsWith('file:') || /^postgres(ql)?:\/\//.test(u), 'must be file:… (SQLite) or postgresql://…'),
  /** Set: GET /metrics asks for it as a bearer token (Authorization: Bearer …). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (make one with: openssl rand -hex 16)').optional(),
  /** /readyz says not ready when Telegram's last call failed and none went through for this long. */
  READY_TELEGRAM_SECONDS: z.coerce.number().int().min(10).max(3600).default(90),
  /** How long start-up keeps trying the database and Telegram (capped exponential backoff) before it gives up. */
  STARTUP_RETRY_SECONDS: z.coerce.number().int().min(0).max(3600).default(120),
  /** SIGTERM: updates under way, webhooks and deliveries finish within this, then the process exits whatever Telegram does. */
  SHUTDOWN_DEADLINE_SECONDS: z.coerce.number().min(1).max(300).default(8),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PROVIDER: z.enum(['simulator', 'digiflazz']).default('simulator'),
  // Each kind of line may have its own provider; empty: PROVIDER.
  PROVIDER_MSISDN: z.enum(['simulator', 'digiflazz']).optional(),
  PROVIDER_ICCID: z.enum(['simulator', 'digiflazz', 'airalo']).optional(),
  SIMULATOR_OTP_CODE: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  DIGIFLAZZ_BASE_URL: z.url().default('https://api.digiflazz.com/v1'),
  DIGIFLAZZ_USERNAME: z.string().optional(),
  DIGIFLAZZ_API_KEY: z.string().optional(),
  DIGIFLAZZ_WEBHOOK_SECRET: z.string().optional(),
  DIGIFLAZZ_TESTING: z.stringbool().default(false),
  AIRALO_BASE_URL: z.url().default('https://partners-api.airalo.com'),
  AIRALO_CLIENT_ID: z.string().optional(),
  AIRALO_CLIENT_SECRET: z.string().optional(),
  AIRALO_WEBHOOK_SECRET: z.string().optional(),
  // eSIM partner: claim codes for eSIMs sold outside the chat, and the hourly package sync (README "eSIM partner").
  CLAIM_CODE_DAYS: z.coerce.number().min(1).max(365).default(30),
  CATALOG_SYNC_CRON: z.string().default('7 * * * *'),
  CATALOG_SYNC_MARGIN: z
    .string()
    .default('20%')
    .refine((m) => parseMarginRule(m, undefined).ok, 'must be a margin such as 20%'),
  CATALOG_SYNC_NEW: z.enum(['hold', 'sell']).default('hold'),
  CATALOG_SYNC_ALERT_AFTER: z.coerce.number().int().min(1).max(100).default(3),
  // New eSIMs sold in the chat (README "Selling new eSIMs"): when a traveller who has not installed theirs hears of it once,
  // and how long one never installed may be refunded (Airalo's refund policy ends withdrawal at 14 days or activation).
  ESIM_INSTALL_NUDGE_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 30)
    .default(6),
  ESIM_REFUND_DAYS: z.coerce.number().min(0).max(90).default(14),
  USAGE_REFRESH_MINUTES: z.coerce
    .number()
    .min(1)
    .max(24 * 60)
    .default(5),
  LOW_DATA_THRESHOLDS: z
    .string()
    .optional()
    .transform((s) => (s?.trim() ? s.split(',').map((x) => Number(x.trim().replace(/%$/, ''))) : [75, 90]))
    .pipe(z.array(z.number().int('must be whole percentages used, e.g. 75,90').min(1).max(99))),
  LOW_DATA_CRON: cronExpression.default('*/15 * * * *'),
  CATALOG_FILE: z.string().default('data/catalog.sample.json'),
  STORES_FILE: z.string().default('data/stores.sample.json'),
  /**
   * A Nominatim server (https://nominatim.openstreetmap.org) the store form asks for an address's coordinates;
   * empty, the form has no "Find on the map" button.
   */
  GEOCODER_URL: z
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DEFAULT_TIMEZONE: z.string().default('Asia/Jakarta'),
  ADMIN_IDS: list
    .transform((ids) => ids.map(Number))
    .pipe(z.array(z.number().int('must be numeric Telegram ids, comma-separated'))),
  // No default in production: travellers must not be sent to a handle that is not the operator's (checked below).
  SUPPORT_CONTACT: z.string().optional(),
  JOBS_SWEEP_CRON: cronExpression.default('* * * * *'),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(1000),
  OUTBOX_RATE_PER_SECOND: z.coerce.number().min(1).max(1000).default(25),
  // Telegram takes one message a second to a chat. Only a local Bot API (the test suite's) may allow more (checked below).
  TELEGRAM_PER_CHAT_MS: z.coerce.number().int().min(1).default(1000),
  // Above 30/s Telegram charges 0.1 Star a message (allow_paid_broadcast); off, the worker keeps to 30/s.
  OUTBOX_PAID_BROADCAST: z.stringbool().default(false),
  // While the free rate is spent, a reply to a traveller either pays (allow_paid_broadcast) or finds room
  // because the outbox keeps under the free rate. Unset, replies pay when broadcasts do.
  REPLIES_PAID_BROADCAST: z.stringbool().optional(),
  REMINDER_SCAN_CRON: cronExpression.default('*/5 * * * *'),
  REMINDER_WINDOWS: z
    .string()
    .default('3d,1d,3h')
    .refine((s) => {
      try {
        parseWindows(s);
        return true;
      } catch {
        return false;
      }
    }, 'must be a list such as 3d,1d,3h'),
  AUTO_RENEW_CRON: cronExpression.default('*/5 * * * *'),
  AUTO_RENEW_HOURS_BEFORE: z.coerce.number().min(0.5).max(72).default(6),
  AUTO_RENEW_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  AUTO_RENEW_RETRY_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(120),
  // One-time codes: each costs an SMS, and a stranger's number must not be flooded.
  OTP_WRONG_CODES: z.coerce.number().int().min(1).max(20).default(5),
  OTP_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  OTP_RESEND_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  OTP_CODES_PER_NUMBER_PER_DAY: z.coerce.number().int().min(1).max(100).default(5),
  OTP_CODES_PER_TRAVELLER_PER_DAY: z.coerce.number().int().min(1).max(100).default(10),
  OTP_NUMBERS_PER_TRAVELLER_PER_DAY: z.coerce.number().int().min(1).max(100).default(5),
  // Housekeeping: how long unfinished things are kept.
  HOUSEKEEPING_CRON: cronExpression.default('17 * * * *'),
  RETAIN_DRAFT_ORDERS_DAYS: z.coerce.number().min(1).max(365).default(7),
  RETAIN_CONVERSATIONS_DAYS: z.coerce.number().min(1).max(365).default(2),
  RETAIN_CODE_CHALLENGES_DAYS: z.coerce.number().min(1).max(365).default(2),
  RETAIN_PROCESSED_EVENTS_DAYS: z.coerce.number().min(7).max(3650).default(30),
  CONSOLE_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  BALANCE_ALERT_BELOW: z.coerce
    .number()
    .int('must be a whole amount in the provider currency (rupiah)')
    .min(0)
    .optional(),
  BALANCE_CHECK_CRON: cronExpression.default('*/15 * * * *'),
  /** Stores the console overview's closed days ahead for the operators' timezones, so opening it never waits for a recount. */
  CONSOLE_DAYS_CRON: cronExpression.default('*/10 * * * *'),
  /** How often the ledger is compared with what Stripe and Telegram say moved (src/services/reconciliation). */
  RECONCILE_CRON: cronExpression.default('*/30 * * * *'),
  /** How far back each comparison looks: longer than any outage a delivery could be lost in. */
  RECONCILE_LOOKBACK_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(72),
});

export type Config = Omit<z.infer<typeof schema>, 'SUPPORT_CONTACT'> & { SUPPORT_CONTACT: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Kuota cannot start; fix these settings in .env or the environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/** Reads the settings once, at start, and names every missing or bad one. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // A blank line in .env (TELEGRAM_BOT_TOKEN=) means "not set", so it is reported as missing.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const result = schema.safeParse(set);
  if (!result.success) {
    // The cross-setting checks below need a parsed config; the Stripe keys are named here too, so that all missing settings show at once.
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(env)'} ${i.message}`);
    throw new ConfigError([...issues, ...paymentProblems(set)]);
  }
  const config = result.data;
  const providers = {
    PROVIDER_MSISDN: config.PROVIDER_MSISDN ?? config.PROVIDER,
    PROVIDER_ICCID: config.PROVIDER_ICCID ?? config.PROVIDER,
  };
  const problems: string[] = [];
  const need = (name: string, keys: Array<keyof Config>) => {
    const chosen = Object.entries(providers)
      .filter(([, p]) => p === name)
      .map(([k]) => (k === 'PROVIDER_MSISDN' && !config.PROVIDER_MSISDN ? 'PROVIDER' : k));
    if (chosen.length)
      problems.push(...keys.filter((k) => !config[k]).map((k) => `${k} is required when ${chosen[0]}=${name}`));
  };
  need('digiflazz', ['DIGIFLAZZ_USERNAME', 'DIGIFLAZZ_API_KEY', 'DIGIFLAZZ_WEBHOOK_SECRET']);
  need('airalo', ['AIRALO_CLIENT_ID', 'AIRALO_CLIENT_SECRET', 'AIRALO_WEBHOOK_SECRET']);
  problems.push(...webhookProblems(config), ...paymentProblems(config), ...demoProblems(config, providers));
  const simulatorIn = Object.entries(providers)
    .filter(([, p]) => p === 'simulator')
    .map(([k]) => `${k}=simulator`);
  problems.push(...midtransProblems(config, simulatorIn));
  // Taking real money (a live key, or Stars in production), travellers must reach the operator, not a sample handle.
  const realMoney =
    /^(sk|rk)_live_/.test(config.STRIPE_SECRET_KEY ?? '') ||
    config.STARS_PAYMENTS !== 'off' ||
    isMidtransProduction(config.MIDTRANS_SERVER_KEY);
  if (config.NODE_ENV === 'production' && realMoney && !config.SUPPORT_CONTACT)
    problems.push(
      'SUPPORT_CONTACT is required in production with a live Stripe key or Stars: where travellers ask for help (for example @your_support)',
    );
  if (config.TELEGRAM_PER_CHAT_MS < 1000 && config.TELEGRAM_API_ROOT.replace(/\/$/, '') === OFFICIAL_API)
    problems.push(
      `TELEGRAM_PER_CHAT_MS=${config.TELEGRAM_PER_CHAT_MS} sends to a chat faster than Telegram's one message a second: Telegram refuses them with 429 and the traveller waits. It is for a local test Bot API only; remove it (1000 is the default)`,
    );
  if (problems.length) throw new ConfigError(problems);
  return { ...config, ...providers, SUPPORT_CONTACT: config.SUPPORT_CONTACT ?? '@kuota_support' };
}

const OFFICIAL_API = 'https://api.telegram.org';

/** A webhook believes whoever knows its URL and secret: both must be set, and the URL https. */
function webhookProblems(config: z.infer<typeof schema>): string[] {
  if (!config.TELEGRAM_WEBHOOK_URL) return [];
  const problems: string[] = [];
  if (!config.TELEGRAM_WEBHOOK_SECRET)
    problems.push(
      `TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL: without it anyone can post updates to the bot (for example ${WEBHOOK_SECRET_EXAMPLE}; make one with: openssl rand -hex 24)`,
    );
  // A local Bot API server (TELEGRAM_API_ROOT elsewhere) may post to http://; Telegram's own servers only to https://.
  const official = config.TELEGRAM_API_ROOT.replace(/\/$/, '') === OFFICIAL_API;
  if (official && !config.TELEGRAM_WEBHOOK_URL.startsWith('https://'))
    problems.push(
      'TELEGRAM_WEBHOOK_URL must be an https:// address (for example https://bot.example.com/webhooks/telegram)',
    );
  return problems;
}

/** Card payments need both Stripe keys; Stars alone needs neither. */
function paymentProblems(config: {
  STARS_PAYMENTS?: string;
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
}): string[] {
  if (config.STARS_PAYMENTS === 'only') return [];
  const why = 'unless STARS_PAYMENTS=only';
  return [
    ...(config.STRIPE_SECRET_KEY
      ? []
      : [`STRIPE_SECRET_KEY is required ${why}: a Stripe secret key (for example sk_test_…)`]),
    ...(config.STRIPE_WEBHOOK_SECRET
      ? []
      : [`STRIPE_WEBHOOK_SECRET is required ${why}: the signing secret of your Stripe webhook endpoint (whsec_…)`]),
  ];
}

/** The sample files and the simulator are for demos: with live keys they would sell fake offers for real money. */
function demoProblems(config: z.infer<typeof schema>, providers: Record<string, string>): string[] {
  const live = /^(sk|rk)_live_/.test(config.STRIPE_SECRET_KEY ?? '');
  if (!live || config.DEMO_WITH_LIVE_KEYS) return [];
  const parts = [
    ...Object.entries(providers)
      .filter(([, provider]) => provider === 'simulator')
      .map(([name]) => `${name === 'PROVIDER_MSISDN' && !config.PROVIDER_MSISDN ? 'PROVIDER' : name}=simulator`),
    ...(['CATALOG_FILE', 'STORES_FILE'] as const)
      .filter((name) => /\.sample\./.test(config[name]))
      .map((name) => `${name}=${config[name]}`),
  ];
  if (!parts.length) return [];
  return [
    `STRIPE_SECRET_KEY is a live key, but ${[...new Set(parts)].join(', ')} ${parts.length > 1 ? 'are' : 'is'} for demos only: set PROVIDER=digiflazz (or airalo) and your own CATALOG_FILE and STORES_FILE, use a test key (sk_test_…), or set DEMO_WITH_LIVE_KEYS=true to run the demo with live keys anyway`,
  ];
}
