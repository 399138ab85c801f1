import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FakeMidtrans } from '../fakes/midtrans-api.js';
import { consoleSuite, expectFits, SCREENS, type ConsoleSuite } from '../helpers/console-browser.js';
import { databaseKinds } from '../helpers/database.js';
import { startMidtransShop } from '../helpers/midtrans-shop.js';
import { RECEIPT_HEADLINE } from '../helpers/copy.js';
import { orderSummary, paidOrder, travellerWithLine } from '../helpers/journeys.js';

const OWNER = 882_001;

/** The order page's action links, by their labels: what the operator is offered. */
async function offered(s: ConsoleSuite, page: Page): Promise<string[]> {
  const labels = [s.t('orders.refund'), s.t('orders.retry'), s.t('orders.resend'), s.t('orders.fail')];
  labels.push(s.t('orders.mark_refunded'));
  const shown: string[] = [];
  for (const label of labels) if (await page.getByRole('link', { name: label, exact: true }).count()) shown.push(label);
  return shown;
}

/** The operator follows `label` on the order page, reads the confirmation, confirms, and lands on a GET page. */
async function confirmAction(s: ConsoleSuite, page: Page, label: string, warning: string): Promise<void> {
  await page.getByRole('link', { name: label, exact: true }).click();
  expect(await page.locator('main').innerText()).toContain(warning);
  await expectFits(page);
  await Promise.all([
    page.waitForURL((url) => url.searchParams.has('result')),
    page.getByRole('button', { name: s.t('orders.confirm') }).click(),
  ]);
}

/** The audit log's row for `action` on the order numbered `number`, as the operator reads it. */
async function auditRow(s: ConsoleSuite, page: Page, action: string, number: string): Promise<string> {
  // On a phone the navigation is folded into its Menu.
  const menu = page.locator('summary', { hasText: s.t('nav.menu') });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('link', { name: s.t('nav.audit') }).click();
  const row = page.locator('[data-audit] tr', { hasText: s.t(`audit.action.${action}`) }).filter({ hasText: number });
  expect(await row.count()).toBe(1);
  await expectFits(page);
  return row.innerText();
}

/**
 * "Mark activation failed" and "Mark refunded" on an order's console page, in Debian's Chromium on a
 * laptop and a phone: offered only where they apply, confirmed on a page of their own, answered on a GET
 * page in words, with the order's state, timeline and the audit log changed.
 */
describe.each(databaseKinds)("marking an order's activation failed in the console on %s", (db) => {
  const s = consoleSuite({ owner: OWNER, db });

  it.each(SCREENS)(
    '$name: a top-up the provider holds is marked failed and refunded; a finished order offers neither mark',
    async (screen) => {
      const { h, t } = s;
      // …2222: the provider answers "pending" and keeps the top-up.
      const traveller = await travellerWithLine(h, '0838 1234 2222');
      const order = await paidOrder(h, traveller);
      await expect
        .poll(() => h.database.db.order.findUniqueOrThrow({ where: { id: order.id } }).then((o) => o.state))
        .toBe('topping_up');
      const { page, errors } = await s.signedIn(OWNER, screen);

      await page.goto(`${h.appUrl}/console/orders/${order.id}`);
      expect(await page.locator('[data-state]').innerText()).toBe(t('state.topping_up'));
      expect(await offered(s, page)).toContain(t('orders.fail'));
      expect(await offered(s, page)).not.toContain(t('orders.mark_refunded'));
      await expectFits(page);

      const warning = t('orders.confirm_fail', { number: order.number, amount: '' }).split('.')[0]!;
      await confirmAction(s, page, t('orders.fail'), warning);
      expect(new URL(page.url()).pathname).toBe(`/console/orders/${order.id}`);
      expect(await page.getByRole('status').innerText()).toBe(t('orders.result.refunded'));
      expect(await page.locator('[data-state]').innerText()).toBe(t('state.refunded'));
      expect(await page.locator('table.timeline').innerText()).toContain(t('event.refunded'));
      expect(h.stripe.refunds).toHaveLength(1);
      await traveller.waitFor((text) => text.includes('refund'));
      // Refunded now: nothing more to mark, and a reload (a GET) changes nothing.
      expect(await offered(s, page)).toEqual([]);
      await page.reload();
      expect(h.stripe.refunds).toHaveLength(1);
      await expectFits(page);

      const row = await auditRow(s, page, 'order.mark_failed', order.number);
      expect(row).toContain(order.number);
      expect(row).toContain(`${t('state.topping_up')} → ${t('state.refunded')}`);

      // A fulfilled order has no activation to mark failed and no refund owed.
      const other = await travellerWithLine(h, '0838 7777 4321');
      const done = await paidOrder(h, other);
      await other.waitFor((text) => text.includes(RECEIPT_HEADLINE));
      await page.goto(`${h.appUrl}/console/orders/${done.id}`);
      expect(await offered(s, page)).not.toContain(t('orders.fail'));
      expect(await offered(s, page)).not.toContain(t('orders.mark_refunded'));
      // An address typed by hand gets the reason, not a Confirm button.
      await page.goto(`${h.appUrl}/console/orders/${done.id}/confirm/fail`);
      expect(await page.locator('[data-cannot]').innerText()).toContain(t('orders.result.not_in_flight'));
      expect(await page.getByRole('button', { name: t('orders.confirm') }).count()).toBe(0);
      expect(errors).toEqual([]);
    },
    120_000,
  );
});

