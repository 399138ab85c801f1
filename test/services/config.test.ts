import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

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
        PAYMENT_METHODS: 'card,paypal',
      }),
    ).toThrow(
      /TELEGRAM_BOT_TOKEN does not look like a bot token[\s\S]*STRIPE_SECRET_KEY does not look like a Stripe secret key[\s\S]*PAYMENT_METHODS/,
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
        'STRIPE_SECRET_KEY is required: a Stripe secret key (sk_test_… for testing)',
        'STRIPE_WEBHOOK_SECRET is required: the signing secret of your Stripe webhook endpoint (whsec_…)',
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
