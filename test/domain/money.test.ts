import { describe, expect, it } from 'vitest';
import { formatMoney, fromStripeAmount, toStripeAmount } from '../../src/domain/money.js';

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('money', () => {
  it("writes rupiah with no minor unit, in each traveller's language", () => {
    expect(plain(formatMoney({ amountMinor: 35000, currency: 'IDR' }, 'id'))).toBe('Rp 35.000');
    expect(plain(formatMoney({ amountMinor: 35000, currency: 'IDR' }, 'en'))).toBe('IDR 35,000');
    expect(plain(formatMoney({ amountMinor: 35000, currency: 'IDR' }, 'zh-CN'))).toBe('IDR 35,000');
  });

  it('writes cents currencies with two decimals', () => {
    expect(plain(formatMoney({ amountMinor: 900, currency: 'USD' }, 'en'))).toBe('$9.00');
    expect(plain(formatMoney({ amountMinor: 310, currency: 'SGD' }, 'zh-CN'))).toBe('SGD 3.10');
    expect(plain(formatMoney({ amountMinor: 900, currency: 'USD' }, 'id'))).toBe('US$9,00');
  });

  it('sends Stripe IDR in hundredths, JPY as is, USD in cents', () => {
    expect(toStripeAmount({ amountMinor: 35000, currency: 'IDR' })).toBe(3_500_000);
    expect(toStripeAmount({ amountMinor: 500, currency: 'JPY' })).toBe(500);
    expect(toStripeAmount({ amountMinor: 900, currency: 'USD' })).toBe(900);
    expect(fromStripeAmount(3_500_000, 'idr')).toEqual({ amountMinor: 35000, currency: 'IDR' });
  });
});
