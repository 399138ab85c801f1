import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/bot/format.js';
import { createI18n } from '../../src/bot/i18n.js';
import { methodButtonText } from '../../src/bot/renewal/payment-buttons.js';
import type { PaymentMethodId } from '../../src/domain/payment-methods.js';

const LANGUAGES = ['en', 'id', 'ms', 'zh-CN', 'zh-TW', 'ja', 'ko', 'th', 'vi', 'ru'];

describe('method names on the Pay buttons, as each market writes them (issue 22)', async () => {
  const i18n = await createI18n();
  const locale = (language: string): Locale => ({ t: i18n.getFixedT(language), language, timezone: 'Asia/Jakarta' });
  /** The method's name on its button, without the price after " · ". */
  const name = (language: string, method: PaymentMethodId) =>
    methodButtonText(locale(language), { method, price: { amountMinor: 35_000, currency: 'IDR' } }).split(' · ')[0];

  it('writes Kakao Pay as 카카오페이 and Naver Pay as 네이버페이 for a Korean traveller', () => {
    expect(name('ko', 'kakao_pay')).toBe('카카오페이');
    expect(name('ko', 'naver_pay')).toBe('네이버페이');
    expect(
      methodButtonText(locale('ko'), { method: 'kakao_pay', price: { amountMinor: 3_500, currency: 'KRW' } }),
    ).toBe('카카오페이 · ₩3,500');
  });

  it('writes PromptPay as พร้อมเพย์ for a Thai traveller', () => {
    expect(name('th', 'promptpay')).toBe('พร้อมเพย์');
    expect(
      methodButtonText(locale('th'), { method: 'promptpay', price: { amountMinor: 12_000, currency: 'THB' } }),
    ).toMatch(/^พร้อมเพย์ · ฿120/);
  });

  it.each(LANGUAGES)(
    'keeps QRIS, GoPay, ShopeePay, PayPay, GrabPay, PayNow, PAYCO and PayPal as they are in %s',
    (language) => {
      const brands: [PaymentMethodId, string][] = [
        ['qris', 'QRIS'],
        ['gopay', 'GoPay'],
        ['shopeepay', 'ShopeePay'],
        ['paypay', 'PayPay'],
        ['grabpay', 'GrabPay'],
        ['paynow', 'PayNow'],
        ['payco', 'PAYCO'],
        ['paypal', 'PayPal'],
      ];
      expect(brands.map(([method]) => name(language, method))).toEqual(brands.map(([, brand]) => brand));
    },
  );
});
