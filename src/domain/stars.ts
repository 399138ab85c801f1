// Telegram Stars (currency XTR): whole Stars only, one price per invoice, subscriptions of 30 days.
import { currencyExponent, type Money } from './money.js';
import type { MethodTerms } from './payment-methods.js';

export const STARS = 'XTR';
/** The only subscription period Telegram allows. */
export const SUBSCRIPTION_PERIOD_SECONDS = 2_592_000;

/**
 * Telegram Stars as its processor declares it (services/ports/payment-processor.ts). Checked against
 * the Bot API (core.telegram.org/bots/api#sendinvoice, #createinvoicelink, #refundstarpayment):
 * - one method, in XTR only, whose smallest unit is a whole Star (prices have exactly one item);
 * - at least one Star: starsPriceOf never asks less. The Bot API sets no maximum for a one-off
 *   invoice; its only cap, "Subscription price must no exceed 10000 Telegram Stars"
 *   (createInvoiceLink's subscription_period), is for subscriptions, which are not offered on a summary;
 * - refunded through the API, refundStarPayment(user_id, telegram_payment_charge_id);
 * - never pending: a successful_payment arrives paid, or nothing arrives at all.
 */
export const STARS_TERMS: MethodTerms = {
  method: 'stars',
  currencies: [STARS],
  limits: { [STARS]: { minMinor: 1 } },
  refund: 'api',
  pendingMs: 0,
};

/** Stars per whole unit of a currency ("IDR:0.0045,USD:75"). */
export type StarsRates = Record<string, number>;

export type StarsRatesInput = { ok: true; rates: StarsRates } | { ok: false; error: string };

export function parseStarsRates(text: string): StarsRatesInput {
  const rates: StarsRates = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z]{3})\s*[:=]\s*(\d+(?:\.\d+)?)$/.exec(part);
    if (!m || Number(m[2]) <= 0)
      return { ok: false, error: `"${part}" is not CURRENCY:stars-per-unit (for example IDR:0.0045)` };
    rates[m[1]!.toUpperCase()] = Number(m[2]);
  }
  return { ok: true, rates };
}

/**
 * A plan's price in Stars: the catalog's own `starsPrice`, else its price times the operator's rate,
 * rounded up to a whole Star so the operator never receives less than the plan's price. null when
 * neither is set: the plan is not sold for Stars.
 */
export function starsPriceOf(
  plan: { starsPrice: number | null; priceMinor: number; currency: string },
  rates: StarsRates,
): number | null {
  if (plan.starsPrice !== null) return plan.starsPrice;
  const rate = rates[plan.currency];
  if (!rate) return null;
  const units = plan.priceMinor / 10 ** currencyExponent(plan.currency);
  // A hair below the next whole Star is float noise (0.1 + 0.2), not a real fraction.
  return Math.max(1, Math.ceil(units * rate - 1e-9));
}

export function starsMoney(amount: number): Money {
  return { amountMinor: amount, currency: STARS };
}

/** What an invoice's payload says it pays for: one order, or a line's auto-renew subscription. */
export type InvoicePayload =
  { kind: 'order'; orderId: string } | { kind: 'subscription'; autoRenewId: string; nonce: string };

export function orderPayload(orderId: string): string {
  return `o:${orderId}`;
}

export function subscriptionPayload(autoRenewId: string, nonce: string): string {
  return `s:${autoRenewId}:${nonce}`;
}

export function parsePayload(payload: string): InvoicePayload | null {
  const order = /^o:([\w-]{1,60})$/.exec(payload);
  if (order) return { kind: 'order', orderId: order[1]! };
  const sub = /^s:([\w-]{1,60}):([\w-]{1,40})$/.exec(payload);
  if (sub) return { kind: 'subscription', autoRenewId: sub[1]!, nonce: sub[2]! };
  return null;
}
