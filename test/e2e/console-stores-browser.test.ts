import type { Browser, Page } from 'playwright-core';
import type { TFunction } from 'i18next';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  consoleCopy,
  consoleErrors,
  csrfToken,
  launchChromium,
  overflow,
  SCREENS,
  signIn,
} from '../helpers/console-browser.js';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const OWNER = 782001;
const SUPPORT = 782002;

describe.each(databaseKinds)('partner stores in the console on %s', (db) => {
  let browser: Browser;
  let h: Harness;
  let t: TFunction;
  beforeAll(async () => {
    browser = await launchChromium();
    t = await consoleCopy();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    h = await startHarness({ db, env: { ADMIN_IDS: String(OWNER) } });
  });
  afterEach(async () => {
    await h.stop();
  });

  const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);
  const fits = async (page: Page) => expect(await overflow(page)).toEqual({ excess: 0, widest: [] });

  it.each(SCREENS)(
    '$name: an owner adds a store from a map link, changes its hours and switches it off; support cannot',
    async (screen) => {
      const context = await browser.newContext({ locale: 'en-GB', viewport: screen });
      const page = await context.newPage();
      const errors = consoleErrors(page);
      await signIn(h, page, OWNER);
      await page.goto(`${h.appUrl}/console/stores`);
      expect(await page.locator('[data-store="jkt-thamrin"] [data-revenue]').textContent()).toBe(
        t('stores.no_revenue'),
      );
      await fits(page);
      await page.getByRole('link', { name: t('stores.add') }).click();
      await fits(page);

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
      await fits(page);

      await field(page, 'location').fill(
        'https://www.google.com/maps/place/Kuta/@-8.7180,115.1680,17z/data=!3m1!4b1!8m2!3d-8.7184!4d115.1686',
      );
      await page.locator('[data-checks="carriers"] input[value="axis"]').check();
      await page.locator('[data-checks="carriers"] input[value="telkomsel"]').check();
      await page.locator('[data-checks="sells"] input[value="topup"]').check();
      await field(page, 'hours.sun.closed').check();
      await page.getByRole('button', { name: t('stores.form.add') }).click();
      await page.waitForURL(/\/console\/stores\/bali-kuta-2\/edit\?result=added$/);
      expect(await page.locator('[role=status]').textContent()).toBe(t('stores.form.result.added'));
      expect(await page.locator('[data-pin]').getAttribute('href')).toContain('mlat=-8.7184&mlon=115.1686');
      await fits(page);
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
      await fits(page);

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
      await fits(page);

      // Support sees the stores but no buttons, and a forged switch is refused.
      await h.app.services.operator.operators.setSupport(OWNER, SUPPORT, true);
      const support = await browser.newContext({ locale: 'en-GB', viewport: screen });
      const supportPage = await support.newPage();
      await signIn(h, supportPage, SUPPORT);
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
      await support.close();
      await context.close();
    },
    180_000,
  );
});
