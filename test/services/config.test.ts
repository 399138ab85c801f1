import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, WEBHOOK_SECRET_EXAMPLE } from '../../src/config.js';

describe('configuration', () => {
  it('names every missing setting at once', () => {
    try {
      loadConfig({});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('TELEGRAM_BOT_TOKEN is required');
      expect(message).toContain('STRIPE_SECRET_KEY is required');
      expect(message).toContain('STRIPE_WEBHOOK_SECRET is required');
    }
  });

  it('says what is wrong with a bad value', () => {
    expect(() =>
      loadConfig({
        TELEGRAM_BOT_TOKEN: 'abc',
        STRIPE_SECRET_KEY: 'pk_test_1',
        STRIPE_WEBHOOK_SECRET: 'whsec_1',
        PAYMENT_METHODS: 'card,bitcoin',
      }),
    ).toThrow(
      /TELEGRAM_BOT_TOKEN does not look like a bot token[\s\S]*STRIPE_SECRET_KEY does not look like a Stripe secret key[\s\S]*PAYMENT_METHODS[\s\S]*unknown payment method "bitcoin"/,
    );
  });

  it('gives an example of a bot token that it accepts, and takes real tokens as pasted', () => {
    const keys = { STRIPE_SECRET_KEY: 'sk_test_123', STRIPE_WEBHOOK_SECRET: 'whsec_123' };
    let message = '';
    try {
      loadConfig({ ...keys, TELEGRAM_BOT_TOKEN: '123456:short' });
    } catch (error) {
      message = (error as Error).message;
    }
    const example = /\d+:[^\s),]+/.exec(message.split('TELEGRAM_BOT_TOKEN')[1] ?? '')?.[0];
    expect(example).toBeDefined();
    expect(loadConfig({ ...keys, TELEGRAM_BOT_TOKEN: example! }).TELEGRAM_BOT_TOKEN).toBe(example);
    // As @BotFather writes them (35 characters after the colon, dashes and underscores included), with the newline a paste brings along.
    expect(
      loadConfig({ ...keys, TELEGRAM_BOT_TOKEN: '7123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKd-Hm9T0\n' })
        .TELEGRAM_BOT_TOKEN,
    ).toBe('7123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKd-Hm9T0');
  });

  it('defaults to SQLite, the simulator and card payments', () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWX',
      STRIPE_SECRET_KEY: 'sk_test_123',
      STRIPE_WEBHOOK_SECRET: 'whsec_123',
    });
    expect(config.DATABASE_URL).toBe('file:./data/kuota.db');
    expect(config.PROVIDER).toBe('simulator');
    expect(config.PAYMENT_METHODS).toEqual(['card']);
  });

  it('keeps Stars off unless switched on, and names a bad Stars rate', () => {
    const base = {
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWX',
      STRIPE_SECRET_KEY: 'sk_test_123',
      STRIPE_WEBHOOK_SECRET: 'whsec_123',
    };
    expect(loadConfig(base)).toMatchObject({ STARS_PAYMENTS: 'off', STARS_RATES: {} });
    expect(loadConfig({ ...base, STARS_PAYMENTS: 'only', STARS_RATES: 'IDR:0.004' })).toMatchObject({
      STARS_PAYMENTS: 'only',
      STARS_RATES: { IDR: 0.004 },
    });
    expect(() => loadConfig({ ...base, STARS_RATES: 'IDR=lots' })).toThrow(
      /STARS_RATES must be a list such as IDR:0.0045/,
    );
    expect(() => loadConfig({ ...base, STARS_PAYMENTS: 'yes' })).toThrow(/STARS_PAYMENTS/);
  });

  it('asks for the Digiflazz credentials when that provider is chosen', () => {
    expect(() =>
      loadConfig({
        TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWX',
        STRIPE_SECRET_KEY: 'sk_test_123',
        STRIPE_WEBHOOK_SECRET: 'whsec_123',
        PROVIDER: 'digiflazz',
      }),
    ).toThrow(/DIGIFLAZZ_USERNAME is required when PROVIDER=digiflazz/);
  });

  it('names a provider for each kind of line, and asks for the credentials of the ones chosen', () => {
    const base = {
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWX',
      STRIPE_SECRET_KEY: 'sk_test_123',
      STRIPE_WEBHOOK_SECRET: 'whsec_123',
    };
    expect(loadConfig(base)).toMatchObject({
      PROVIDER_MSISDN: 'simulator',
      PROVIDER_ICCID: 'simulator',
      LOW_DATA_THRESHOLDS: [75, 90],
    });
    expect(() => loadConfig({ ...base, PROVIDER_ICCID: 'airalo' })).toThrow(
      /AIRALO_CLIENT_ID is required when PROVIDER_ICCID=airalo[\s\S]*AIRALO_WEBHOOK_SECRET/,
    );
    expect(() => loadConfig({ ...base, PROVIDER_MSISDN: 'airalo' })).toThrow(/PROVIDER_MSISDN/);
    const both = loadConfig({
      ...base,
      PROVIDER_MSISDN: 'digiflazz',
      PROVIDER_ICCID: 'airalo',
      DIGIFLAZZ_USERNAME: 'u',
      DIGIFLAZZ_API_KEY: 'k',
      DIGIFLAZZ_WEBHOOK_SECRET: 's',
      AIRALO_CLIENT_ID: 'c',
      AIRALO_CLIENT_SECRET: 's',
      AIRALO_WEBHOOK_SECRET: 'w',
      LOW_DATA_THRESHOLDS: '80%, 95%',
    });
    expect(both).toMatchObject({
      PROVIDER_MSISDN: 'digiflazz',
      PROVIDER_ICCID: 'airalo',
      LOW_DATA_THRESHOLDS: [80, 95],
    });
    expect(() => loadConfig({ ...base, LOW_DATA_THRESHOLDS: '75,lots' })).toThrow(/LOW_DATA_THRESHOLDS/);
  });
});

