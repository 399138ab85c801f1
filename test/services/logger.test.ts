import { Writable } from 'node:stream';
import Stripe from 'stripe';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createRepeatedLog } from '../../src/observe/repeated.js';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: new Writable({
      write(c, _e, cb) {
        lines.push(c.toString());
        cb();
      },
    }),
  });
  return { logger, text: () => lines.join('') };
}

describe('logs', () => {
  it('are JSON with phone numbers, codes, tokens and keys redacted', () => {
    const { logger, text } = capture();
    logger.info(
      { msisdn: '6283812345678', code: '493817', token: '123456:ABCDEF', apiKey: 'dev-key', nested: { otp: '111222' } },
      'linking',
    );
    logger.warn(
      'sending to +62 838-1234-5678 failed at https://api.telegram.org/bot123456789:AAE-abcdefghijklmnopqrstuvwxyz/sendMessage',
    );
    logger.error({ err: new Error('Stripe said sk_test_abcdef123 is invalid for 0838 1234 5678') }, 'boom');
    const out = text();
    for (const line of out.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    for (const secret of [
      '6283812345678',
      '493817',
      '123456:ABCDEF',
      'dev-key',
      '111222',
      '838-1234-5678',
      'AAE-abcdefghijklmnopqrstuvwxyz',
      'sk_test_abcdef123',
      '0838 1234 5678',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[REDACTED]');
    expect(out).toContain('[PHONE]');
  });

  it('keep an error whole: its class, code, status, request id, decline code and cause, with secrets still scrubbed', () => {
    const { logger, text } = capture();
    const declined = new Stripe.errors.StripeCardError({
      message: 'Your card was declined (customer 0838 1234 5678).',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      statusCode: 402,
      requestId: 'req_8Kx2',
      type: 'card_error',
    });
    const wrapped = new Error('auto-renew charge failed', { cause: declined });
    logger.error({ err: wrapped, orderId: 'o-1' }, 'charge failed');
    logger.warn({ err: declined }, 'declined');
    const [first, second] = text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(first.err).toMatchObject({
      type: 'Error',
      message: 'auto-renew charge failed',
      cause: {
        type: 'StripeCardError',
        code: 'card_declined',
        statusCode: 402,
        requestId: 'req_8Kx2',
        decline_code: 'insufficient_funds',
      },
    });
    expect(second.err).toMatchObject({
      type: 'StripeCardError',
      code: 'card_declined',
      statusCode: 402,
      requestId: 'req_8Kx2',
      decline_code: 'insufficient_funds',
    });
    expect(second.err.stack).toContain('logger.test.ts');
    expect(text()).not.toContain('0838 1234 5678');
    expect(second.err.message).toContain('[PHONE]');
  });
});

describe('a failure that repeats', () => {
  afterEach(() => void vi.useRealTimers());

  it('is one line per kind per minute, the next one counting those held back', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { logger, text } = capture();
    const failed = createRepeatedLog(logger);
    const lines = () =>
      text()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    // The database down for two minutes: the outbox loop fails ten times a second, the reminders once.
    for (let second = 0; second < 120; second++) {
      for (let i = 0; i < 10; i++) failed('loop:outbox', { loop: 'outbox' }, 'loop tick failed');
      if (second === 30) failed('loop:reminders', { loop: 'reminders' }, 'loop tick failed');
      vi.advanceTimersByTime(1_000);
    }
    failed('loop:outbox', { loop: 'outbox' }, 'loop tick failed');
    expect(lines().map((l) => [l.kind, l.repeated])).toEqual([
      ['loop:outbox', undefined],
      ['loop:reminders', undefined],
      ['loop:outbox', 599],
      ['loop:outbox', 599],
    ]);
    expect(lines()[2]).toMatchObject({ level: 50, msg: 'loop tick failed', sinceMs: 60_000 });
  });
});