describe.each(databaseKinds)('marking a bank transfer refunded in the console on %s', (db) => {
  let midtrans: FakeMidtrans;
  const s = consoleSuite({
    owner: OWNER,
    start: async (env) => {
      const shop = await startMidtransShop({ db, methods: 'card,qris,bni_va', env });
      midtrans = shop.midtrans;
      const h = shop.h;
      return { h, stop: () => midtrans.close() };
    },
  });

  /** A traveller paid by bank transfer (a virtual account), whose payment Midtrans cannot refund. */
  const paidByTransfer = async (traveller: Awaited<ReturnType<typeof travellerWithLine>>) => {
    const { h } = s;
    await orderSummary(traveller);
    const draft = await h.database.db.order.findFirstOrThrow({
      where: { state: 'draft', user: { telegramId: BigInt(traveller.user.id) } },
      orderBy: { createdAt: 'desc' },
    });
    await h.app.services.orders.checkout(draft.userId, draft.id, 'bni_va', 'en');
    await midtrans.choose(draft.id, 'bni_va');
    await midtrans.pay(draft.id);
    await traveller.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    return { id: draft.id, number: `KU-${draft.id.slice(-8).toUpperCase()}` };
  };

  it.each(SCREENS)(
    '$name: a refund owed is marked paid by hand once; an order with nothing owed offers no mark',
    async (screen) => {
      const { h, t } = s;
      const traveller = await travellerWithLine(h);
      const order = await paidByTransfer(traveller);
      const { page, errors } = await s.signedIn(OWNER, screen);

      // Fulfilled, nothing owed yet: Refund, never "Mark refunded".
      await page.goto(`${h.appUrl}/console/orders/${order.id}`);
      expect(await offered(s, page)).toContain(t('orders.refund'));
      expect(await offered(s, page)).not.toContain(t('orders.mark_refunded'));
      await page.goto(`${h.appUrl}/console/orders/${order.id}/confirm/mark_refunded`);
      expect(await page.locator('[data-cannot]').innerText()).toContain(t('orders.result.not_owed'));

      // The operator refunds it: Midtrans cannot send a bank transfer back, so the refund is owed.
      expect(await h.app.services.refunds.refund(order.id, { by: OWNER })).toBe('refunding');
      await page.goto(`${h.appUrl}/console/orders/${order.id}`);
      expect(await page.locator('[data-state]').innerText()).toBe(t('state.refunding'));
      expect(await offered(s, page)).toContain(t('orders.mark_refunded'));
      expect(await offered(s, page)).not.toContain(t('orders.fail'));
      await expectFits(page);

      const warning = t('orders.confirm_mark_refunded', { number: order.number, amount: '' }).split('(')[0]!.trim();
      await confirmAction(s, page, t('orders.mark_refunded'), warning.slice(0, 20));
      expect(await page.getByRole('status').innerText()).toBe(t('orders.result.refunded'));
      expect(await page.locator('[data-state]').innerText()).toBe(t('state.refunded'));
      expect(await page.locator('table.timeline').innerText()).toContain(t('event.refunded'));
      expect(await page.locator('[data-ledger-total]').innerText()).toMatch(/^IDR\s0$/);
      expect(await offered(s, page)).toEqual([]);
      await traveller.waitFor((text) => text.includes('refund'));
      await expectFits(page);

      const row = await auditRow(s, page, 'order.refund_paid_by_hand', order.number);
      expect(row).toContain(order.number);
      expect(row).toContain(`${t('state.refunding')} → ${t('state.refunded')}`);
      expect(errors).toEqual([]);
    },
    120_000,
  );
});
