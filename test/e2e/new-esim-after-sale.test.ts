import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CB } from '../../src/bot/callback-data.js';
import type { FakeAiralo } from '../fakes/airalo-api.js';
import type { Traveller } from '../fakes/telegram-api.js';
import { englishConsole, fragment, t as copy, words } from '../helpers/copy.js';
import { consoleSession } from '../helpers/console-client.js';
import { databaseKinds } from '../helpers/database.js';
import type { Harness } from '../helpers/harness.js';
import { newEsimHarness } from '../helpers/new-esim-harness.js';

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

  /** Buys Japan's 1 GB eSIM and waits for its QR code: the order id and the eSIM's ICCID. */
  async function bought(t: Traveller): Promise<{ orderId: string; iccid: string }> {
    await t.send('/start');
    await t.tap(copy('menu.esim'));
    await t.send('Japan');
    await t.tap('1 GB');
    await t.tap(copy('esim.ready'));
    await t.tap(words('renew.pay_card'));
    const session = h.stripe.latestSession();
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    await t.waitFor((_, m) => photo(m));
    const orderId = session.metadata.orderId as string;
    return { orderId, iccid: airalo.orders.find((o) => o.description === `kuota:${orderId}`)!.iccid };
  }

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
