import { z } from 'zod';
import { parseWindows } from './domain/reminders.js';

const list = z
  .string()
  .optional()
  .transform((s) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TELEGRAM_BOT_TOKEN: z.string({ error: 'is required: the token @BotFather gave you' }).regex(/^\d+:[\w-]{20,}$/, 'does not look like a bot token (123456:ABC…)'),
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: z.url().optional().or(z.literal('').transform(() => undefined)),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[\w-]{1,256}$/, 'may hold only letters, digits, _ and -').optional().or(z.literal('').transform(() => undefined)),
  STRIPE_SECRET_KEY: z.string({ error: 'is required: a Stripe secret key (sk_test_… for testing)' }).regex(/^(sk|rk)_(test|live)_\w+$/, 'does not look like a Stripe secret key (sk_test_…)'),
  STRIPE_WEBHOOK_SECRET: z.string({ error: 'is required: the signing secret of your Stripe webhook endpoint (whsec_…)' }).startsWith('whsec_', 'does not look like a webhook signing secret (whsec_…)'),
  STRIPE_API_BASE: z.url().optional().or(z.literal('').transform(() => undefined)),
  PAYMENT_METHODS: list.pipe(z.array(z.enum(['card', 'alipay', 'wechat_pay'])).min(1)).default(['card']),
  CHECKOUT_EXPIRES_MINUTES: z.coerce.number().int().min(30).max(24 * 60).default(60),
  PUBLIC_URL: z.url().optional().or(z.literal('').transform(() => undefined)),
  DATABASE_URL: z.string().default('file:./data/kuota.db').refine((u) => u.startsWith('file:') || /^postgres(ql)?:\/\//.test(u), 'must be file:… (SQLite) or postgresql://…'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PROVIDER: z.enum(['simulator', 'digiflazz']).default('simulator'),
  SIMULATOR_OTP_CODE: z.string().regex(/^\d{6}$/).optional(),
  DIGIFLAZZ_BASE_URL: z.url().default('https://api.digiflazz.com/v1'),
  DIGIFLAZZ_USERNAME: z.string().optional(),
  DIGIFLAZZ_API_KEY: z.string().optional(),
  DIGIFLAZZ_WEBHOOK_SECRET: z.string().optional(),
  DIGIFLAZZ_TESTING: z.stringbool().default(false),
  CATALOG_FILE: z.string().default('data/catalog.sample.json'),
  STORES_FILE: z.string().default('data/stores.sample.json'),
  DEFAULT_TIMEZONE: z.string().default('Asia/Jakarta'),
  ADMIN_IDS: list.transform((ids) => ids.map(Number)).pipe(z.array(z.number().int('must be numeric Telegram ids, comma-separated'))),
  SUPPORT_CONTACT: z.string().default('@kuota_support'),
  JOBS_SWEEP_CRON: z.string().default('* * * * *'),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(1000),
  OUTBOX_RATE_PER_SECOND: z.coerce.number().min(1).max(1000).default(25),
  // Above 30/s Telegram charges 0.1 Star a message (allow_paid_broadcast); off, the worker keeps to 30/s.
  OUTBOX_PAID_BROADCAST: z.stringbool().default(false),
  REMINDER_SCAN_CRON: z.string().default('*/5 * * * *'),
  REMINDER_WINDOWS: z.string().default('3d,1d,3h').refine((s) => {
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
  AUTO_RENEW_RETRY_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(120),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Kuota cannot start; fix these settings in .env or the environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
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
  if (config.PROVIDER === 'digiflazz') {
    const missing = (['DIGIFLAZZ_USERNAME', 'DIGIFLAZZ_API_KEY', 'DIGIFLAZZ_WEBHOOK_SECRET'] as const).filter((k) => !config[k]);
    if (missing.length) throw new ConfigError(missing.map((k) => `${k} is required when PROVIDER=digiflazz`));
  }
  return config;
}
