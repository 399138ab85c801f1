import { describe, expect, it } from 'vitest';
import { parsePayload, parseStarsRates, starsPriceOf } from '../../src/domain/stars.js';

describe('Stars prices', () => {
  const rates = { IDR: 0.004, USD: 75 };

  it("takes the catalog's own starsPrice over any rate", () => {
    expect(starsPriceOf({ starsPrice: 150, priceMinor: 35_000, currency: 'IDR' }, rates)).toBe(150);
  });

  it('derives a price from the rate, rounded up to a whole Star, never below one', () => {
    expect(starsPriceOf({ starsPrice: null, priceMinor: 5_000, currency: 'IDR' }, rates)).toBe(20);
    expect(starsPriceOf({ starsPrice: null, priceMinor: 5_100, currency: 'IDR' }, rates)).toBe(21); // 20.4 → 21
    expect(starsPriceOf({ starsPrice: null, priceMinor: 250, currency: 'USD' }, rates)).toBe(188); // $2.50 × 75 = 187.5 → 188
    expect(starsPriceOf({ starsPrice: null, priceMinor: 30, currency: 'USD' }, { USD: 0.1 })).toBe(1);
  });

  it('sells no plan for Stars whose currency has neither a starsPrice nor a rate', () => {
    expect(starsPriceOf({ starsPrice: null, priceMinor: 310, currency: 'SGD' }, rates)).toBeNull();
  });

  it("reads the operator's rates and names a bad one", () => {
    expect(parseStarsRates('IDR:0.0045, usd=75')).toEqual({ ok: true, rates: { IDR: 0.0045, USD: 75 } });
    expect(parseStarsRates('')).toEqual({ ok: true, rates: {} });
    expect(parseStarsRates('IDR:abc')).toMatchObject({ ok: false, error: expect.stringContaining('IDR:abc') });
    expect(parseStarsRates('IDR:0')).toMatchObject({ ok: false });
  });

  it('reads back only payloads Kuota wrote', () => {
    expect(parsePayload('o:cmabc123')).toEqual({ kind: 'order', orderId: 'cmabc123' });
    expect(parsePayload('s:ar1:ord2')).toEqual({ kind: 'subscription', autoRenewId: 'ar1', nonce: 'ord2' });
    expect(parsePayload('o:')).toBeNull();
    expect(parsePayload('x:1')).toBeNull();
    expect(parsePayload('o:a\u0000b')).toBeNull();
  });
});
