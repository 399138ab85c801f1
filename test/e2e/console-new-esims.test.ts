import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/domain/money.js';
import type { FakeAiralo } from '../fakes/airalo-api.js';
import { consoleSession } from '../helpers/console-client.js';
import { englishConsole } from '../helpers/copy.js';
import { databaseKinds } from '../helpers/database.js';
import type { Harness } from '../helpers/harness.js';
import { paidOrder, travellerWithLine } from '../helpers/journeys.js';
import { boughtJapanEsim, newEsimHarness } from '../helpers/new-esim-harness.js';

const OWNER = 882_001;

/** The HTML of one destination's group on the catalog page, or null when the page has none. */
const group = (html: string, key: string): string | null => {
  const start = html.indexOf(`<section data-destination="${key}">`);
  return start < 0 ? null : html.slice(start, html.indexOf('</section>', start));
};

describe.each(databaseKinds)('new eSIMs on the console overview and catalog (%s)', (db) => {
  let h: Harness;
  let airalo: FakeAiralo;
  beforeEach(async () => {
    ({ h, airalo } = await newEsimHarness(db, { ADMIN_IDS: String(OWNER) }));
  });
  afterEach(async () => {
    await h.stop();
    await airalo.close();
  });

  it('counts new eSIMs sold beside renewals on the overview, never as renewals', async () => {
    await boughtJapanEsim(h, airalo, h.telegram.traveller(88_201, { language_code: 'en' }));
    const renewer = await travellerWithLine(h);
    await paidOrder(h, renewer);
    await expect
      .poll(async () => {
        const today = (await h.app.operator.overview.get('Asia/Jakarta')).periods.today;
        return { newEsims: today.newEsimsSold, chat: today.renewalsByChannel.chat };
      })
      .toEqual({ newEsims: 1, chat: 1 });
    const overview = await h.app.operator.overview.get('Asia/Jakarta');
    expect(overview.daily.at(-1)!.orders).toBe(2);

    const page = await (await consoleSession(h, OWNER)).page('/console');
    expect(page).toContain(englishConsole['overview.new_esims']);
    for (const period of ['today', '7d', '30d']) expect(page).toMatch(new RegExp(`data-new-esims="${period}"[^>]*>1<`));
  }, 120_000);

  it('groups eSIM packages by destination on the catalog page, each with its price, cost and margin', async () => {
    const page = await (await consoleSession(h, OWNER)).page('/console/catalog');
    expect(page).toContain(englishConsole['catalog.esim_destinations']);
    const japan = group(page, 'JP');
    const asia = group(page, 'region:asia');
    expect(japan).toContain('<h3>Japan (JP)</h3>');
    expect(asia).toContain(`<h3>${englishConsole['catalog.region.asia']}</h3>`);

    const packages = await h.database.db.plan.findMany({ where: { packageType: 'sim' } });
    // The fake's Indonesian, Japanese and pan-Asian packages.
    expect(packages.map((p) => p.countries!.split(',').length).sort()).toEqual([1, 1, 1, 1, 5]);
    expect(group(page, 'ID')).toContain('<h3>Indonesia (ID)</h3>');
    for (const plan of packages) {
      const html = plan.countries!.includes(',') ? asia! : group(page, plan.countries!)!;
      const at = html.indexOf(`data-plan="${plan.code}"`);
      expect(at).toBeGreaterThan(0);
      const row = html.slice(at, html.indexOf('</tr>', at));
      const money = (amountMinor: number) => formatMoney({ amountMinor, currency: plan.currency }, 'en');
      expect(row).toContain(money(plan.priceMinor));
      expect(row).toContain(money(plan.costMinor!));
      expect(row).toContain(money(plan.priceMinor - plan.costMinor!));
      // Each package once on the page: in its destination's group, not in the table of other plans.
      expect(page.split(`data-plan="${plan.code}"`)).toHaveLength(2);
    }
    // Plans that sell no new eSIM stay in the main table.
    expect(page.slice(0, page.indexOf('<section data-destination='))).toContain('data-plan="axis-weekly-10gb"');
  });
});
