import { z } from 'zod';
import { parseWindows } from './domain/reminders.js';
import { parseStarsRates } from './domain/stars.js';

const list = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

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
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[\w-]{1,256}$/, 'may hold only letters, digits, _ and -')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  STRIPE_SECRET_KEY: z
    .string({ error: 'is required: a Stripe secret key (sk_test_… for testing)' })
    .regex(/^(sk|rk)_(test|live)_\w+$/, 'does not look like a Stripe secret key (sk_test_…)'),
  STRIPE_WEBHOOK_SECRET: z
    .string({ error: 'is required: the signing secret of your Stripe webhook endpoint (whsec_…)' })
    .startsWith('whsec_', 'does not look like a webhook signing secret (whsec_…)'),
  STRIPE_API_BASE: z
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PAYMENT_METHODS: list.pipe(z.array(z.enum(['card', 'alipay', 'wechat_pay'])).min(1)).default(['card']),
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
  PUBLIC_URL: z
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATABASE_URL: z
    .string()
    .default('file:./data/kuota.db')
    .refine((u) => u.startsWith('file:') || /^postgres(ql)?:\/\//.test(u), 'must be file:… (SQLite) or postgresql://…'),
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
  LOW_DATA_CRON: z.string().default('*/15 * * * *'),
  CATALOG_FILE: z.string().default('data/catalog.sample.json'),
  STORES_FILE: z.string().default('data/stores.sample.json'),
  DEFAULT_TIMEZONE: z.string().default('Asia/Jakarta'),
  ADMIN_IDS: list
    .transform((ids) => ids.map(Number))
    .pipe(z.array(z.number().int('must be numeric Telegram ids, comma-separated'))),
  SUPPORT_CONTACT: z.string().default('@kuota_support'),
  JOBS_SWEEP_CRON: z.string().default('* * * * *'),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(1000),
  OUTBOX_RATE_PER_SECOND: z.coerce.number().min(1).max(1000).default(25),
  // Above 30/s Telegram charges 0.1 Star a message (allow_paid_broadcast); off, the worker keeps to 30/s.
  OUTBOX_PAID_BROADCAST: z.stringbool().default(false),
  REMINDER_SCAN_CRON: z.string().default('*/5 * * * *'),
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
  AUTO_RENEW_CRON: z.string().default('*/5 * * * *'),
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
  HOUSEKEEPING_CRON: z.string().default('17 * * * *'),
  RETAIN_DRAFT_ORDERS_DAYS: z.coerce.number().min(1).max(365).default(7),
  RETAIN_CONVERSATIONS_DAYS: z.coerce.number().min(1).max(365).default(2),
  RETAIN_CODE_CHALLENGES_DAYS: z.coerce.number().min(1).max(365).default(2),
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
  BALANCE_CHECK_CRON: z.string().default('*/15 * * * *'),
  /** Stores the console overview's closed days ahead for the operators' timezones, so opening it never waits for a recount. */
  CONSOLE_DAYS_CRON: z.string().default('*/10 * * * *'),
  /** How often the ledger is compared with what Stripe and Telegram say moved (src/services/reconciliation). */
  RECONCILE_CRON: z.string().default('*/30 * * * *'),
  /** How far back each comparison looks: longer than any outage a delivery could be lost in. */
  RECONCILE_LOOKBACK_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(72),
});

export type Config = z.infer<typeof schema>;

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
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'} ${i.message}`));
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
  if (problems.length) throw new ConfigError(problems);
  return { ...config, ...providers };
}
