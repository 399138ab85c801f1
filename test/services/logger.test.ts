import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: new Writable({ write(c, _e, cb) { lines.push(c.toString()); cb(); } }) });
  return { logger, text: () => lines.join('') };
}

describe('logs', () => {
  it('are JSON with phone numbers, codes, tokens and keys redacted', () => {
    const { logger, text } = capture();
    logger.info({ msisdn: '6283812345678', code: '493817', token: '123456:ABCDEF', apiKey: 'dev-key', nested: { otp: '111222' } }, 'linking');
    logger.warn('sending to +62 838-1234-5678 failed at https://api.telegram.org/bot123456789:AAE-abcdefghijklmnopqrstuvwxyz/sendMessage');
    logger.error({ err: new Error('Stripe said sk_test_abcdef123 is invalid for 0838 1234 5678') }, 'boom');
    const out = text();
    for (const line of out.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    for (const secret of ['6283812345678', '493817', '123456:ABCDEF', 'dev-key', '111222', '838-1234-5678', 'AAE-abcdefghijklmnopqrstuvwxyz', 'sk_test_abcdef123', '0838 1234 5678']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[REDACTED]');
    expect(out).toContain('[PHONE]');
  });
});
