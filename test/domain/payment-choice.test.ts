import { describe, expect, it } from 'vitest';
import { midtransTerms } from '../../src/adapters/midtrans/midtrans-processor.js';
import { MIDTRANS_METHODS } from '../../src/domain/midtrans.js';
import { offeredMethods } from '../../src/domain/payment-choice.js';
import type { MethodTerms, PaymentMethodId } from '../../src/domain/payment-methods.js';
import { STRIPE_METHOD_TERMS } from '../../src/services/stripe/methods.js';
import { STARS_TERMS, starsMoney } from '../../src/domain/stars.js';

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

  /**
   * Midtrans's documented limits (docs.midtrans.com/docs/is-there-a-minimum-and-maximum-transaction-value-that-i-can-charge-with-midtrans):
   * a plan priced at a method's limit is offered it, one rupiah past it is not.
   */
  it("offers a Midtrans method at its documented limit and not past it: Alfamart's Rp 2,500,000 cash maximum, Indomaret's Rp 10,000 minimum", () => {
    const midtrans = midtransTerms(MIDTRANS_METHODS);
    const enabled = midtrans.map((t) => t.method);
    const at = (amountMinor: number) =>
      offeredMethods({
        terms: midtrans,
        enabled,
        prices: [{ amountMinor, currency: 'IDR' }],
        traveller: { language: 'id', indonesianNumber: true },
      }).map((o) => o.method);
    expect(at(2_500_000)).toContain('alfamart');
    expect(at(2_500_001)).not.toContain('alfamart');
    expect(at(2_500_001)).toContain('indomaret');
    expect(at(5_000_000)).toContain('indomaret');
    expect(at(5_000_001)).not.toContain('indomaret');
    expect(at(10_000_000)).toContain('qris');
    expect(at(10_000_001)).not.toContain('qris');
    expect(at(10_000_001)).toContain('gopay');
    expect(at(10_000)).toEqual(expect.arrayContaining(['indomaret', 'bca_va']));
    expect(at(9_999)).not.toContain('indomaret');
    expect(at(9_999)).not.toContain('bca_va');
    expect(at(9_999)).toEqual(expect.arrayContaining(['alfamart', 'bni_va', 'bri_va', 'permata_va', 'echannel']));
  });

  // Each market wallet, in the currency its market pays in, after cards and before PayPal.
  const WALLETS: PaymentMethodId[] = [
    'card',
    'paypal',
    'naver_pay',
    'payco',
    'paypay',
    'promptpay',
    'grabpay',
    'paynow',
  ];
  const only = (language: string, prices: { amountMinor: number; currency: string }[]) =>
    order(language, false, prices, WALLETS);
  // The plan's rupiah and dollar prices, without the Singapore dollar price the cases above use.
  const BASE = PRICES.filter((p) => p.currency !== 'SGD');

  it('offers Naver Pay and PAYCO to a Korean traveller for a KRW price of at least ₩100', () => {
    expect(only('ko', [...BASE, { amountMinor: 3_500, currency: 'KRW' }])).toEqual([
      'card',
      'naver_pay',
      'payco',
      'paypal',
    ]);
    expect(only('ko', BASE)).toEqual(['card', 'paypal']);
    expect(only('ko', [...BASE, { amountMinor: 99, currency: 'KRW' }])).toEqual(['card', 'paypal']);
  });

  it('offers PayPay to a Japanese traveller for a JPY price, and not without one', () => {
    expect(only('ja', [...BASE, { amountMinor: 400, currency: 'JPY' }])).toEqual(['card', 'paypay', 'paypal']);
    expect(only('ja', BASE)).toEqual(['card', 'paypal']);
  });

  it('offers PromptPay to a Thai traveller only for a THB price from ฿10 to ฿150,000', () => {
    const thb = (amountMinor: number) => only('th', [...BASE, { amountMinor, currency: 'THB' }]);
    expect(thb(1_000)).toEqual(['card', 'promptpay', 'paypal']);
    expect(thb(15_000_000)).toEqual(['card', 'promptpay', 'paypal']);
    expect(thb(999)).not.toContain('promptpay');
    expect(thb(15_000_001)).not.toContain('promptpay');
    expect(only('th', BASE)).not.toContain('promptpay');
  });

  it('offers GrabPay for a MYR or SGD price, and PayNow for SGD only', () => {
    const myr = [{ amountMinor: 1_500, currency: 'MYR' }];
    expect(only('ms', myr)).toEqual(['grabpay', 'card']);
    expect(only('en', myr)).toEqual(['card', 'grabpay']);
    expect(only('en', [{ amountMinor: 310, currency: 'SGD' }])).toEqual(['card', 'grabpay', 'paynow']);
    expect(only('en', [{ amountMinor: 35_000, currency: 'IDR' }])).toEqual(['card']);
  });

  // Stars are a processor's method like the others: offered from their profile when switched on and the order has a price in Stars.
  it('offers Telegram Stars first when they are switched on and the order has a price in Stars, and not otherwise', () => {
    const withStars = (
      prices: { amountMinor: number; currency: string }[],
      enabled: PaymentMethodId[],
      language = 'id',
    ) =>
      offeredMethods({
        terms: [...TERMS, STARS_TERMS],
        enabled,
        prices,
        traveller: { language, indonesianNumber: false },
      });
    const offers = withStars([...PRICES, starsMoney(120)], [...ALL, 'stars']);
    expect(offers[0]).toEqual({ method: 'stars', price: { amountMinor: 120, currency: 'XTR' } });
    expect(offers.slice(1, 4).map((o) => o.method)).toEqual(['qris', 'gopay', 'shopeepay']);
    expect(withStars([...PRICES, starsMoney(120)], [...ALL, 'stars'], 'zh-CN')[0]!.method).toBe('stars');
    // No Stars price (no starsPrice, no rate): no Stars. Stars off: none either, whatever the price.
    expect(withStars(PRICES, [...ALL, 'stars']).map((o) => o.method)).not.toContain('stars');
    expect(withStars([...PRICES, starsMoney(120)], ALL).map((o) => o.method)).not.toContain('stars');
    // Stars alone: only Stars.
    expect(withStars([...PRICES, starsMoney(120)], ['stars']).map((o) => o.method)).toEqual(['stars']);
    // Never a card or wallet charged in Stars, nor Stars in rupiah.
    expect(withStars([starsMoney(120)], [...ALL, 'stars']).map((o) => o.method)).toEqual(['stars']);
  });
});
