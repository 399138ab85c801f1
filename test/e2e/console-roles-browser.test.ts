import { describe, expect, it, vi } from 'vitest';
import { RECEIPT_HEADLINE } from '../helpers/copy.js';
import { chatCopy, consoleSuite, csrfToken, expectFits, SCREENS } from '../helpers/console-browser.js';
import { operatorInChat, paidOrder, travellerWithLine } from '../helpers/journeys.js';

const OWNER = 778001;
const SUPPORT = 778002;

describe('operators and roles in the console and the chat', () => {
  const s = consoleSuite({ owner: OWNER });

  it.each(SCREENS)(
    '$name: an owner adds a support operator, who finds orders and resends receipts but cannot refund',
    async (screen) => {
      const { h, t } = s;
      const traveller = await travellerWithLine(h, '0838 2222 9876');
      const order = await paidOrder(h, traveller);
      await traveller.waitFor((text) => text.includes(RECEIPT_HEADLINE));

      // The owner names a support operator by Telegram id; the change is audited.
      const owner = await s.signedIn(OWNER, screen);
      const ownerErrors = owner.errors;
      await owner.page.goto(`${h.appUrl}/console/operators`);
      expect(await owner.page.locator(`[data-operator="${OWNER}"]`).getAttribute('data-role')).toBe('owner');
      await owner.page.getByLabel(t('operators.telegram_id')).fill(String(SUPPORT));
      await owner.page.getByRole('button', { name: t('operators.add_support') }).click();
      expect(await owner.page.locator('[role=status]').textContent()).toBe(t('operators.result.added'));
      expect(await owner.page.locator(`[data-operator="${SUPPORT}"]`).getAttribute('data-role')).toBe('support');
      await expectFits(owner.page);
      await owner.page.getByLabel(t('operators.telegram_id')).fill('not a number');
      await owner.page.getByRole('button', { name: t('operators.add_support') }).click();
      expect(await owner.page.locator('[role=status]').textContent()).toBe(t('operators.result.bad_id'));

      // The support operator signs in from the chat like an owner; their name comes from Telegram.
      const support = await s.signedIn(SUPPORT, screen);
      const { errors: supportErrors, chat: supportChat } = support;
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
      await expectFits(support.page);
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
      await expectFits(owner.page);

      expect(ownerErrors).toEqual([]);
      expect(supportErrors).toEqual([]);
      await owner.context.close();
      await support.context.close();
    },
    // Two browsers, a payment and a chat on a shared 2-core machine.
    120_000,
  );

  it('a support operator retries a failed top-up: the provider is asked again, the order ends fulfilled, the log names them', async () => {
    const { h, t } = s;
    h.simulator.setBalance(0);
    const traveller = await travellerWithLine(h, '0838 5555 4321');
    const order = await paidOrder(h, traveller);
    await expect
      .poll(() => h.database.db.order.findUniqueOrThrow({ where: { id: order.id } }).then((o) => o.failureReason))
      .toContain('insufficient deposit');
    h.simulator.setBalance(5_000_000);
    const topUps = vi.spyOn(h.simulator, 'topUp');
    const support = await s.asSupport(SUPPORT, SCREENS[1]);

    await support.page.goto(`${h.appUrl}/console/orders?q=4321`);
    await support.page.getByRole('link', { name: order.number }).click();
    await support.page
      .locator('[data-actions]')
      .getByRole('link', { name: t('orders.retry') })
      .click();
    await support.page.getByRole('button', { name: t('orders.confirm') }).click();
    await support.page.waitForURL(/result=retried/);
    expect(await support.page.locator('[role=status]').textContent()).toContain(t('orders.result.retried'));
    await expect.poll(() => support.page.locator('[data-state]').getAttribute('data-state')).toBe('fulfilled');
    expect(topUps.mock.calls.map(([request]) => request.reference)).toContain(order.id);
    expect(await h.database.db.order.findUniqueOrThrow({ where: { id: order.id } }).then((o) => o.state)).toBe(
      'fulfilled',
    );
    await traveller.waitFor((text) => text.includes(RECEIPT_HEADLINE));

    // The owner reads who retried it, by name, in the log.
    const owner = await s.signedIn(OWNER, SCREENS[1]);
    await owner.page.goto(`${h.appUrl}/console/audit`);
    const retried = owner.page.locator('[data-audit] tr', { hasText: t('audit.action.order.retry_topup') });
    expect(await retried.count()).toBe(1);
    expect(await retried.textContent()).toContain(order.number);
    expect(await retried.textContent()).toContain(`Traveller (${SUPPORT})`);
    expect(support.errors).toEqual([]);
    expect(owner.errors).toEqual([]);
  }, 120_000);

  it.each(SCREENS)('$name: junk in an address or a form gets a translated 400 page, never a 500', async (screen) => {
    const { h, t } = s;
    await operatorInChat(h, OWNER);
    const { context, page, errors } = await s.signedIn(OWNER, screen);
    const junk = await page.goto(`${h.appUrl}/console/operators?result=%00%3Cscript%3E`);
    expect(junk!.status()).toBe(400);
    expect(await page.locator('[data-bad-input]').textContent()).toBe(t('common.bad_input'));
    expect(await page.locator('nav').count()).toBe(1);
    await expectFits(page);
    const twice = await page.request.post(`${h.appUrl}/console/operators`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      data: `_csrf=${encodeURIComponent(await csrfToken(page))}&telegramId=1&telegramId=2`,
    });
    expect(twice.status()).toBe(400);
    expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
    await context.close();
  });
});
