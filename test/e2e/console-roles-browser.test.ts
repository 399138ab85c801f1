import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TFunction } from 'i18next';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RECEIPT_HEADLINE } from '../helpers/copy.js';
import {
  chatCopy,
  consoleCopy,
  consoleErrors,
  csrfToken,
  launchChromium,
  overflow,
  SCREENS,
  signIn,
} from '../helpers/console-browser.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { operatorInChat, paidOrder, travellerWithLine } from '../helpers/journeys.js';

const OWNER = 778001;
const SUPPORT = 778002;

describe('operators and roles in the console and the chat', () => {
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
    h = await startHarness({ env: { ADMIN_IDS: String(OWNER) } });
  });
  afterEach(async () => {
    await h.stop();
  });

  async function screenPage(screen: (typeof SCREENS)[number]): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: 'en-GB', viewport: screen });
    return { context, page: await context.newPage() };
  }

  it.each(SCREENS)(
    '$name: an owner adds a support operator, who finds orders and resends receipts but cannot refund',
    async (screen) => {
      const traveller = await travellerWithLine(h, '0838 2222 9876');
      const order = await paidOrder(h, traveller);
      await traveller.waitFor((text) => text.includes(RECEIPT_HEADLINE));

      // The owner names a support operator by Telegram id; the change is audited.
      const owner = await screenPage(screen);
      const ownerErrors = consoleErrors(owner.page);
      await signIn(h, owner.page, OWNER);
      await owner.page.goto(`${h.appUrl}/console/operators`);
      expect(await owner.page.locator(`[data-operator="${OWNER}"]`).getAttribute('data-role')).toBe('owner');
      await owner.page.getByLabel(t('operators.telegram_id')).fill(String(SUPPORT));
      await owner.page.getByRole('button', { name: t('operators.add_support') }).click();
      expect(await owner.page.locator('[role=status]').textContent()).toBe(t('operators.result.added'));
      expect(await owner.page.locator(`[data-operator="${SUPPORT}"]`).getAttribute('data-role')).toBe('support');
      expect(await overflow(owner.page)).toEqual({ excess: 0, widest: [] });
      await owner.page.getByLabel(t('operators.telegram_id')).fill('not a number');
      await owner.page.getByRole('button', { name: t('operators.add_support') }).click();
      expect(await owner.page.locator('[role=status]').textContent()).toBe(t('operators.result.bad_id'));

      // The support operator signs in from the chat like an owner; their name comes from Telegram.
      const support = await screenPage(screen);
      const supportErrors = consoleErrors(support.page);
      const supportChat = await signIn(h, support.page, SUPPORT);
      const nav = (await support.page.locator('nav').textContent())!;
      expect(nav).toContain(t('nav.orders'));
      expect(nav).not.toContain(t('nav.catalog'));
      expect(nav).not.toContain(t('nav.operators'));
      await owner.page.reload();
      expect(await owner.page.locator(`[data-operator="${SUPPORT}"]`).textContent()).toContain('Traveller');

      // An order: resend is offered, refund is not; a forged refund with a valid CSRF token is refused.
      await support.page.goto(`${h.appUrl}/console/orders/${order.id}`);
      const actions = support.page.locator('[data-actions]');
      expect(await actions.getByRole('link', { name: t('orders.resend') }).count()).toBe(1);
      expect(await actions.getByRole('link', { name: t('orders.refund') }).count()).toBe(0);
      expect(await overflow(support.page)).toEqual({ excess: 0, widest: [] });
      const forged = await support.page.request.post(`${h.appUrl}/console/orders/${order.id}/refund`, {
        form: { _csrf: await csrfToken(support.page), key: 'forged-refund' },
      });
      expect(forged.status()).toBe(403);
      expect(await forged.text()).toContain(t('auth.role_forbidden'));
      const confirm = await support.page.goto(`${h.appUrl}/console/orders/${order.id}/confirm/refund`);
      expect(confirm!.status()).toBe(403);
      for (const owners of ['/console/catalog', '/console/notices', '/console/operators', '/console/provider'])
        expect((await support.page.goto(`${h.appUrl}${owners}`))!.status(), owners).toBe(403);
      expect(h.stripe.refunds).toHaveLength(0);
      expect(await h.database.db.order.findUniqueOrThrow({ where: { id: order.id } }).then((o) => o.state)).toBe(
        'fulfilled',
      );

      // A receipt they may resend.
      await support.page.goto(`${h.appUrl}/console/orders/${order.id}`);
      await support.page.getByRole('link', { name: t('orders.resend') }).click();
      await support.page.getByRole('button', { name: t('orders.confirm') }).click();
      expect(await support.page.locator('[role=status]').textContent()).toBe(t('orders.result.queued'));

      // The chat asks the same of them: no refund button, and /refund is refused in words.
      await supportChat.send(`/order ${order.number}`);
      expect(supportChat.last().text).toContain(order.number);
      expect(supportChat.buttons().map((b) => b.text)).not.toContain(chatCopy('operator.refund'));
      await supportChat.send(`/refund ${order.number}`);
      expect(supportChat.last().text).toBe(chatCopy('operator.not_allowed'));
      await supportChat.tapData(`op:refund!:${order.id}`);
      expect(h.stripe.refunds).toHaveLength(0);

      // The owner removes them: their console closes at their next click, and the log says who did what.
      await owner.page.goto(`${h.appUrl}/console/operators`);
      await owner.page
        .locator(`[data-operator="${SUPPORT}"]`)
        .getByRole('button', { name: t('operators.remove') })
        .click();
      expect(await owner.page.locator('[role=status]').textContent()).toBe(t('operators.result.removed'));
      expect((await support.page.goto(`${h.appUrl}/console/orders`))!.status()).toBe(401);
      await owner.page.goto(`${h.appUrl}/console/audit`);
      const changes = owner.page.locator('[data-audit] tr', { hasText: t('audit.action.operator.role') });
      expect(await changes.count()).toBe(2);
      expect(await changes.first().textContent()).toContain(
        t('common.field', {
          label: t('audit.field.role'),
          value: `${t('operators.roles.support')} → ${t('operators.roles.none')}`,
        }),
      );
      expect(await overflow(owner.page)).toEqual({ excess: 0, widest: [] });

      expect(ownerErrors).toEqual([]);
      expect(supportErrors).toEqual([]);
      await owner.context.close();
      await support.context.close();
    },
    // Two browsers, a payment and a chat on a shared 2-core machine.
    120_000,
  );

  it.each(SCREENS)('$name: junk in an address or a form gets a translated 400 page, never a 500', async (screen) => {
    await operatorInChat(h, OWNER);
    const { context, page } = await screenPage(screen);
    const errors = consoleErrors(page);
    await signIn(h, page, OWNER);
    const junk = await page.goto(`${h.appUrl}/console/operators?result=%00%3Cscript%3E`);
    expect(junk!.status()).toBe(400);
    expect(await page.locator('[data-bad-input]').textContent()).toBe(t('common.bad_input'));
    expect(await page.locator('nav').count()).toBe(1);
    expect(await overflow(page)).toEqual({ excess: 0, widest: [] });
    const twice = await page.request.post(`${h.appUrl}/console/operators`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      data: `_csrf=${encodeURIComponent(await csrfToken(page))}&telegramId=1&telegramId=2`,
    });
    expect(twice.status()).toBe(400);
    expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
    await context.close();
  });
});
