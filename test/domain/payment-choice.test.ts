import { describe, expect, it } from 'vitest';
import { offeredMethods } from '../../src/domain/payment-choice.js';
import type { MethodTerms, PaymentMethodId } from '../../src/domain/payment-methods.js';
import { STRIPE_METHOD_TERMS } from '../../src/services/stripe/methods.js';

// A local gateway's methods as the Midtrans adapter declares them (rupiah only).
const IDR = (method: PaymentMethodId): MethodTerms => ({ method, currencies: ['IDR'], refund: 'api', pendingMs: 0 });
const TERMS = [...STRIPE_METHOD_TERMS, IDR('qris'), IDR('gopay'), IDR('shopeepay')];
const ALL: PaymentMethodId[] = ['card', 'alipay', 'wechat_pay', 'paypal', 'kakao_pay', 'qris', 'gopay', 'shopeepay'];
const PRICES = [
  { amountMinor: 35_000, currency: 'IDR' },
  { amountMinor: 310, currency: 'SGD' },
  { amountMinor: 250, currency: 'USD' },
];

const order = (language: string, indonesianNumber = false, prices = PRICES, enabled = ALL) =>
  offeredMethods({ terms: TERMS, enabled, prices, traveller: { language, indonesianNumber } }).map((o) => o.method);

describe('which ways to pay the summary offers, best first', () => {
  it('puts QRIS first for Indonesian and Malay, Alipay and WeChat Pay for zh-CN, cards otherwise', () => {
    expect(order('id').slice(0, 3)).toEqual(['qris', 'gopay', 'shopeepay']);
    expect(order('ms')[0]).toBe('qris');
    expect(order('zh-CN').slice(0, 3)).toEqual(['alipay', 'wechat_pay', 'card']);
    expect(order('en')[0]).toBe('card');
    expect(order('en', true)[0]).toBe('qris');
  });

  it('offers a method only in a currency the plan has a price in, at that price, and only if switched on', () => {
    const offers = offeredMethods({
      terms: TERMS,
      enabled: ALL,
      prices: PRICES,
      traveller: { language: 'en', indonesianNumber: false },
    });
    expect(offers.find((o) => o.method === 'paypal')?.price).toEqual({ amountMinor: 250, currency: 'USD' });
    expect(offers.find((o) => o.method === 'alipay')?.price).toEqual({ amountMinor: 310, currency: 'SGD' });
    expect(offers.find((o) => o.method === 'card')?.price).toEqual({ amountMinor: 35_000, currency: 'IDR' });
    expect(order('ko')).not.toContain('kakao_pay');
    expect(order('ko', false, [...PRICES, { amountMinor: 3_500, currency: 'KRW' }]).slice(0, 2)).toEqual([
      'card',
      'kakao_pay',
    ]);
    expect(order('en', false, PRICES, ['card'])).toEqual(['card']);
  });

  it('leaves out a method whose limits the price does not fit', () => {
    expect(order('ko', false, [...PRICES, { amountMinor: 50, currency: 'KRW' }])).not.toContain('kakao_pay');
  });
});
