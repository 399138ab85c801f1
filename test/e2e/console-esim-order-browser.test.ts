import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FakeAiralo } from '../fakes/airalo-api.js';
import { consoleSuite, overflow, SCREENS } from '../helpers/console-browser.js';
import { words } from '../helpers/copy.js';
import { databaseKinds } from '../helpers/database.js';
import { boughtJapanEsim, newEsimHarness } from '../helpers/new-esim-harness.js';

const OWNER = 881_001;
const photos = (messages: unknown[]) => messages.filter((m) => !!(m as { photoBytes?: Buffer }).photoBytes).length;

/**
 * The console's new-eSIM section on an order page, in Debian's Chromium on a laptop and a phone: the
 * ICCID masked until an audited Reveal, the install state and refund window, the partner's order, and
 * "Resend install details" sending the same eSIM once, never again on a reload (Post/Redirect/Get).
 */
describe.each(databaseKinds)("a new eSIM's order page in the console on %s", (db) => {
  let airalo: FakeAiralo;
  const s = consoleSuite({
    owner: OWNER,
    start: async (env) => {
      const shop = await newEsimHarness(db, env);
      airalo = shop.airalo;
      return { h: shop.h, stop: () => shop.airalo.close() };
    },
  });

  const fits = async (page: Page) => expect(await overflow(page)).toEqual({ excess: 0, widest: [] });
  const audited = async (orderId: string, action: string) =>
    s.h.database.db.auditEntry.count({ where: { subject: orderId, action } });

  it.each(SCREENS)(
    '$name: shows the eSIM, reveals its ICCID (audited) and resends its install details once',
    async (screen) => {
      const { h, t } = s;
      const traveller = h.telegram.traveller(88_101, { language_code: 'en' });
      const { orderId, iccid } = await boughtJapanEsim(h, airalo, traveller);
      const { context, page, errors } = await s.signedIn(OWNER, screen);

      await page.goto(`${h.appUrl}/console/orders/${orderId}`);
      const section = page.locator('[data-esim]');
      await expect.poll(() => section.isVisible()).toBe(true);
      expect(await page.getByRole('heading', { name: t('orders.esim.title') }).isVisible()).toBe(true);
      const masked = (await section.locator('[data-iccid]').innerText()).trim();
      expect(masked).toContain(iccid.slice(-4));
      expect(await page.content()).not.toContain(iccid);
      expect(await section.locator('[data-install-state]').getAttribute('data-install-state')).toBe('not_installed');
      expect(await section.locator('[data-esim-refund]').innerText()).toContain(
        words('console:orders.esim.refund_until'),
      );
      const partnerOrder = airalo.orders.find((o) => o.description === `kuota:${orderId}`)!;
      expect(await section.innerText()).toContain(partnerOrder.code);
      await fits(page);

      // Reveal: the whole ICCID, once asked, and one line in the audit log.
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('iccid') === 'shown'),
        section.getByRole('button', { name: t('travellers.reveal') }).click(),
      ]);
      expect((await page.locator('[data-revealed]').innerText()).trim()).toBe(iccid);
      expect(await audited(orderId, 'order.esim_reveal')).toBe(1);
      await fits(page);

      // Resend: the same QR code and buttons once more, never a second partner order; the page it lands
      // on is a GET, so a reload sends nothing again.
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('result') === 'esim_resent'),
        page.getByRole('button', { name: t('orders.esim.resend') }).click(),
      ]);
      expect(await page.getByRole('status').innerText()).toBe(t('orders.result.esim_resent'));
      await traveller.waitFor(() => photos(traveller.messages()) === 2);
      await page.reload();
      expect(await page.getByRole('status').innerText()).toBe(t('orders.result.esim_resent'));
      await h.app.outbox.runOnce({ wait: true });
      expect(photos(traveller.messages())).toBe(2);
      expect(airalo.orderPosts()).toBe(1);
      expect(await audited(orderId, 'order.esim_resend')).toBe(1);
      await fits(page);

      expect(errors).toEqual([]);
      await context.close();
    },
    120_000,
  );
});
