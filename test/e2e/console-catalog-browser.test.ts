import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogChanges, parseCatalog } from '../../src/services/catalog/catalog.js';
import { RECEIPT_HEADLINE } from '../helpers/copy.js';
import { consoleSuite, csrfToken, expectFits, field, SCREENS } from '../helpers/console-browser.js';
import { databaseKinds } from '../helpers/database.js';
import { checkout, travellerWithLine } from '../helpers/journeys.js';

const OWNER = 781001;
const SUPPORT = 781002;
const PLAN = 'axis-weekly-10gb';

describe.each(databaseKinds)('editing the catalog in the console on %s', (db) => {
  const s = consoleSuite({ owner: OWNER, db });

  const ownerPage = (screen: (typeof SCREENS)[number]) => s.signedIn(OWNER, screen, { acceptDownloads: true });

  it.each(SCREENS)(
    '$name: an owner corrects a price; a refused form comes back as typed; an order already confirmed keeps its price; provider and on/off are saved and audited',
    async (screen) => {
      const { h, t } = s;
      // A traveller confirms an order at today's price before the owner changes it.
      const traveller = await travellerWithLine(h, '0838 4444 1212');
      const confirmed = await checkout(h, traveller);
      expect(confirmed.amount_total).toBe(35000 * 100);

      const { context, page, errors } = await ownerPage(screen);
      await page.goto(`${h.appUrl}/console/catalog`);
      await expectFits(page);
      await page.locator(`[data-plan="${PLAN}"]`).getByRole('link', { name: PLAN }).click();
      await page.waitForURL(/\/console\/catalog\/plans\/axis-weekly-10gb$/);
      expect(await field(page, 'price.amount').inputValue()).toBe('35000');
      expect(await field(page, 'altPrice.currency').inputValue()).toBe('SGD');
      expect(await field(page, 'starsPrice').inputValue()).toBe('150');
      await expectFits(page);

      // Mistakes: each is named beside its field, in words, and nothing typed is lost.
      await field(page, 'price.amount').fill('45.000,5');
      await field(page, 'prices.0.amount').fill('12000');
      await field(page, 'prices.0.currency').fill('WON');
      // Blank to the server (the browser's own check of `required` lets spaces through).
      await field(page, 'names.en').fill('   ');
      await field(page, 'names.id').fill('AXIS Mingguan 10 GB Hemat');
      await field(page, 'cost').fill('99999999');
      await page.getByRole('button', { name: t('catalog.form.save') }).click();
      expect(await page.locator('[data-form-problems]').textContent()).toBe(t('form.check_marked'));
      const problem = (name: string) => page.locator(`[data-problem="${name}"]`).textContent();
      expect(await problem('price.amount')).toBe(t('form.problem.amount'));
      expect(await problem('prices.0.currency')).toBe(t('form.problem.currency'));
      expect(await problem('names.en')).toBe(t('form.problem.name_required'));
      expect(await field(page, 'names.en').getAttribute('aria-invalid')).toBe('true');
      expect(await field(page, 'names.id').inputValue()).toBe('AXIS Mingguan 10 GB Hemat');
      expect(await field(page, 'prices.0.amount').inputValue()).toBe('12000');
      await expectFits(page);
      const plan = () => h.database.db.plan.findUniqueOrThrow({ where: { code: PLAN } });
      expect((await plan()).priceMinor).toBe(35000);

      // Corrected: the price, a price in won for Kakao Pay, Stars and the cost; the margin is shown.
      await field(page, 'price.amount').fill('45.000');
      await field(page, 'prices.0.currency').fill('KRW');
      await field(page, 'names.en').fill('AXIS Weekly 10 GB');
      await field(page, 'starsPrice').fill('190');
      await field(page, 'cost').fill('30000');
      await page.getByRole('button', { name: t('catalog.form.save') }).click();
      await page.waitForURL(/result=saved$/);
      expect(await page.locator('[role=status]').textContent()).toBe(t('catalog.form.result.saved'));
      expect(await page.locator('[data-margin]').textContent()).toContain('IDR');
      expect(await page.locator('[data-margin]').textContent()).toContain('33.3%');
      await expectFits(page);
      // Reloading the answer does not post again.
      await page.reload();
      expect(await h.database.db.auditEntry.count({ where: { action: 'plan.edit' } })).toBe(1);
      const saved = await plan();
      expect(saved).toMatchObject({ priceMinor: 45000, starsPrice: 190, costMinor: 30000, prices: { KRW: 12000 } });
      expect((saved.names as Record<string, string>).id).toBe('AXIS Mingguan 10 GB Hemat');

      // The order confirmed before the change is paid at the price it was confirmed at.
      await h.stripe.deliver(h.appUrl, h.stripe.pay(confirmed.id));
      await traveller.waitFor((text) => text.includes(RECEIPT_HEADLINE));
      const order = await h.database.db.order.findUniqueOrThrow({
        where: { id: confirmed.metadata.orderId as string },
      });
      expect(order).toMatchObject({ amountMinor: 35000, currency: 'IDR', state: 'fulfilled' });
      // The next order is made at the new price.
      expect((await checkout(h, traveller)).amount_total).toBe(45000 * 100);

      // The audit log says who changed what, in words.
      await page.goto(`${h.appUrl}/console/audit`);
      const entry = page.locator('[data-audit] tr', { hasText: t('audit.action.plan.edit') });
      const text = (await entry.textContent())!;
      expect(text).toContain(PLAN);
      expect(text).toMatch(/IDR\s?35,000 → IDR\s?45,000/);
      expect(text).toContain(t('common.field', { label: t('audit.field.starsPrice'), value: '150 → 190' }));
      const indonesian = (name: string) => t('common.field', { label: 'Indonesian', value: name });
      expect(text).toContain(
        t('common.field', {
          label: t('audit.field.names'),
          value: `${indonesian('AXIS Mingguan 10 GB')} → ${indonesian('AXIS Mingguan 10 GB Hemat')}`,
        }),
      );
      expect(text).toMatch(/KRW\s?12,000|₩12,000/);
      expect(text).not.toContain('{');
      await expectFits(page);

      // The plan moves to Digiflazz and comes off sale: both saved, shown back on the form, and audited.
      await page.goto(`${h.appUrl}/console/catalog/plans/${PLAN}`);
      expect(await field(page, 'provider').inputValue()).toBe('');
      expect(await field(page, 'active').isChecked()).toBe(true);
      await field(page, 'provider').selectOption('digiflazz');
      await field(page, 'active').uncheck();
      await page.getByRole('button', { name: t('catalog.form.save') }).click();
      await page.waitForURL(/result=saved$/);
      expect(await field(page, 'provider').inputValue()).toBe('digiflazz');
      expect(await field(page, 'active').isChecked()).toBe(false);
      expect(await plan()).toMatchObject({ provider: 'digiflazz', active: false, priceMinor: 45000 });
      await page.goto(`${h.appUrl}/console/audit`);
      const moved = page.locator('[data-audit] tr', {
        hasText: t('common.field', { label: t('audit.field.provider'), value: '— → digiflazz' }),
      });
      expect(await moved.count()).toBe(1);
      const movedText = (await moved.textContent())!;
      expect(movedText).toContain(t('audit.action.plan.edit'));
      expect(movedText).toContain(PLAN);
      expect(movedText).toContain(
        t('common.field', {
          label: t('audit.field.active'),
          value: `${t('catalog.on_sale')} → ${t('catalog.off_sale')}`,
        }),
      );
      expect(movedText).not.toContain(t('audit.field.price'));
      await expectFits(page);
      expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
      await context.close();
    },
    120_000,
  );

  it.each(SCREENS)(
    '$name: an owner adds a plan; the exported catalog loads back unchanged; support gets no buttons and a 403',
    async (screen) => {
      const { h, t } = s;
      const { context, page, errors } = await ownerPage(screen);
      await page.goto(`${h.appUrl}/console/catalog`);
      await page.getByRole('link', { name: t('catalog.form.new_plan') }).click();
      await expectFits(page);
      await field(page, 'code').fill('axis-weekly-10gb');
      await field(page, 'carrier').selectOption('axis');
      await field(page, 'kind').selectOption('weekly');
      await field(page, 'dataMb').fill('15360');
      await field(page, 'validityDays').fill('7');
      await field(page, 'names.en').fill('AXIS Weekly 15 GB');
      await field(page, 'names.ja').fill('AXIS 7日間 15GB');
      await field(page, 'price.amount').fill('50000');
      await field(page, 'providerSku').fill('AXWK15');
      await page.getByRole('button', { name: t('catalog.form.add') }).click();
      expect(await page.locator('[data-problem="code"]').textContent()).toBe(t('form.problem.code_taken'));
      await field(page, 'code').fill('axis-weekly-15gb');
      await page.getByRole('button', { name: t('catalog.form.add') }).click();
      await page.waitForURL(/\/console\/catalog\/plans\/axis-weekly-15gb\?result=added$/);
      expect(await page.locator('[role=status]').textContent()).toBe(t('catalog.form.result.added'));
      await expectFits(page);

      // The catalog as a file: every plan, the new one with it; loading it back changes nothing.
      await page.goto(`${h.appUrl}/console/catalog`);
      expect(await page.locator('[data-plan="axis-weekly-15gb"]').count()).toBe(1);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: t('catalog.export') }).click(),
      ]);
      const file = readFileSync(await download.path(), 'utf8');
      const entries = parseCatalog(JSON.parse(file));
      expect(entries.map((e) => e.code)).toContain('axis-weekly-15gb');
      expect(entries).toHaveLength(await h.database.db.plan.count());
      expect(await catalogChanges(h.database.db, entries)).toEqual({
        added: [],
        changed: [],
        switchedOff: [],
        unchanged: entries.length,
      });
      // The same file through the console's own import: its preview finds nothing to change.
      await page.locator('#catalog-json').fill(file);
      await page.getByRole('button', { name: t('catalog.preview') }).click();
      expect(await page.locator('main').textContent()).toContain(t('catalog.unchanged', { count: entries.length }));
      await expectFits(page);

      // Support sees no catalog, and a forged edit with a valid CSRF token is refused.
      const { page: supportPage } = await s.asSupport(SUPPORT, screen);
      expect(await supportPage.locator('nav').textContent()).not.toContain(t('nav.catalog'));
      const token = await csrfToken(supportPage);
      for (const path of [`/console/catalog/plans/${PLAN}`, '/console/catalog/add']) {
        const forged = await supportPage.request.post(`${h.appUrl}${path}`, {
          form: { _csrf: token, code: 'forged-plan', 'price.amount': '1', 'price.currency': 'IDR' },
        });
        expect(forged.status(), path).toBe(403);
      }
      expect((await supportPage.goto(`${h.appUrl}/console/catalog/export.json`))!.status()).toBe(403);
      expect(await h.database.db.plan.count({ where: { code: 'forged-plan' } })).toBe(0);
      expect(await h.database.db.auditEntry.count({ where: { action: { startsWith: 'plan.' } } })).toBe(1);
      expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
      await context.close();
    },
    120_000,
  );
});
