import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/domain/money.js';
import { RECEIPT_HEADLINE } from '../helpers/copy.js';
import { consoleSuite, expectFits, SCREENS } from '../helpers/console-browser.js';
import { paidOrder, travellerWithLine } from '../helpers/journeys.js';

const OWNER = 781001;
const SUPPORT = 781002;

describe('reports in the console, in a real browser', () => {
  const s = consoleSuite({ owner: OWNER });

  it.each(SCREENS)(
    '$name: the owner reads revenue, conversion and travellers against the period before; support gets no entry and a 403',
    async (screen) => {
      const { h, t } = s;
      const traveller = await travellerWithLine(h, '0838 4444 1212');
      const paid = await paidOrder(h, traveller);
      await traveller.waitFor((text) => text.includes(RECEIPT_HEADLINE));
      const { amountMinor, currency } = await h.database.db.ledgerEntry.findFirstOrThrow({
        where: { orderId: paid.id, kind: 'payment' },
      });

      const { context, page, errors } = await s.signedIn(OWNER, screen);
      // On a phone the menu is folded: open it to reach the entry.
      if (screen.name === 'phone') await page.locator('header summary').click();
      await page.getByRole('link', { name: t('nav.reports') }).click();
      await page.waitForURL(/\/console\/reports$/);
      expect(await page.locator('.period-switch [aria-current=page]').textContent()).toBe(
        t('reports.days', { count: 30 }),
      );

      const money = page.locator(`[data-currency="${currency}"]`);
      const revenue = money.locator('[data-figure=revenue]');
      expect(await revenue.locator('[data-current]').textContent()).toBe(formatMoney({ amountMinor, currency }, 'en'));
      expect(await revenue.locator('[data-previous]').textContent()).toBe(
        formatMoney({ amountMinor: 0, currency }, 'en'),
      );
      expect(await revenue.textContent()).toContain(t('reports.change_new'));
      expect(await money.locator('[data-figure=method-card] [data-current]').textContent()).toBe(
        formatMoney({ amountMinor, currency }, 'en'),
      );
      const figure = (id: string) => page.locator(`[data-figure=${id}] [data-current]`).textContent();
      expect(await figure('conversion')).toBe(new Intl.NumberFormat('en', { style: 'percent' }).format(1));
      expect(await figure('links')).toBe('1');
      expect(await figure('new-travellers')).toBe('1');
      expect(await figure('active-travellers')).toBe('1');
      // The chart is drawn (by console.js, the page has no inline script), and its figures are a table too.
      await page.waitForFunction(() => {
        const w = globalThis as unknown as {
          Chart?: { getChart(c: unknown): unknown };
          document: { querySelector(s: string): unknown };
        };
        return Boolean(w.Chart?.getChart(w.document.querySelector('[data-report-chart] canvas')));
      });
      await money.locator('summary', { hasText: t('reports.daily_table') }).click();
      expect(await money.locator('[data-daily] tbody tr').count()).toBe(30);
      expect(await money.locator('[data-daily]').textContent()).toContain(formatMoney({ amountMinor, currency }, 'en'));
      await expectFits(page);

      await page.getByRole('link', { name: t('reports.days', { count: 90 }) }).click();
      await page.waitForURL(/days=90$/);
      expect(await money.locator('[data-figure=revenue] [data-current]').textContent()).toBe(
        formatMoney({ amountMinor, currency }, 'en'),
      );
      await expectFits(page);
      expect((await page.request.get(`${h.appUrl}/console/reports?days=12`)).status()).toBe(400);
      expect(errors).toEqual([]);

      // A support operator has no Reports entry, and the address itself is refused.
      const { page: supportPage } = await s.asSupport(SUPPORT, screen);
      expect(await supportPage.locator('nav a[href="/console/reports"]').count()).toBe(0);
      expect((await supportPage.goto(`${h.appUrl}/console/reports`))!.status()).toBe(403);
      await context.close();
    },
    180_000,
  );
});
