import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CB } from '../../src/bot/callback-data.js';
import type { FakeAiralo } from '../fakes/airalo-api.js';
import type { Traveller } from '../fakes/telegram-api.js';
import { chatText, englishConsole, fragment, t as copy } from '../helpers/copy.js';
import { consoleSession } from '../helpers/console-client.js';
import { databaseKinds } from '../helpers/database.js';
import type { Harness } from '../helpers/harness.js';
import { boughtJapanEsim, newEsimHarness } from '../helpers/new-esim-harness.js';

const OWNER = 990_001;
const HOUR = 3_600_000;
const photo = (m: unknown) => !!(m as { photoBytes?: Buffer }).photoBytes;
/** A locale text up to its first placeholder: what a traveller reads first. */
const opening = (key: string) =>
  fragment(key)
    .replace(/<[^>]+>/g, '')
    .trim();

describe.each(databaseKinds)('a new eSIM after its delivery (%s)', (db) => {
  let h: Harness;
  let airalo: FakeAiralo;
  beforeEach(async () => {
    ({ h, airalo } = await newEsimHarness(db, {
      ADMIN_IDS: String(OWNER),
      ESIM_INSTALL_NUDGE_HOURS: '6',
      ESIM_REFUND_DAYS: '3',
    }));
  });
  afterEach(async () => {
    await h.stop();
    await airalo.close();
  });

  const bought = (t: Traveller, language = 'en') => boughtJapanEsim(h, airalo, t, language);

  const nudges = (t: Traveller) => t.messages().filter((m) => (m.text ?? '').includes(opening('esim.not_installed')));

  it('sends the "not installed yet" message once, with the install buttons again, and refunds an eSIM never installed through the partner first', async () => {
    const t = h.telegram.traveller(8201, { language_code: 'en' });
    const { orderId, iccid } = await bought(t);

    // Before the hours the operator set, nothing; after them, one message, however often the sweep runs.
    await h.app.services.fulfilment.sweep();
    expect(nudges(t)).toEqual([]);
    h.advance(6 * HOUR + 60_000);
    await h.app.services.fulfilment.sweep();
    await t.waitFor((text) => text.includes(opening('esim.not_installed')));
    await h.app.services.fulfilment.sweep();
    await h.app.outbox.runOnce({ wait: true });
    expect(nudges(t)).toHaveLength(1);
    const buttons = (nudges(t)[0]!.reply_markup?.inline_keyboard ?? []).flat();
    expect(buttons.find((b) => b.text === copy('esim.install_iphone'))?.url).toMatch(
      /^https:\/\/esimsetup\.apple\.com\//,
    );
    expect(buttons.map((b) => b.text)).toEqual(
      expect.arrayContaining([copy('esim.resend'), copy('esim.help_button'), copy('esim.refund_button')]),
    );
    // "Installation help" walks through installing this eSIM, not the general help on renewing one.
    const before = t.messages().length;
    await t.tap(copy('esim.help_button'));
    await t.waitFor((text) => text.includes(opening('esim.steps')));
    expect(
      t
        .messages()
        .slice(before)
        .map((m) => m.text ?? ''),
    ).not.toContainEqual(expect.stringContaining(opening('help.topics.esim.text')));

    await t.tap(copy('esim.refund_button'));
    await t.tap(copy('esim.refund_yes'));
    await t.waitFor((text) => text.includes(opening('esim.refunded_on_request')));
    expect(airalo.refundRequests).toEqual([
      { iccids: [iccid], reason: 'OTHERS', notes: expect.stringContaining(orderId) },
    ]);
    const order = await h.database.db.order.findUniqueOrThrow({ where: { id: orderId }, include: { esim: true } });
    expect(order.state).toBe('refunded');
    expect(order.esim?.partnerRefundRef).toMatch(/^\d+$/);
    expect(h.stripe.refunds).toHaveLength(1);

    // Asking again refunds nothing more, at the partner or in money.
    await t.tapData(CB.esimRefund('yes', orderId));
    await h.app.outbox.runOnce({ wait: true });
    expect(airalo.refundRequests).toHaveLength(1);
    expect(h.stripe.refunds).toHaveLength(1);
  });

  it('refuses the refund of an installed eSIM, telling the traveller and the console why, and shows the eSIM on the order page', async () => {
    const t = h.telegram.traveller(8202, { language_code: 'en' });
    const { orderId, iccid } = await bought(t);
    airalo.sims.get(iccid)!.status = 'ACTIVE';

    // Installed: no "not installed yet" message.
    h.advance(6 * HOUR + 60_000);
    await h.app.services.fulfilment.sweep();
    await h.app.outbox.runOnce({ wait: true });
    expect(nudges(t)).toEqual([]);

    await t.tapData(CB.esimRefund('yes', orderId));
    await t.waitFor((text) => text.includes(fragment('esim.refund_installed', 2).trim()));
    expect(airalo.refundRequests).toEqual([]);

    const console = await consoleSession(h, OWNER);
    const form = await console.confirm(h.appUrl, orderId, 'refund');
    expect(await console.post(h.appUrl, orderId, 'refund', form)).toBe(
      `/console/orders/${orderId}?result=esim_installed`,
    );
    const page = await console.page(`/console/orders/${orderId}?result=esim_installed`);
    expect(page).toContain(englishConsole['orders.result.esim_installed']);
    expect(page).toContain('data-install-state="installed"');
    expect(page).toContain(englishConsole['orders.esim.refund_installed']);
    expect(page).not.toContain(iccid);
    expect(page).toContain(iccid.slice(-4));
    expect((await h.database.db.order.findUniqueOrThrow({ where: { id: orderId } })).state).toBe('fulfilled');
    expect(airalo.refundRequests).toEqual([]);
    expect(h.stripe.refunds).toEqual([]);

    // Reveal (audited) shows the full ICCID; Resend sends the same details again, never a second order.
    expect(await console.postForm(`/console/orders/${orderId}/esim/reveal`)).toBe(
      `/console/orders/${orderId}?iccid=shown`,
    );
    expect(await console.page(`/console/orders/${orderId}?iccid=shown`)).toContain(`data-revealed>${iccid}<`);
    expect(await console.postForm(`/console/orders/${orderId}/esim/resend`)).toBe(
      `/console/orders/${orderId}?result=esim_resent`,
    );
    await t.waitFor(() => t.messages().filter((m) => photo(m)).length === 2);
    expect(airalo.orderPosts()).toBe(1);
    const audits = await h.database.db.auditEntry.findMany({ where: { subject: orderId }, select: { action: true } });
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['order.esim_reveal', 'order.esim_resend']));
  });

  it('greets the traveller once, in their language, with the data they have when the eSIM first connects; a renewed eSIM is not greeted', async () => {
    const t = h.telegram.traveller(8204, { language_code: 'ja' });
    const { orderId, iccid } = await bought(t, 'ja');
    const [opening, closing] = chatText('ja', 'esim.first_use').split('{{plan}}') as [string, string];
    const greetings = () => t.messages().filter((m) => (m.text ?? '').startsWith(opening));

    // Not connected yet: the watch asks, and says nothing.
    await h.app.services.fulfilment.sweep();
    await h.app.outbox.runOnce({ wait: true });
    expect(greetings()).toEqual([]);

    // The partner's usage report moves from NOT_ACTIVE to ACTIVE (Airalo pushes no such event): the next
    // watch after the report's age greets, with the data left formatted the Japanese way.
    const sim = airalo.sims.get(iccid)!;
    Object.assign(sim, { status: 'ACTIVE', remainingMb: 900, expiresAt: new Date('2027-01-15T12:00:00Z') });
    h.advance(6 * 60_000);
    await h.app.services.fulfilment.sweep();
    const greeting = await t.waitFor((text) => text.startsWith(opening));
    const date = new Intl.DateTimeFormat('ja', { timeZone: 'Asia/Jakarta', day: 'numeric', month: 'short' }).format(
      sim.expiresAt,
    );
    const data = copy('usage.left_until', { left: '900 MB', total: '1 GB', date }, 'ja');
    const [headline, ...rest] = greeting.text!.split('\n\n');
    expect(headline!.startsWith(opening) && headline!.endsWith(closing)).toBe(true);
    expect(rest).toEqual([data, copy('esim.first_use_numbers', {}, 'ja')]);
    expect((greeting.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text)).toEqual([
      copy('menu.numbers', {}, 'ja'),
    ]);

    // Never twice: more watches, My numbers, and the "not installed yet" sweep hours later.
    await t.send('/start');
    await t.tap(copy('menu.numbers', {}, 'ja'));
    h.advance(6 * HOUR + 60_000);
    await h.app.services.fulfilment.sweep();
    await h.app.outbox.runOnce({ wait: true });
    expect(greetings()).toHaveLength(1);
    expect(nudges(t)).toEqual([]);
    expect((await h.database.db.esimPurchase.findUniqueOrThrow({ where: { orderId } })).installedAt).not.toBeNull();

    // An eSIM Kuota renews but did not sell connects for the first time too: no greeting.
    const renewing = h.telegram.traveller(8205, { language_code: 'ja' });
    await renewing.send('/start');
    const owner = await h.database.db.user.findFirstOrThrow({ where: { telegramId: 8205n } });
    const theirs = '8981100000999999990';
    airalo.addSim(theirs, { status: 'NOT_ACTIVE', remainingMb: 3072, totalMb: 3072 });
    const line = await h.database.db.line.create({
      data: { userId: owner.id, kind: 'iccid', identifier: theirs, carrier: 'esim', verifiedAt: new Date() },
    });
    await h.app.services.usage.current(line.id);
    airalo.sims.get(theirs)!.status = 'ACTIVE';
    h.advance(6 * 60_000);
    await h.app.services.usage.current(line.id);
    await h.app.services.fulfilment.sweep();
    await h.app.outbox.runOnce({ wait: true });
    expect((await h.database.db.line.findUniqueOrThrow({ where: { id: line.id } })).usageStatus).toBe('ACTIVE');
    expect(renewing.messages().filter((m) => (m.text ?? '').startsWith(opening))).toEqual([]);
  }, 90_000);

  it('refuses the refund once the window has passed, even when the eSIM was never installed', async () => {
    const t = h.telegram.traveller(8203, { language_code: 'en' });
    const { orderId } = await bought(t);
    h.advance(3 * 24 * HOUR + 60_000);
    await t.tapData(CB.esimRefund('yes', orderId));
    await t.waitFor((text) => text.includes(fragment('esim.refund_window_passed', 1).trim()));
    expect(airalo.refundRequests).toEqual([]);
    expect((await h.database.db.order.findUniqueOrThrow({ where: { id: orderId } })).state).toBe('fulfilled');
  });
});