describe('a fresh .env copied from .env.example', () => {
  it('reports the three settings to fill in as missing, and nothing else', async () => {
    const { parseEnv } = await import('node:util');
    const { readFileSync } = await import('node:fs');
    const env = parseEnv(readFileSync('.env.example', 'utf8'));
    try {
      loadConfig(env);
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'TELEGRAM_BOT_TOKEN is required: the token @BotFather gave you',
        'STRIPE_SECRET_KEY is required unless STARS_PAYMENTS=only: a Stripe secret key (for example sk_test_…)',
        'STRIPE_WEBHOOK_SECRET is required unless STARS_PAYMENTS=only: the signing secret of your Stripe webhook endpoint (whsec_…)',
      ]);
    }
    expect(
      loadConfig({
        ...env,
        TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWX',
        STRIPE_SECRET_KEY: 'sk_test_1',
        STRIPE_WEBHOOK_SECRET: 'whsec_1',
      }).PROVIDER,
    ).toBe('simulator');
  });
});

/** Each refusal names the setting and an example that passes: the example, put in its place, is accepted. */
function refusal(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('settings that would let a stranger in, or sell a demo for real money', () => {
  const base = {
    TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWX',
    STRIPE_SECRET_KEY: 'sk_test_123',
    STRIPE_WEBHOOK_SECRET: 'whsec_123',
  };
  const webhook = { ...base, TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/webhooks/telegram' };

  it('refuses a webhook without a secret, or with a short one, and accepts the example it gives', () => {
    expect(refusal(webhook)).toEqual([
      expect.stringMatching(/^TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL/),
    ]);
    expect(refusal(webhook)[0]).toContain(WEBHOOK_SECRET_EXAMPLE);
    const short = refusal({ ...webhook, TELEGRAM_WEBHOOK_SECRET: 'test-secret' });
    expect(short).toEqual([expect.stringMatching(/^TELEGRAM_WEBHOOK_SECRET must be 32 to 256 letters/)]);
    expect(refusal({ ...webhook, TELEGRAM_WEBHOOK_SECRET: `${'a'.repeat(31)}!` })).toHaveLength(1);
    expect(loadConfig({ ...webhook, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET_EXAMPLE }).TELEGRAM_WEBHOOK_SECRET).toBe(
      WEBHOOK_SECRET_EXAMPLE,
    );
  });

  it('refuses an http:// webhook at Telegram, and allows one at a local Bot API server', () => {
    const http = { ...webhook, TELEGRAM_WEBHOOK_URL: 'http://bot.example.com/webhooks/telegram' };
    expect(refusal({ ...http, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET_EXAMPLE })).toEqual([
      expect.stringMatching(/^TELEGRAM_WEBHOOK_URL must be an https:\/\/ address \(for example https:/),
    ]);
    expect(
      loadConfig({
        ...http,
        TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET_EXAMPLE,
        TELEGRAM_API_ROOT: 'http://127.0.0.1:8081',
      }).TELEGRAM_WEBHOOK_URL,
    ).toBe(http.TELEGRAM_WEBHOOK_URL);
  });

  it("refuses to send to a chat faster than Telegram's one message a second, except through a local Bot API", () => {
    expect(refusal({ ...base, TELEGRAM_PER_CHAT_MS: '50' })).toEqual([
      expect.stringMatching(/^TELEGRAM_PER_CHAT_MS=50 sends to a chat faster than Telegram's one message a second/),
    ]);
    expect(loadConfig(base).TELEGRAM_PER_CHAT_MS).toBe(1000);
    expect(
      loadConfig({ ...base, TELEGRAM_PER_CHAT_MS: '50', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081' })
        .TELEGRAM_PER_CHAT_MS,
    ).toBe(50);
  });

  it('refuses live Stripe keys with the simulator or the sample files, unless the demo is asked for by name', () => {
    for (const key of ['sk_live_abc', 'rk_live_abc']) {
      const [problem] = refusal({ ...base, STRIPE_SECRET_KEY: key });
      expect(problem).toMatch(/^STRIPE_SECRET_KEY is a live key, but PROVIDER=simulator/);
      expect(problem).toContain('CATALOG_FILE=data/catalog.sample.json');
      expect(problem).toContain('STORES_FILE=data/stores.sample.json');
      expect(problem).toContain('DEMO_WITH_LIVE_KEYS=true');
      expect(loadConfig({ ...base, STRIPE_SECRET_KEY: key, DEMO_WITH_LIVE_KEYS: 'true' }).DEMO_WITH_LIVE_KEYS).toBe(
        true,
      );
    }
    const real = {
      ...base,
      STRIPE_SECRET_KEY: 'sk_live_abc',
      PROVIDER: 'digiflazz',
      DIGIFLAZZ_USERNAME: 'u',
      DIGIFLAZZ_API_KEY: 'k',
      DIGIFLAZZ_WEBHOOK_SECRET: 's',
    };
    expect(refusal(real)[0]).toMatch(
      /^STRIPE_SECRET_KEY is a live key, but CATALOG_FILE=data\/catalog.sample.json, STORES_FILE/,
    );
    expect(refusal({ ...real, CATALOG_FILE: 'data/catalog.json', STORES_FILE: 'data/stores.json' })).toEqual([]);
    expect(refusal({ ...real, PROVIDER_ICCID: 'simulator', CATALOG_FILE: 'c.json', STORES_FILE: 's.json' })[0]).toMatch(
      /PROVIDER_ICCID=simulator is for demos only/,
    );
  });

  it('refuses a cron expression that is not one, naming the setting and an example', () => {
    const [problem] = refusal({ ...base, REMINDER_SCAN_CRON: '*/5 * *' });
    expect(problem).toMatch(/^REMINDER_SCAN_CRON is not a cron expression \(for example (\S+ \S+ \S+ \S+ \S+) means/);
    const example = /for example (\S+ \S+ \S+ \S+ \S+) means/.exec(problem!)![1]!;
    expect(loadConfig({ ...base, REMINDER_SCAN_CRON: example }).REMINDER_SCAN_CRON).toBe(example);
    expect(refusal({ ...base, AUTO_RENEW_CRON: '61 * * * *' })[0]).toMatch(/^AUTO_RENEW_CRON/);
  });

  it('keeps the console address and the Stripe return address apart', () => {
    const config = loadConfig({ ...base, PUBLIC_URL: 'https://bot.example.com' });
    expect(config.PUBLIC_URL).toBe('https://bot.example.com');
    expect(config.STRIPE_RETURN_URL).toBeUndefined();
    expect(refusal({ ...base, STRIPE_RETURN_URL: 'http://shop.example.com' })[0]).toMatch(
      /^STRIPE_RETURN_URL must be an https:\/\/ address/,
    );
  });

  it('needs no Stripe keys for Stars alone', () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: base.TELEGRAM_BOT_TOKEN, STARS_PAYMENTS: 'only' });
    expect(config.STRIPE_SECRET_KEY).toBeUndefined();
    expect(refusal({ TELEGRAM_BOT_TOKEN: base.TELEGRAM_BOT_TOKEN, STARS_PAYMENTS: 'on' })).toEqual([
      expect.stringMatching(/^STRIPE_SECRET_KEY is required unless STARS_PAYMENTS=only/),
      expect.stringMatching(/^STRIPE_WEBHOOK_SECRET is required unless STARS_PAYMENTS=only/),
    ]);
  });

  it('invents no support contact when taking real money in production', () => {
    const live = { ...base, NODE_ENV: 'production', STRIPE_SECRET_KEY: 'sk_live_1', DEMO_WITH_LIVE_KEYS: 'true' };
    expect(refusal(live)).toEqual([
      expect.stringMatching(
        /^SUPPORT_CONTACT is required in production with a live Stripe key or Stars: .*for example @your_support/,
      ),
    ]);
    expect(refusal({ ...base, NODE_ENV: 'production', STARS_PAYMENTS: 'on' })[0]).toMatch(/^SUPPORT_CONTACT/);
    expect(loadConfig({ ...live, SUPPORT_CONTACT: '@your_support' }).SUPPORT_CONTACT).toBe('@your_support');
    // The demo of the Quick start (test keys) keeps showing the sample handle.
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).SUPPORT_CONTACT).toBe('@kuota_support');
  });
});
