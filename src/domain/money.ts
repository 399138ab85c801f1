import { numberFormat } from './intl-formats.js';
/** Money as an integer count of the currency's smallest unit Kuota uses, plus an ISO code. */
export type Money = { amountMinor: number; currency: string };

// Kuota prices rupiah in whole rupiah: IDR has no minor unit in practice. XTR is Telegram Stars, whole Stars.
const ZERO_EXPONENT = new Set(['IDR', 'JPY', 'KRW', 'VND', 'CLP', 'ISK', 'UGX', 'PYG', 'XTR']);
// Stripe's zero-decimal currencies; every other one (IDR included) is sent in hundredths.
const STRIPE_ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);

export function currencyExponent(currency: string): number {
  return ZERO_EXPONENT.has(currency.toUpperCase()) ? 0 : 2;
}

export function toStripeAmount(money: Money): number {
  const stripeExponent = STRIPE_ZERO_DECIMAL.has(money.currency.toUpperCase()) ? 0 : 2;
  return money.amountMinor * 10 ** (stripeExponent - currencyExponent(money.currency));
}

export function fromStripeAmount(amount: number, currency: string): Money {
  const stripeExponent = STRIPE_ZERO_DECIMAL.has(currency.toUpperCase()) ? 0 : 2;
  return {
    amountMinor: Math.round(amount / 10 ** (stripeExponent - currencyExponent(currency))),
    currency: currency.toUpperCase(),
  };
}

export function formatMoney(money: Money, locale: string): string {
  const exponent = currencyExponent(money.currency);
  return numberFormat(locale, {
    style: 'currency',
    currency: money.currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(money.amountMinor / 10 ** exponent);
}
