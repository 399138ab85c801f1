import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, vi } from 'vitest';
import { LOCALES_DIR, supportedLanguages } from '../../src/bot/i18n.js';
import type { Traveller } from '../fakes/telegram-api.js';
import { RECEIPT_HEADLINE } from './copy.js';
import type { Harness } from './harness.js';
import { WAIT_MS } from './wait.js';

/** A button's label in any of Kuota's languages, so journeys work whatever the traveller speaks. */
function inAnyLanguage(section: string, key: string): RegExp {
  const labels = supportedLanguages().map(
    (lng) => JSON.parse(readFileSync(path.join(LOCALES_DIR, lng, 'translation.json'), 'utf8'))[section][key] as string,
  );
  return new RegExp(labels.map((l) => l.replace(/^\P{L}+/u, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
}
export const LINK = inAnyLanguage('menu', 'link');
const SKIP = inAnyLanguage('common', 'skip');

let nextId = 10_000;

/** A traveller who has linked `number` (given in local 08… form). */
export async function travellerWithLine(h: Harness, number = '0838 1234 5678', language = 'en'): Promise<Traveller> {
  const t = h.telegram.traveller(nextId++, { language_code: language });
  await t.send('/start');
  await linkAnother(h, t, number);
  return t;
}

export async function linkAnother(h: Harness, t: Traveller, number: string, label?: string): Promise<void> {
  await t.tap(LINK);
  // The simulator "sends" the code only once the number is in, so it is read then.
  await linkWithCode(t, number, () => h.simulator.lastCodeFor(`62${number.replace(/\D/g, '').slice(1)}`)!, label);
}

/** Inside the link conversation: the number or ICCID, the provider's code (read after the line is sent), then a label or Skip. */
export async function linkWithCode(
  t: Traveller,
  line: string,
  code: string | (() => string),
  label?: string,
): Promise<void> {
  await t.send(line);
  await t.send(typeof code === 'function' ? code() : code);
  if (label) await t.send(label);
  else await t.tap(SKIP);
}

/** From the linked message to the order summary for `plan`. */
export async function orderSummary(t: Traveller, plan = 'AXIS Weekly 10 GB'): Promise<void> {
  await t.send('/renew');
  await t.tap(plan);
}

/** Through to the Stripe link; returns the Checkout Session the Pay button opens. */
export async function checkout(h: Harness, t: Traveller, plan?: string) {
  await orderSummary(t, plan);
  await t.tap(/Pay by card|Bayar dengan kartu|用付款卡支付/);
  return h.stripe.latestSession();
}

/** Stars switched on beside Stripe, with a rate for plans that have no starsPrice of their own. */
export const STARS_ENV = { STARS_PAYMENTS: 'on', STARS_RATES: 'IDR:0.004,USD:75' };

/** From the linked message to the summary's "Pay N Stars" invoice link. */
export async function starsInvoiceLink(t: Traveller, plan?: string): Promise<string> {
  await orderSummary(t, plan);
  return t.urlButton('Stars');
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

/** My numbers → Auto-renew with the first plan and budget offered, and a card saved on Stripe's page. */
export async function autoRenewOn(h: Harness, t: Traveller): Promise<void> {
  await t.send('/numbers');
  await t.tap('Auto-renew');
  await t.tap('Set up auto-renew');
  await t.tap('AXIS Weekly 10 GB');
  await t.tap('IDR 140,000');
  await t.tap('6 h before expiry');
  await t.tap('Confirm');
  const setup = h.stripe.latestSession('setup');
  await h.stripe.deliver(h.appUrl, h.stripe.completeSetup(setup.id, { behaviour: 'succeeds' }));
  await t.waitFor((text) => text.includes('Card saved'));
}

/**
 * Waits until every paid order's top-up is with the provider (its "pending" answer written), then moves the
 * harness clock past the sweep's wait and sweeps: the status check a pending top-up gets on its next sweep.
 * Moving the clock before that answer is written would stamp it with the later time, and the sweep would skip it.
 */
export async function sweepPendingTopUps(h: Harness): Promise<void> {
  await vi.waitFor(
    async () =>
      expect(
        await h.database.db.order.count({
          where: { OR: [{ state: 'paid' }, { state: 'topping_up', providerRef: null }] },
        }),
      ).toBe(0),
    { timeout: WAIT_MS, interval: 25 },
  );
  h.advance(2 * 60_000);
  await h.app.fulfilment.sweep();
}

/** Waits until the outbox has sent everything due by the harness clock: what a journey queued has reached the chat (or failed). */
export async function outboxDelivered(h: Harness): Promise<void> {
  await vi.waitFor(
    async () =>
      expect(
        await h.database.db.outboxMessage.count({
          where: { state: { in: ['pending', 'sending'] }, nextAttemptAt: { lte: h.now() } },
        }),
      ).toBe(0),
    { timeout: WAIT_MS, interval: 50 },
  );
}

/** The receipts sent as messages of their own: an order's summary, edited to show its receipt, is not another. */
export async function receiptsOfTheirOwn(h: Harness, t: Traveller) {
  const summaries = new Set(
    (await h.database.db.order.findMany({ select: { summaryMessageId: true } })).map((o) => o.summaryMessageId),
  );
  return t.messages().filter((m) => m.text?.includes(RECEIPT_HEADLINE) && !summaries.has(m.message_id));
}
