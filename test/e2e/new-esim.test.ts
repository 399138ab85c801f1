import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { luhnValid } from '../../src/domain/iccid.js';
import { RETRY_WINDOW_MS, STALE_TOP_UP_MS } from '../../src/services/fulfilment.js';
import { FakeAiralo, JAPAN_OPERATOR_ID } from '../fakes/airalo-api.js';
import type { Traveller } from '../fakes/telegram-api.js';
import { fragment, t as copy, rendered, words } from '../helpers/copy.js';
import { databaseKinds } from '../helpers/database.js';
import type { Harness } from '../helpers/harness.js';
import { newEsimHarness } from '../helpers/new-esim-harness.js';
import { STARS_ENV } from '../helpers/journeys.js';
import { orderNumber } from '../../src/domain/order-state.js';

const locale = (language: string) =>
  JSON.parse(readFileSync(new URL(`../../locales/${language}/translation.json`, import.meta.url), 'utf8')) as {
    esim: Record<string, string>;
    menu: Record<string, string>;
  };
const en = locale('en');
/** A locale text up to its first placeholder: what a traveller reads first. */
const opening = (text: string) => text.split('{{')[0]!.replace(/<[^>]+>/g, '');

describe.each(databaseKinds)('selling a new travel eSIM in the chat (%s)', (db) => {
  let h: Harness;
  let airalo: FakeAiralo;
  beforeEach(async () => {
    ({ h, airalo } = await newEsimHarness(db));
  });
  afterEach(async () => {
    await h.stop();
    await airalo.close();
  });

  const planButtons = (t: Traveller) =>
    (t.last().reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data ?? '');

  /** From the menu to the summary of Japan's 1 GB plan. */
  async function summaryForJapan(t: Traveller): Promise<void> {
    await t.send('/start');
    await t.tap(en.menu.esim!);
    await t.send('Japan');
    await t.tap('1 GB');
    await t.tap(en.esim.ready!);
  }

  async function pay(t: Traveller): Promise<string> {
    await t.tap(words('renew.pay_card'));
    const session = h.stripe.latestSession();
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    return session.metadata.orderId as string;
  }

  it('finds Japan typed in three languages, and the same plans each time (local and regional)', async () => {
    const seen: string[][] = [];
    for (const [id, language, typed] of [
      [8101, 'en', 'Japan'],
      [8102, 'ja', '日本'],
      [8103, 'id', 'eSIM Jepang'],
    ] as const) {
      const t = h.telegram.traveller(id, { language_code: language });
      await t.send(typed === 'eSIM Jepang' ? typed : '/esim');
      if (typed !== 'eSIM Jepang') await t.send(typed);
      seen.push(planButtons(t));
      expect(t.last().text).toContain(opening(locale(language).esim.pick_plan!).trim());
    }
    expect(seen[0]).toEqual([
      'ep:airalo-moshi-moshi-7days-1gb',
      'ep:airalo-asialink-7days-3gb',
      'ep:airalo-moshi-moshi-15days-5gb',
    ]);
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
  });

  it('answers a place it cannot find with suggestions, in the traveller’s language', async () => {
    const t = h.telegram.traveller(8104, { language_code: 'en' });
    await t.send('/esim');
    await t.send('Japna');
    expect(t.last().text).toContain(rendered('esim.not_found_suggest', { text: 'Japna' }));
    expect(planButtons(t)).toContain('ed:JP');
    await t.tap('Japan');
    expect(planButtons(t)).toContain('ep:airalo-moshi-moshi-7days-1gb');
  });

  it('says so when a place it knows has no plans, and lets the traveller pick another', async () => {
    const t = h.telegram.traveller(8111, { language_code: 'en' });
    await t.send('/esim');
    await t.send('Peru');
    expect(t.last().text).toContain(opening(en.esim.no_plans!));
    expect(planButtons(t).filter((b) => b.startsWith('ep:'))).toEqual([]);
    // The answer names /esim as the way to try another place.
    await t.send('/esim Japan');
    expect(planButtons(t)).toContain('ep:airalo-moshi-moshi-7days-1gb');
  });

  it('delivers the paid eSIM: QR photo, Apple link, copy buttons, steps, and the line in My numbers with data left', async () => {
    const t = h.telegram.traveller(8105, { language_code: 'en' });
    await summaryForJapan(t);
    expect(t.last().text).toContain(words('esim.summary', 1));
    const orderId = await pay(t);
    await t.waitFor((_, m) => !!(m as { photoBytes?: Buffer }).photoBytes);
    const photo = t.messages().find((m) => (m as { photoBytes?: Buffer }).photoBytes)!;
    const buttons = (photo.reply_markup?.inline_keyboard ?? []).flat();
    const apple = buttons.find((b) => b.text === en.esim.install_iphone);
    expect(apple?.url).toMatch(/^https:\/\/esimsetup\.apple\.com\/.*LPA:1\$lpa\.airalo\.com\$KUOTA/);
    expect(buttons.find((b) => b.text === en.esim.copy_smdp)?.copy_text?.text).toBe('lpa.airalo.com');
    expect(buttons.find((b) => b.text === en.esim.copy_code)?.copy_text?.text).toMatch(/^KUOTA[0-9A-F]{12}$/);
    expect(photo.caption).toContain('APN: plus.4g');
    // The partner's steps, in the traveller's language.
    await t.waitFor((text) => text.includes('Scan the QR code.'));
    expect(airalo.orderPosts()).toBe(1);
    const iccid = airalo.orders[0]!.iccid;
    expect(luhnValid(iccid)).toBe(true);
    expect(airalo.orders[0]!.description).toBe(`kuota:${orderId}`);

    // The eSIM is the traveller's line at once: My numbers, with its data left.
    await t.send('/numbers');
    expect(t.last().text).toContain(iccid.slice(-4));
    expect(t.last().text).toMatch(/📶/);

    // Sent again on request, never bought again.
    await t.tap(en.esim.resend!);
    await t.waitFor(() => t.messages().filter((m) => (m as { photoBytes?: Buffer }).photoBytes).length === 2);
    expect(airalo.orderPosts()).toBe(1);
  });

  it('finds an order whose answer timed out in the order list, and never buys it twice', async () => {
    const t = h.telegram.traveller(8106, { language_code: 'en' });
    await summaryForJapan(t);
    airalo.answerNextOrderLate(3000);
    const orderId = await pay(t);
    await t.waitFor((text) => text.includes(opening(en.esim.on_its_way!).trim()));
    h.advance(STALE_TOP_UP_MS + 1000);
    await h.app.services.fulfilment.sweep();
    await t.waitFor((_, m) => !!(m as { photoBytes?: Buffer }).photoBytes);
    expect(airalo.orderPosts()).toBe(1);
    const order = await h.database.db.order.findUniqueOrThrow({ where: { id: orderId } });
    expect(order.state).toBe('fulfilled');
  });

  it('with the partner down at delivery: says the eSIM is on its way, retries in the sweep, and refunds once the window has passed', async () => {
    const t = h.telegram.traveller(8113, { language_code: 'en' });
    await summaryForJapan(t);
    airalo.failNextOrder(false);
    const orderId = await pay(t);
    await t.waitFor((text) => text.includes(opening(en.esim.on_its_way!).trim()));
    // Still down at the sweep inside the window: asked again, nothing refunded yet.
    airalo.failNextOrder(false);
    h.advance(STALE_TOP_UP_MS + 1000);
    await h.app.services.fulfilment.sweep();
    expect(airalo.orderPosts()).toBe(2);
    expect((await h.database.db.order.findUniqueOrThrow({ where: { id: orderId } })).state).toBe('topping_up');
    expect(h.stripe.refunds).toHaveLength(0);
    // Still down once the window has passed: the money goes back, and the traveller is told so.
    airalo.failNextOrder(false);
    h.advance(RETRY_WINDOW_MS);
    await h.app.services.fulfilment.sweep();
    await t.waitFor((text) => text.includes(opening(en.esim.refunded!).trim()));
    expect((await h.database.db.order.findUniqueOrThrow({ where: { id: orderId } })).state).toBe('refunded');
    expect(h.stripe.refunds).toHaveLength(1);
    expect(t.messages().some((m) => (m as { photoBytes?: Buffer }).photoBytes)).toBe(false);
  });

  it('refunds a delivery the partner refuses', async () => {
    const t = h.telegram.traveller(8107, { language_code: 'en' });
    await summaryForJapan(t);
    // The package went out of stock after the catalog was read: the partner refuses it (code 34).
    const japan = airalo.countries.flatMap((c) => c.operators).find((o) => o.id === JAPAN_OPERATOR_ID)!;
    japan.packages = japan.packages.filter((p) => p.id !== 'moshi-moshi-7days-1gb');
    const orderId = await pay(t);
    await t.waitFor((text) => text.includes(opening(en.esim.refunded!).trim()));
    expect((await h.database.db.order.findUniqueOrThrow({ where: { id: orderId } })).state).toBe('refunded');
    expect(t.messages().some((m) => (m as { photoBytes?: Buffer }).photoBytes)).toBe(false);
  });

  it('refunds an order the partner answers with no eSIM in it, and never orders it again', async () => {
    const t = h.telegram.traveller(8112, { language_code: 'en' });
    await summaryForJapan(t);
    airalo.answerNextOrderWithoutSims();
    const orderId = await pay(t);
    await t.waitFor((text) => text.includes(opening(en.esim.refunded!).trim()));
    expect((await h.database.db.order.findUniqueOrThrow({ where: { id: orderId } })).state).toBe('refunded');
    expect(h.stripe.refunds).toHaveLength(1);
    expect(t.messages().some((m) => (m as { photoBytes?: Buffer }).photoBytes)).toBe(false);
    // The sweep later finds nothing to retry: the partner's empty answer is final, not a reason to buy again.
    await h.app.services.fulfilment.sweep();
    expect(airalo.orderPosts()).toBe(1);
  });

  it('makes one order and one partner order when Buy and Pay are each tapped twice, and words the payment as a new eSIM', async () => {
    const t = h.telegram.traveller(8108, { language_code: 'en' });
    const twice = async (label: string) => {
      const button = t.buttons().find((b) => b.text.includes(label) && b.callback_data)!;
      await Promise.all([
        t.tapData(button.callback_data!, button.message.message_id),
        t.tapData(button.callback_data!, button.message.message_id),
      ]);
    };
    await t.send('/start');
    await t.tap(en.menu.esim!);
    await t.send('Japan');
    await twice('1 GB');
    await t.waitFor((text) => text.includes(opening(en.esim.check!).trim()));
    await twice(en.esim.ready!);
    await t.waitFor((text) => text.includes(words('esim.summary', 1)));
    const user = await h.database.db.user.findFirstOrThrow({ where: { telegramId: 8108 } });
    expect(await h.database.db.order.count({ where: { userId: user.id } })).toBe(1);

    // The partner is slow: the traveller reads where the order stands before the eSIM arrives.
    airalo.answerNextOrderLate(3000);
    await twice(words('renew.pay_card'));
    await t.waitFor(() => h.stripe.sessions.size > 0);
    expect(h.stripe.sessions.size).toBe(1);
    const session = h.stripe.latestSession();
    const paid = h.stripe.pay(session.id);
    await Promise.all([h.stripe.deliver(h.appUrl, paid), h.stripe.deliver(h.appUrl, paid)]);
    await t.waitFor((text) => text.includes(fragment('esim.payment_received', 2)));
    await t.waitFor((text) => text.includes(copy('esim.state.topping_up')));
    await t.waitFor((text) => text.includes(opening(en.esim.on_its_way!).trim()));
    h.advance(STALE_TOP_UP_MS + 1000);
    await h.app.services.fulfilment.sweep();
    await t.waitFor((_, m) => !!(m as { photoBytes?: Buffer }).photoBytes);

    expect(await h.database.db.order.count({ where: { userId: user.id } })).toBe(1);
    expect(airalo.orderPosts()).toBe(1);
    // Nothing the traveller read speaks of renewing a plan on a number.
    const renewal = fragment('notify.payment_received', 2).trim();
    expect(t.messages().filter((m) => (m.text ?? '').includes(renewal))).toEqual([]);
    expect(t.messages().filter((m) => (m.text ?? '').includes(copy('state.topping_up')))).toEqual([]);
  });
});

