import { describe, expect, it } from 'vitest';
import {
  chargeIdempotencyKey,
  checkCap,
  isDue,
  monthOf,
  nextAttemptAt,
  parseCap,
  periodKey,
  previousMonth,
  withinCap,
} from '../../src/domain/auto-renew.js';

const HOUR = 3_600_000;

describe('the monthly budget as travellers type it', () => {
  it.each([
    ['150000', 150_000],
    ['150.000', 150_000],
    ['150,000', 150_000],
    ['Rp 150.000', 150_000],
    ['IDR 150 000', 150_000],
    ['rp150rb', 150_000],
    ['150k', 150_000],
    ['1,5 jt', 1_500_000],
    ['1.5juta', 1_500_000],
    ['15万', 150_000],
    ['１５００００', 150_000],
    ['150.000 IDR', 150_000],
  ])('reads %j as %i rupiah', (text, amount) => {
    expect(parseCap(text, 'IDR', 35_000)).toEqual({ ok: true, amountMinor: amount });
  });

  it('reads cents for currencies that have them', () => {
    expect(parseCap('25.50', 'USD', 500)).toEqual({ ok: true, amountMinor: 2550 });
    expect(parseCap('$1,000', 'USD', 2000)).toEqual({ ok: true, amountMinor: 100_000 });
  });

  it.each([['lots'], ['🙂'], [''], ['-5'], ['1e9'], ['0']])('says %j is not an amount', (text) => {
    expect(parseCap(text, 'IDR', 35_000)).toEqual({ ok: false, reason: 'not_a_number' });
  });

  it('checks a tapped amount, which may come from an older message, the same way', () => {
    expect(checkCap(70_000, 35_000)).toEqual({ ok: true, amountMinor: 70_000 });
    expect(checkCap(10_000, 35_000)).toEqual({ ok: false, reason: 'below_price' });
    expect(checkCap(Number('x'), 35_000)).toEqual({ ok: false, reason: 'not_a_number' });
  });

  it('wants at least one renewal, and catches an extra zero or two', () => {
    expect(parseCap('20000', 'IDR', 35_000)).toEqual({ ok: false, reason: 'below_price' });
    expect(parseCap('35000', 'IDR', 35_000)).toEqual({ ok: true, amountMinor: 35_000 });
    expect(parseCap('35000000', 'IDR', 35_000)).toEqual({ ok: false, reason: 'too_high' });
  });
});

describe('periods, months and the cap', () => {
  it('keys a charge by line and expiry, and an attempt by both and its number', () => {
    const at = new Date('2026-12-03T05:00:00Z');
    expect(periodKey('line1', at)).toBe(`line1:${at.getTime()}`);
    expect(chargeIdempotencyKey('line1', at, 2)).toBe(`autorenew-line1-${at.getTime()}-2`);
  });

  it("counts months in the traveller's timezone", () => {
    const at = new Date('2026-11-30T18:00:00Z');
    expect(monthOf(at, 'Asia/Jakarta')).toBe('2026-12');
    expect(monthOf(at, 'Europe/London')).toBe('2026-11');
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(previousMonth('2026-11')).toBe('2026-10');
  });

  it('allows a renewal that lands exactly on the cap, not one past it', () => {
    expect(withinCap(70_000, 35_000, 105_000)).toBe(true);
    expect(withinCap(70_001, 35_000, 105_000)).toBe(false);
  });
});

describe('when auto-renew charges', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const base = { now, leadMs: 6 * HOUR, trigger: 'before_expiry' as const, lowDataMb: null, remainingMb: null };

  it('inside the lead time before expiry, and up to a day after it', () => {
    expect(isDue({ ...base, expiresAt: new Date(now.getTime() + 7 * HOUR) })).toBe(false);
    expect(isDue({ ...base, expiresAt: new Date(now.getTime() + 6 * HOUR) })).toBe(true);
    expect(isDue({ ...base, expiresAt: new Date(now.getTime() - 20 * HOUR) })).toBe(true);
    expect(isDue({ ...base, expiresAt: new Date(now.getTime() - 25 * HOUR) })).toBe(false);
  });

  it('on low data only when chosen and reported', () => {
    const far = new Date(now.getTime() + 5 * 24 * HOUR);
    expect(isDue({ ...base, expiresAt: far, remainingMb: 100, lowDataMb: 500 })).toBe(false);
    expect(isDue({ ...base, trigger: 'low_data', expiresAt: far, remainingMb: null, lowDataMb: 500 })).toBe(false);
    expect(isDue({ ...base, trigger: 'low_data', expiresAt: far, remainingMb: 600, lowDataMb: 500 })).toBe(false);
    expect(isDue({ ...base, trigger: 'low_data', expiresAt: far, remainingMb: 500, lowDataMb: 500 })).toBe(true);
  });

  it('retries after the interval, or sooner when the plan would lapse first', () => {
    expect(nextAttemptAt(now, new Date(now.getTime() + 6 * HOUR), 2 * HOUR)).toEqual(
      new Date(now.getTime() + 2 * HOUR),
    );
    expect(nextAttemptAt(now, new Date(now.getTime() + HOUR), 2 * HOUR)).toEqual(new Date(now.getTime() + 30 * 60_000));
  });
});
