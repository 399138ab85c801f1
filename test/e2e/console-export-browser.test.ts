import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RECEIPT_HEADLINE } from '../helpers/copy.js';
import { consoleSuite, expectFits, SCREENS } from '../helpers/console-browser.js';
import { checkout, paidOrder, travellerWithLine } from '../helpers/journeys.js';

const OWNER = 779001;
const SUPPORT = 779002;

describe('CSV exports for the accountant', () => {
  const s = consoleSuite({ owner: OWNER });

  it.each(SCREENS)(
    '$name: the orders on screen and the ledger download as CSV; support may not download',
    async (screen) => {
      const { h, t } = s;
      const traveller = await travellerWithLine(h, '0838 3333 1212');
      const paid = await paidOrder(h, traveller);
      await traveller.waitFor((text) => text.includes(RECEIPT_HEADLINE));
      const unpaid = await checkout(h, traveller);
      const { context, page, errors } = await s.signedIn(OWNER, screen, { acceptDownloads: true });

      await page.goto(`${h.appUrl}/console/orders?state=fulfilled`);
      await expectFits(page);
      const [ordersFile] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: t('orders.export_orders') }).click(),
      ]);
      const orders = readFileSync(await ordersFile.path(), 'utf8')
        .trim()
        .split('\r\n');
      expect(orders[0]).toBe('order,created_at,paid_at,state,source,plan,line,telegram_id,amount,currency');
      // The filter on screen (fulfilled) holds the paid order and not the one still waiting for payment.
      expect(orders).toHaveLength(2);
      expect(orders[1]).toContain(paid.number);
      expect(orders[1]).toContain(',fulfilled,');
      expect(orders.join('\n')).not.toContain(String(unpaid.metadata.orderId).slice(-8).toUpperCase());
      expect(orders.join('\n')).not.toContain('083833331212');

      const [ledgerFile] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: t('orders.export_ledger') }).click(),
      ]);
      const ledger = readFileSync(await ledgerFile.path(), 'utf8')
        .trim()
        .split('\r\n');
      expect(ledger[0]).toBe('occurred_at,processor,kind,method,external_id,order,amount,currency');
      expect(ledger.filter((l) => l.includes(`,payment,`) && l.includes(paid.number))).toHaveLength(1);

      await page.goto(`${h.appUrl}/console/audit`);
      expect(await page.locator('[data-audit] tr', { hasText: t('audit.action.console.export') }).count()).toBe(2);
      expect(errors).toEqual([]);

      // A support operator sees no download link, and the address itself is refused.
      const { page: supportPage } = await s.asSupport(SUPPORT, screen);
      await supportPage.goto(`${h.appUrl}/console/orders`);
      expect(await supportPage.locator('[data-export]').count()).toBe(0);
      expect((await supportPage.request.get(`${h.appUrl}/console/exports/orders.csv`)).status()).toBe(403);
      expect((await supportPage.request.get(`${h.appUrl}/console/exports/ledger.csv`)).status()).toBe(403);
      await context.close();
    },
    180_000,
  );
});
