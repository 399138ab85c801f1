import type { MethodTerms, PaymentMethodId } from '../../domain/payment-methods.js';

const KRW_WALLET = { currencies: ['KRW'], limits: { KRW: { minMinor: 100 } }, refund: 'api', pendingMs: 0 } as const;

/**
 * What Stripe Checkout takes, by payment method type (docs.stripe.com/payments/<method>/accept-a-payment,
 * "Determine compatibility"). Which of them the account may use depends on its country: an account
 * that has not activated one answers that the type is invalid, and the method is switched off a while.
 */
export const STRIPE_METHOD_TERMS: readonly MethodTerms[] = [
  { method: 'card', currencies: 'any', refund: 'api', pendingMs: 0 },
  {
    method: 'alipay',
    currencies: ['CNY', 'AUD', 'CAD', 'EUR', 'GBP', 'HKD', 'JPY', 'MYR', 'NZD', 'SGD', 'USD'],
    refund: 'api',
    pendingMs: 0,
  },
  {
    method: 'wechat_pay',
    currencies: ['CNY', 'AUD', 'CAD', 'CHF', 'DKK', 'EUR', 'GBP', 'HKD', 'JPY', 'NOK', 'SEK', 'SGD', 'USD'],
    refund: 'api',
    pendingMs: 0,
  },
  // Stripe's PayPal takes more currencies for European accounts; Kuota settles PayPal in the plan's USD or EUR price.
  { method: 'paypal', currencies: ['USD', 'EUR'], refund: 'api', pendingMs: 0 },
  { method: 'kakao_pay', ...KRW_WALLET },
  { method: 'naver_pay', ...KRW_WALLET },
  { method: 'payco', ...KRW_WALLET },
  { method: 'paypay', currencies: ['JPY'], refund: 'api', pendingMs: 0 },
  // PromptPay: 10 to 150,000 baht.
  {
    method: 'promptpay',
    currencies: ['THB'],
    limits: { THB: { minMinor: 1_000, maxMinor: 15_000_000 } },
    refund: 'api',
    pendingMs: 0,
  },
  { method: 'grabpay', currencies: ['MYR', 'SGD'], refund: 'api', pendingMs: 0 },
  { method: 'paynow', currencies: ['SGD'], refund: 'api', pendingMs: 0 },
];

export const STRIPE_METHODS: readonly PaymentMethodId[] = STRIPE_METHOD_TERMS.map((t) => t.method);
