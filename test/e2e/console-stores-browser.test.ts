import { describe, expect, it } from 'vitest';
import { chatCopy, consoleSuite, csrfToken, expectFits, field, SCREENS } from '../helpers/console-browser.js';
import { databaseKinds } from '../helpers/database.js';
import { startHarness } from '../helpers/harness.js';
import { FakeNominatim } from '../fakes/nominatim-api.js';

const OWNER = 782001;
const SUPPORT = 782002;

describe.each(databaseKinds)('partner stores in the console on %s', (db) => {
  const s = consoleSuite({ owner: OWNER, db });

  it.each(SCREENS)(
    '$name: an owner adds a store from a map link, changes its hours and switches it off; support cannot',
    async (screen) => {
      const { h, t } = s;
      const { context, page, errors } = await s.signedIn(OWNER, screen);
      await page.goto(`${h.appUrl}/console/stores`);
      expect(await page.locator('[data-store="jkt-thamrin"] [data-revenue]').textContent()).toBe(
        t('stores.no_revenue'),
      );
      await expectFits(page);
      await page.getByRole('link', { name: t('stores.add') }).click();
      await expectFits(page);
      // No GEOCODER_URL: no map search, the coordinates are pasted.
      expect(await page.getByRole('button', { name: t('stores.form.geocode.find_on_map') }).count()).toBe(0);

      // A short link and nothing ticked: each said beside its field, the rest kept.
      await field(page, 'id').fill('bali-kuta-2');
      await field(page, 'name').fill('Kuota Partner Kuta Beach');
      await field(page, 'city').fill('Denpasar');
      await field(page, 'address').fill('Jl. Pantai Kuta 2, Kuta, Badung');
      await field(page, 'location').fill('https://maps.app.goo.gl/AbCdEf123');
      await field(page, 'timezone').selectOption('Asia/Makassar');
      await page.getByRole('button', { name: t('stores.form.add') }).click();
      expect(await page.locator('[data-form-problems]').textContent()).toBe(t('form.check_marked'));
      expect(await page.locator('[data-problem="location"]').textContent()).toBe(t('form.problem.short_link'));
      expect(await page.locator('[data-problem="carriers"]').textContent()).toBe(t('form.problem.choose_one'));
      expect(await field(page, 'name').inputValue()).toBe('Kuota Partner Kuta Beach');
      await expectFits(page);

      await field(page, 'location').fill(
        'https://www.google.com/maps/place/Kuta/@-8.7180,115.1680,17z/data=!3m1!4b1!8m2!3d-8.7184!4d115.1686',
      );
      // The boxes are named as travellers know the carriers.
      await page.getByRole('checkbox', { name: chatCopy('carrier.tri') }).check();
      await page.getByRole('checkbox', { name: chatCopy('carrier.tri') }).uncheck();
      await page.locator('[data-checks="carriers"] input[value="axis"]').check();
      await page.locator('[data-checks="carriers"] input[value="telkomsel"]').check();
      await page.locator('[data-checks="sells"] input[value="topup"]').check();
      await field(page, 'hours.sun.closed').check();
      await page.getByRole('button', { name: t('stores.form.add') }).click();
      await page.waitForURL(/\/console\/stores\/bali-kuta-2\/edit\?result=added$/);
      expect(await page.locator('[role=status]').textContent()).toBe(t('stores.form.result.added'));
      expect(await page.locator('[data-pin]').getAttribute('href')).toContain('mlat=-8.7184&mlon=115.1686');
      await expectFits(page);
      const store = () => h.database.db.store.findUniqueOrThrow({ where: { id: 'bali-kuta-2' } });
      expect(await store()).toMatchObject({
        lat: -8.7184,
        lng: 115.1686,
        timezone: 'Asia/Makassar',
        carriers: ['axis', 'telkomsel'],
        sells: ['topup'],
        active: true,
      });
      expect((await store()).hours).toMatchObject({ sun: null, mon: ['09:00', '21:00'] });
      // Travellers find it near Kuta at once.
      const near = await h.app.services.stores.near({ lat: -8.72, lng: 115.17 });
      expect(near[0]?.id).toBe('bali-kuta-2');

      // Saturday's hours change.
      await field(page, 'hours.sat.opens').fill('10:00');
      await field(page, 'hours.sat.closes').fill('23:30');
      await page.getByRole('button', { name: t('stores.form.save') }).click();
      await page.waitForURL(/result=saved$/);
      expect((await store()).hours).toMatchObject({ sat: ['10:00', '23:30'] });

      // Switched off from the list: travellers no longer see it, the list still shows it to switch on again.
      await page.goto(`${h.appUrl}/console/stores`);
      // The carriers it serves, by their names as the chat writes them, not their codes.
      const carriers = (await page.locator('[data-store="bali-kuta-2"] [data-carriers]').textContent())!;
      expect(carriers).toContain(chatCopy('carrier.axis'));
      expect(carriers).toContain(chatCopy('carrier.telkomsel'));
      expect(carriers).not.toMatch(/axis|telkomsel/);
      await page
        .locator('[data-store="bali-kuta-2"]')
        .getByRole('button', { name: t('stores.form.switch_off') })
        .click();
      await page.waitForURL(/result=switched_off$/);
      expect(await page.locator('[role=status]').textContent()).toBe(t('stores.form.result.switched_off'));
      expect(await page.locator('[data-store="bali-kuta-2"]').textContent()).toContain(t('stores.inactive'));
      expect((await h.app.services.stores.near({ lat: -8.72, lng: 115.17 })).map((s) => s.id)).not.toContain(
        'bali-kuta-2',
      );
      await expectFits(page);

      // The audit log, in words.
      await page.goto(`${h.appUrl}/console/audit`);
      const edit = (await page
        .locator('[data-audit] tr', { hasText: t('audit.action.store.edit') })
        .first()
        .textContent())!;
      expect(edit).toContain(
        t('common.field', {
          label: t('audit.field.hours'),
          value: `${t('stores.days.sat')} 09:00–21:00 → ${t('stores.days.sat')} 10:00–23:30`,
        }),
      );
      const switched = (await page
        .locator('[data-audit] tr', { hasText: t('audit.action.store.switch') })
        .textContent())!;
      expect(switched).toContain(
        t('common.field', {
          label: t('audit.field.active'),
          value: `${t('catalog.on_sale')} → ${t('catalog.off_sale')}`,
        }),
      );
      expect(await page.locator('[data-audit] tr', { hasText: t('audit.action.store.add') }).count()).toBe(1);
      await expectFits(page);

      // Support sees the stores but no buttons, and a forged switch is refused.
      const { page: supportPage } = await s.asSupport(SUPPORT, screen);
      await supportPage.goto(`${h.appUrl}/console/stores`);
      expect(await supportPage.getByRole('link', { name: t('stores.add') }).count()).toBe(0);
      expect(await supportPage.getByRole('button', { name: t('stores.form.switch_off') }).count()).toBe(0);
      const forged = await supportPage.request.post(`${h.appUrl}/console/stores/jkt-thamrin/switch`, {
        form: { _csrf: await csrfToken(supportPage), active: 'false' },
      });
      expect(forged.status()).toBe(403);
      expect((await supportPage.goto(`${h.appUrl}/console/stores/add`))!.status()).toBe(403);
      expect((await h.database.db.store.findUniqueOrThrow({ where: { id: 'jkt-thamrin' } })).active).toBe(true);
      expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
      await context.close();
    },
    180_000,
  );
});