describe.each(databaseKinds)('a new eSIM paid in Telegram Stars (%s)', (db) => {
  let h: Harness;
  let airalo: FakeAiralo;
  beforeEach(async () => {
    ({ h, airalo } = await newEsimHarness(db, STARS_ENV));
  });
  afterEach(async () => {
    await h.stop();
    await airalo.close();
  });

  it('gives the Stars back for a delivery the partner refuses, in the new-eSIM words, not a renewal’s (issue 23)', async () => {
    const t = h.telegram.traveller(8131, { language_code: 'en' });
    await t.send('/start');
    await t.tap(en.menu.esim!);
    await t.send('Japan');
    await t.tap('1 GB');
    await t.tap(en.esim.ready!);
    const link = t.urlButton('Stars');
    // The package went out of stock after the catalog was read: the partner refuses it (code 34).
    const japan = airalo.countries.flatMap((c) => c.operators).find((o) => o.id === JAPAN_OPERATOR_ID)!;
    japan.packages = japan.packages.filter((p) => p.id !== 'moshi-moshi-7days-1gb');
    const { payment } = await t.payInvoice(link);

    const order = await h.database.db.order.findFirstOrThrow({ where: { telegramChargeId: payment!.chargeId } });
    const told = await t.waitFor((text) => text.startsWith(words('esim.refunded_stars')), 20_000);
    expect(told.text).toContain(orderNumber(order.id));
    expect(told.text).toContain(`${order.starsAmount} ${words('esim.refunded_stars', 3)}`);
    expect(t.messages().some((m) => m.text?.includes(words('stars.refunded.operator')))).toBe(false);
    expect(t.messages().some((m) => m.text?.includes(words('stars.refunded.top_up_failed')))).toBe(false);
    expect(h.telegram.starPayments.get(payment!.chargeId)!.refunded).toBe(true);
    expect((await h.database.db.order.findUniqueOrThrow({ where: { id: order.id } })).state).toBe('refunded');
  });
});
