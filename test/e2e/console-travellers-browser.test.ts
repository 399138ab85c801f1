import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { withLuhnDigit } from '../../src/domain/iccid.js';
import { chatCopy, consoleSuite, csrfToken, expectFits, SCREENS } from '../helpers/console-browser.js';
import { databaseKinds } from '../helpers/database.js';
import { autoRenewOn, LINK, linkAnother, linkWithCode, operatorInChat } from '../helpers/journeys.js';

const OWNER = 779001;
const SUPPORT = 779002;
const ICCID = withLuhnDigit('896201234567890123');

describe.each(databaseKinds)('travellers in the console on %s', (db) => {
  const s = consoleSuite({ owner: OWNER, db });

  const names = async (page: Page) =>
    (await page.locator('[data-travellers] tbody tr td:first-child').allTextContents()).map((s) => s.trim());
  const search = async (page: Page, q: string) => {
    await page.getByRole('searchbox', { name: s.t('travellers.search') }).fill(q);
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('q') === q),
      page.getByRole('button', { name: s.t('orders.find') }).click(),
    ]);
    return names(page);
  };
  const status = (page: Page) => page.locator('[role=status]').textContent();

  /** Three travellers: one with auto-renew, one with an eSIM who reads in Japanese, one who blocked the bot. */
  async function shop() {
    const { h } = s;
    const ayu = h.telegram.traveller(60_001, { first_name: 'Ayu', last_name: 'Lestari', username: 'ayu_trip' });
    await ayu.send('/start');
    await linkAnother(h, ayu, '0838 2222 9876');
    await autoRenewOn(h, ayu);
    const kenji = h.telegram.traveller(60_002, { first_name: 'Kenji', language_code: 'ja' });
    await kenji.send('/start');
    await kenji.tap(LINK);
    await linkWithCode(kenji, ICCID, () => h.simulator.lastCodeFor(ICCID)!);
    const mia = h.telegram.traveller(60_003, { first_name: 'Mia' });
    await mia.send('/start');
    await mia.block();
    await expect.poll(() => h.database.db.user.count({ where: { reachable: false } }), { timeout: 20_000 }).toBe(1);
    return { ayu, kenji, mia };
  }

  it.each(SCREENS)(
    '$name: finds travellers by name, @username, Telegram id, number tail and ICCID, and filters subscribers',
    async (screen) => {
      const { h, t } = s;
      await operatorInChat(h, OWNER);
      await shop();
      const { context, page, errors } = await s.signedIn(OWNER, screen);
      await page.goto(`${h.appUrl}/console/travellers`);
      // The owner wrote to the bot too: four people, three reachable, one with auto-renew.
      expect(await page.locator('[data-count=total]').textContent()).toBe('4');
      expect(await page.locator('[data-count=reachable]').textContent()).toBe('3');
      expect(await page.locator('[data-count=auto_renew]').textContent()).toBe('1');
      expect(await names(page)).toEqual(expect.arrayContaining(['Ayu Lestari @ayu_trip', 'Kenji', 'Mia']));
      await expectFits(page);

      expect(await search(page, 'lestari')).toEqual(['Ayu Lestari @ayu_trip']);
      expect(await search(page, '@AYU_trip')).toEqual(['Ayu Lestari @ayu_trip']);
      expect(await search(page, '60002')).toEqual(['Kenji']);
      expect(await search(page, '2222 9876')).toEqual(['Ayu Lestari @ayu_trip']);
      expect(await search(page, ICCID.slice(-8))).toEqual(['Kenji']);
      expect(await search(page, 'nobody here')).toEqual([]);
      expect(await page.locator('main').textContent()).toContain(t('travellers.none'));

      await page.goto(`${h.appUrl}/console/travellers`);
      await page.getByRole('link', { name: new RegExp(t('travellers.filter.auto_renew')) }).click();
      expect(await names(page)).toEqual(['Ayu Lestari @ayu_trip']);
      await page.getByRole('link', { name: new RegExp(t('travellers.filter.unreachable')) }).click();
      expect(await names(page)).toEqual(['Mia']);
      expect(await page.locator('[data-travellers] td.warn').textContent()).toBe(t('travellers.no'));
      await expectFits(page);

      // One traveller: their language, reachability, lines and auto-renew.
      await page.goto(`${h.appUrl}/console/travellers?q=Kenji`);
      await page.getByRole('link', { name: 'Kenji' }).click();
      expect(await page.locator('[data-language]').textContent()).toBe('Japanese');
      expect(await page.locator('[data-reachable]').textContent()).toBe(t('travellers.yes'));
      expect(await page.locator('[data-line]').textContent()).toContain(ICCID.slice(-4));
      await expectFits(page);
      expect(errors).toEqual([]);
      await context.close();
    },
    120_000,
  );

  it.each(SCREENS)(
    '$name: an owner pauses auto-renew, sends one message and unlinks a number; support finds but cannot act',
    async (screen) => {
      const { h, t } = s;
      await operatorInChat(h, OWNER);
      const { ayu } = await shop();
      const ayuId = (await h.database.db.user.findUniqueOrThrow({ where: { telegramId: 60_001n } })).id;
      const { context, page, errors } = await s.signedIn(OWNER, screen);
      await page.goto(`${h.appUrl}/console/travellers/${ayuId}`);
      expect(await page.locator('[data-auto-renew]').getAttribute('data-auto-renew')).toBe('active');

      // Pause: the answer is a page of its own, so a reload pauses nothing more.
      await page.getByRole('button', { name: t('travellers.pause') }).click();
      await page.waitForURL(/result=paused/);
      expect(await status(page)).toBe(t('travellers.result.paused'));
      expect(await page.locator('[data-auto-renew]').getAttribute('data-auto-renew')).toBe('paused');
      expect(await page.locator('[data-auto-renew]').textContent()).toContain(t('auto_renew_state.paused'));
      expect(await page.getByRole('button', { name: t('travellers.pause') }).count()).toBe(0);
      await expectFits(page);

      // A message: the form shows what the traveller will read, in their language, before it is sent.
      await page.getByRole('link', { name: t('travellers.message.write') }).click();
      await page.getByRole('button', { name: t('travellers.message.show') }).click();
      expect(await page.locator('[role=alert]').textContent()).toBe(t('travellers.message.empty'));
      const text = 'Your number is back: <b>try now</b> & tell us.';
      await page.getByLabel(t('travellers.message.text')).fill(text);
      await page.getByRole('button', { name: t('travellers.message.show') }).click();
      const heading = chatCopy('team_message.text')
        .split('\n')[0]!
        .replace(/<[^>]+>/g, '');
      expect(await page.locator('[data-preview]').textContent()).toBe(`${heading}\n\n${text}`);
      await expectFits(page);
      const key = await page.locator('input[name=key]').getAttribute('value');
      await page.getByRole('button', { name: t('travellers.message.send') }).click();
      await page.waitForURL(/result=message_queued/);
      expect(await status(page)).toBe(t('travellers.result.message_queued'));
      await ayu.waitFor((m) => m.includes('tell us'));
      expect(ayu.last().text).toContain('<b>try now</b> & tell us.');
      // The same form posted again (a double tap, a resubmitted page) sends nothing more.
      const again = await page.request.post(`${h.appUrl}/console/travellers/${ayuId}/message`, {
        form: { _csrf: await csrfToken(page), text, key: key! },
      });
      expect(again.status()).toBe(200);
      expect(await h.database.db.outboxMessage.count({ where: { kind: 'operator_message' } })).toBe(1);

      // Unlink, after a confirmation: its auto-renew stops with it.
      await page.getByRole('link', { name: t('travellers.unlink') }).click();
      await expectFits(page);
      await page.getByRole('button', { name: t('travellers.unlink') }).click();
      await page.waitForURL(/result=unlinked/);
      expect(await status(page)).toBe(t('travellers.result.unlinked'));
      expect(await page.locator('[data-line]').textContent()).toContain(t('travellers.unlinked'));
      const line = await h.database.db.line.findFirstOrThrow({
        where: { userId: ayuId },
        include: { autoRenew: true },
      });
      expect(line.unlinkedAt).not.toBeNull();
      expect(line.autoRenew?.state).toBe('off');

      // The audit log names each action and what was sent.
      await page.goto(`${h.appUrl}/console/audit`);
      const log = (await page.locator('main').textContent())!;
      for (const action of ['autorenew.pause', 'traveller.message', 'line.unlink'])
        expect(log).toContain(t(`audit.action.${action}`));
      expect(log).toContain(text);
      await expectFits(page);

      // Support finds the traveller, sees no action, and a forged post is refused.
      await operatorInChat(h, SUPPORT);
      const support = await s.asSupport(SUPPORT, screen);
      const supportErrors = support.errors;
      await support.page.goto(`${h.appUrl}/console/travellers?q=ayu_trip`);
      await support.page.getByRole('link', { name: 'Ayu Lestari @ayu_trip' }).click();
      expect(await support.page.locator('[data-line-actions]').count()).toBe(0);
      expect(await support.page.getByRole('link', { name: t('travellers.message.write') }).count()).toBe(0);
      await expectFits(support.page);
      const csrf = await csrfToken(support.page);
      for (const path of [`lines/${line.id}/pause`, `lines/${line.id}/unlink`, 'message']) {
        const forged = await support.page.request.post(`${h.appUrl}/console/travellers/${ayuId}/${path}`, {
          form: { _csrf: csrf, text: 'forged', key: 'forged-message-1' },
        });
        expect(forged.status(), path).toBe(403);
        expect(await forged.text()).toContain(t('auth.role_forbidden'));
      }
      expect((await support.page.goto(`${h.appUrl}/console/travellers/${ayuId}/message`))!.status()).toBe(403);
      expect(await h.database.db.outboxMessage.count({ where: { kind: 'operator_message' } })).toBe(1);

      expect(errors).toEqual([]);
      expect(supportErrors.filter((e) => !e.includes('403'))).toEqual([]);
      await support.context.close();
      await context.close();
    },
    150_000,
  );

  it.each(SCREENS)('$name: pages through the travellers by key, each one once', async (screen) => {
    const { h } = s;
    await operatorInChat(h, OWNER);
    await h.database.db.user.createMany({
      data: Array.from({ length: 120 }, (_, i) => ({ telegramId: BigInt(500_000 + i), name: `Guest ${i}` })),
    });
    const { context, page, errors } = await s.signedIn(OWNER, screen);
    await page.goto(`${h.appUrl}/console/travellers`);
    expect(await page.locator('[data-count=total]').textContent()).toBe('121');
    const seen: string[] = [];
    for (;;) {
      seen.push(
        ...(await page
          .locator('[data-travellers] tbody tr')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-traveller')!))),
      );
      await expectFits(page);
      const next = page.locator('[data-next]');
      if (!(await next.count())) break;
      await next.click();
      await page.waitForLoadState();
    }
    expect(seen).toHaveLength(121);
    expect(new Set(seen).size).toBe(121);
    expect(errors).toEqual([]);
    await context.close();
  });
});
