import type { Traveller } from '../fakes/telegram-api.js';
import type { Harness } from './harness.js';

let nextId = 10_000;

/** A traveller who has linked `number` (given in local 08… form). */
export async function travellerWithLine(h: Harness, number = '0838 1234 5678', language = 'en'): Promise<Traveller> {
  const t = h.telegram.traveller(nextId++, { language_code: language });
  await t.send('/start');
  await linkAnother(h, t, number);
  return t;
}

export async function linkAnother(h: Harness, t: Traveller, number: string, label?: string): Promise<void> {
  await t.tap(/Link a number|Tautkan nomor|绑定号码/);
  await t.send(number);
  await t.send(h.simulator.lastCodeFor(`62${number.replace(/\D/g, '').slice(1)}`)!);
  if (label) await t.send(label);
  else await t.tap(/Skip|Lewati|跳过/);
}

/** From the linked message to the order summary for `plan`. */
export async function orderSummary(t: Traveller, plan = 'AXIS Weekly 10 GB'): Promise<void> {
  await t.send('/renew');
  await t.tap(plan);
}

/** Through to the Stripe link; returns the Checkout Session the Pay button opens. */
export async function checkout(h: Harness, t: Traveller, plan?: string) {
  await orderSummary(t, plan);
  await t.tap(/Confirm and pay|Konfirmasi dan bayar|确认并支付/);
  return h.stripe.latestSession();
}

/** Stars switched on beside Stripe, with a rate for plans that have no starsPrice of their own. */
export const STARS_ENV = { STARS_PAYMENTS: 'on', STARS_RATES: 'IDR:0.004,USD:75' };

/** From the linked message to the summary's "Pay N Stars" invoice link. */
export async function starsInvoiceLink(t: Traveller, plan?: string): Promise<string> {
  await orderSummary(t, plan);
  return t.urlButton('Stars');
}
