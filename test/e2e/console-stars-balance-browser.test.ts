import { describe, expect, it } from 'vitest';
import { consoleSuite, expectFits, SCREENS } from '../helpers/console-browser.js';

const OWNER = 779001;

/**
 * Issue 24, money pages: the bot's Stars balance as Telegram reports it (getMyStarBalance), on the overview,
 * written with Intl in the operator's language, asked of Telegram at most once a minute, and a plain line when
 * Telegram cannot be reached.
 */
describe('the Telegram Stars balance on the console overview', () => {
  const s = consoleSuite({ owner: OWNER });

  it.each(SCREENS)(
    '$name: shows the balance Telegram holds, asks again only after a minute, and says so when Telegram is down',
    async (screen) => {
      const { h, t } = s;
      const asked = () => h.telegram.calls.filter((c) => c.method === 'getMyStarBalance').length;
      h.telegram.starBalance = { amount: 1234, nanostar_amount: 0 };
      const { page, errors } = await s.signedIn(OWNER, screen);
      const card = page.locator('[data-stars-balance]');
      expect(await card.textContent()).toContain(t('overview.stars_balance'));
      expect(await card.locator('b').textContent()).toBe(t('overview.stars_balance_value', { amount: '1,234' }));
      await expectFits(page);

      // Reloads within the minute read the kept balance: Telegram is asked once.
      h.telegram.starBalance = { amount: 1300, nanostar_amount: 0 };
      await page.reload();
      await page.reload();
      expect(await card.locator('b').textContent()).toBe(t('overview.stars_balance_value', { amount: '1,234' }));
      expect(asked()).toBe(1);

      // Telegram down: the page still loads, with a line that says so instead of a figure.
      h.advance(61_000);
      h.telegram.failNext('getMyStarBalance');
      const down = await page.reload();
      expect(down!.status()).toBe(200);
      expect(await card.getAttribute('data-stars-balance')).toBe('unreachable');
      expect(await card.locator('b').textContent()).toBe(t('overview.stars_balance_unreachable'));
      expect(await page.locator('[data-revenue="today"]').count()).toBe(1);
      await expectFits(page);

      // A minute on, Telegram answers again.
      h.advance(61_000);
      await page.reload();
      expect(await card.locator('b').textContent()).toBe(t('overview.stars_balance_value', { amount: '1,300' }));
      expect(asked()).toBe(3);
      expect(errors).toEqual([]);
    },
    90_000,
  );

  it('writes the balance in the operator’s language', async () => {
    const { h } = s;
    h.telegram.starBalance = { amount: 1234567, nanostar_amount: 0 };
    const { page } = await s.signedIn(OWNER, SCREENS[0]);
    await page.goto(`${h.appUrl}/console/settings`);
    await page.locator('select[name=language]').selectOption('ru');
    await page.locator('form button[type=submit]').last().click();
    await page.waitForURL(/saved=1/);
    await page.goto(`${h.appUrl}/console`);
    // Russian groups thousands with a no-break space: "⭐ 1 234 567".
    expect((await page.locator('[data-stars-balance] b').textContent())?.replace(/\s/g, ' ')).toBe('⭐ 1 234 567');
  });
});
