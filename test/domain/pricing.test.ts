import { describe, expect, it } from 'vitest';
import { parseMarginRule, priceFor, sensiblePrice } from '../../src/domain/pricing.js';

describe('pricing from the wholesale cost', () => {
  it('rounds rupiah up to 100, 500 or 1,000, and cents up to the next .99', () => {
    expect(sensiblePrice(5_210, 'IDR')).toBe(5_300);
    expect(sensiblePrice(35_650, 'IDR')).toBe(36_000);
    expect(sensiblePrice(101_001, 'IDR')).toBe(102_000);
    expect(sensiblePrice(780, 'USD')).toBe(799);
    expect(sensiblePrice(799, 'USD')).toBe(799);
    expect(sensiblePrice(800, 'USD')).toBe(899);
  });

  it("adds a percentage and a fixed amount, and never goes below the provider's minimum retail price", () => {
    expect(priceFor(31_000, 'IDR', { percent: 10, fixedMinor: 2000 })).toBe(36_500);
    expect(priceFor(650, 'USD', { percent: 20, fixedMinor: 0 })).toBe(799);
    expect(priceFor(650, 'USD', { percent: 10, fixedMinor: 0 }, 900)).toBe(999);
  });

  it('reads the rule as operators type it, and refuses one that sells at cost or below', () => {
    expect(parseMarginRule('15%', '+2000')).toEqual({ ok: true, rule: { percent: 15, fixedMinor: 2000 } });
    expect(parseMarginRule('20', undefined)).toEqual({ ok: true, rule: { percent: 20, fixedMinor: 0 } });
    expect(parseMarginRule('-5%', undefined)).toMatchObject({ ok: false });
    expect(parseMarginRule(undefined, '12.5')).toMatchObject({ ok: false });
    expect(parseMarginRule(undefined, undefined)).toMatchObject({
      ok: false,
      error: expect.stringContaining('selling at cost'),
    });
  });
});