describe.each(databaseKinds)("a partner store's coordinates found from its address on %s", (db) => {
  let nominatim: FakeNominatim;
  const s = consoleSuite({
    owner: OWNER,
    start: async (env) => {
      nominatim = await FakeNominatim.start([
        {
          address: 'Jl. Legian 88, Kuta',
          lat: -8.7107,
          lon: 115.1702,
          name: 'Jalan Legian 88, Kuta, Badung, Bali, 80361, Indonesia',
        },
      ]);
      const h = await startHarness({ db, env: { ...env, GEOCODER_URL: nominatim.url } });
      return { h, stop: () => nominatim.close() };
    },
  });

  it.each(SCREENS)(
    '$name: "Find on the map" fills the coordinates the store is saved with; no result and a silent service are said',
    async (screen) => {
      const { h, t } = s;
      const { page, errors } = await s.signedIn(OWNER, screen);
      await page.goto(`${h.appUrl}/console/stores/add`);
      const find = page.getByRole('button', { name: t('stores.form.geocode.find_on_map') });
      const said = page.locator('[data-geocode-result]');
      await field(page, 'id').fill('bali-legian');
      await field(page, 'name').fill('Kuota Partner Legian');
      await field(page, 'city').fill('Badung');

      // An address the map does not know: said, and the coordinates stay empty.
      await field(page, 'address').fill('Jl. Nowhere 1');
      await find.click();
      await expect.poll(() => said.innerText()).toBe(t('stores.form.geocode.not_found'));
      expect(await field(page, 'location').inputValue()).toBe('');

      await field(page, 'address').fill('Jl. Legian 88, Kuta');
      await find.click();
      await expect
        .poll(() => said.innerText())
        .toBe(t('stores.form.geocode.found', { place: 'Jalan Legian 88, Kuta, Badung, Bali, 80361, Indonesia' }));
      expect(await field(page, 'location').inputValue()).toBe('-8.7107, 115.1702');
      await expectFits(page);
      // Nominatim's documented search, one place, and a User-Agent naming Kuota (its usage policy).
      expect(nominatim.requests.at(-1)).toMatchObject({
        q: 'Jl. Legian 88, Kuta, Badung',
        format: 'jsonv2',
        limit: '1',
      });
      expect(nominatim.requests.at(-1)!.userAgent).toMatch(/^Kuota/);

      await page.locator('[data-checks="carriers"] input[value="axis"]').check();
      await page.locator('[data-checks="sells"] input[value="topup"]').check();
      await page.getByRole('button', { name: t('stores.form.add') }).click();
      await page.waitForURL(/\/console\/stores\/bali-legian\/edit\?result=added$/);
      expect(await h.database.db.store.findUniqueOrThrow({ where: { id: 'bali-legian' } })).toMatchObject({
        lat: -8.7107,
        lng: 115.1702,
        address: 'Jl. Legian 88, Kuta',
      });

      // The service answers no more: the operator is told, the coordinates typed are kept, and the same
      // address asked again is answered from memory without a request.
      nominatim.down = true;
      const asked = nominatim.requests.length;
      await field(page, 'address').fill('Jl. Legian 90, Kuta');
      await find.click();
      await expect.poll(() => said.innerText()).toBe(t('stores.form.geocode.unreachable'));
      expect(await field(page, 'location').inputValue()).toBe('-8.7107, 115.1702');
      await field(page, 'address').fill('Jl. Legian 88, Kuta');
      await find.click();
      await expect.poll(() => said.innerText()).toContain('Jalan Legian 88');
      expect(nominatim.requests.length).toBe(asked + 1);
      await expectFits(page);
      expect(errors).toEqual([]);
    },
    120_000,
  );
});
