import { readFileSync } from 'node:fs';
import type { Config } from '../config.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** What an operator needs to know from the first line: which version runs, and how. */
export function startLine(config: Config, app: { port: number; provider: { name: string } }) {
  const card = config.STARS_PAYMENTS === 'only' ? [] : config.PAYMENT_METHODS;
  return {
    version: VERSION,
    port: app.port,
    updates: config.TELEGRAM_WEBHOOK_URL ? 'webhook' : 'polling',
    database: config.DATABASE_URL.startsWith('file:') ? 'sqlite' : 'postgresql',
    // Not msisdn/iccid: those keys are redacted wherever they appear.
    providers: { numbers: config.PROVIDER_MSISDN ?? config.PROVIDER, eSIMs: config.PROVIDER_ICCID ?? config.PROVIDER },
    payments: [...card, ...(config.STARS_PAYMENTS === 'off' ? [] : ['stars'])],
    stripe: config.STRIPE_SECRET_KEY?.match(/^(sk|rk)_(test|live)_/)?.[2] ?? 'none',
  };
}
