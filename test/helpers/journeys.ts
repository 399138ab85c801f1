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

/** Through checkout to a paid order (Stripe's webhook delivered); returns the order, fulfilment under way. */
export async function paidOrder(h: Harness, t: Traveller, plan?: string): Promise<{ id: string; number: string }> {
  const session = await checkout(h, t, plan);
  await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
  const id = session.metadata.orderId as string;
  return { id, number: `KU-${id.slice(-8).toUpperCase()}` };
}

/** An operator (in ADMIN_IDS) who has opened the bot, so the outbox can write to them. */
export async function operatorInChat(h: Harness, telegramId: number, language = 'en'): Promise<Traveller> {
  const op = h.telegram.traveller(telegramId, { language_code: language });
  await op.send('/start');
  return op;
}
