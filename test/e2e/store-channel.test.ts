import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { linkAnother, paidOrder } from '../helpers/journeys.js';
import { chatText, RECEIPT_HEADLINE, words } from '../helpers/copy.js';

const KUTA_LINK = 'https://t.me/kuota_test_bot?start=st_dps-kuta';

describe.each(databaseKinds)("renewals from a partner store's link (%s)", (db) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ db });
  });
  afterEach(async () => {
    await h.stop();
  });

  const startPayload = (link: string) => `/start ${new URL(link).searchParams.get('start')}`;

  it("greets the traveller in the store's name, and the renewal paid after it counts for that store", async () => {
    const t = h.telegram.traveller(8101, { language_code: 'id' });
    await t.send(startPayload(KUTA_LINK));
    expect(t.last().text).toContain('Kuota Partner Kuta');
    expect(t.last().text).toContain('Tautkan nomor');
    expect(JSON.stringify(t.last().reply_markup)).toContain('Perpanjang');

    await linkAnother(h, t, '0838 1234 5678');
    h.advance(3 * 3_600_000); // paid that evening, at the hotel
    const order = await paidOrder(h, t, 'AXIS Mingguan 10 GB');
    await t.waitFor((text) => text.includes(chatText('id', 'receipt.text').split('\n')[0]!));

    const row = await h.database.db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(row).toMatchObject({ source: 'store', storeId: 'dps-kuta' });
    const overview = await h.app.operator.overview.get('Asia/Jakarta');
    expect(overview.periods.today.renewalsByChannel).toMatchObject({ store: 1, chat: 0 });
    const stores = await h.app.operator.stores.list('Asia/Jakarta');
    expect(stores.find((s) => s.id === 'dps-kuta')).toMatchObject({ renewals30d: 1, opens30d: 1 });
    expect(stores.find((s) => s.id === 'jkt-thamrin')).toMatchObject({ renewals30d: 0, opens30d: 0 });
  });

  it("counts a renewal more than a day after the link as the traveller's own", async () => {
    const t = h.telegram.traveller(8102, { language_code: 'en' });
    await t.send(startPayload(KUTA_LINK));
    await linkAnother(h, t, '0838 1234 5678');
    h.advance(25 * 3_600_000);
    const order = await paidOrder(h, t);
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    expect(await h.database.db.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({
      source: 'manual',
      storeId: null,
    });
  });

  it('answers a link to a store that is gone, or made up, politely with the menu', async () => {
    const t = h.telegram.traveller(8103, { language_code: 'en' });
    for (const payload of ['st_closed-store', 'st_DPS_KUTA', `st_${'x'.repeat(61)}`]) {
      await t.send(`/start ${payload}`);
      expect(t.last().text).toContain(words('store_link.unknown'));
      expect(JSON.stringify(t.last().reply_markup)).toContain('Renew');
    }
    await t.send('/start st_');
    expect(t.last().text).toContain(words('menu.title'));
    expect(await h.database.db.storeVisit.count()).toBe(0);
  });
});
