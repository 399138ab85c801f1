import { mkdirSync, readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { formatDateTime } from '../../src/domain/expiry.js';
import { consoleSuite, overflow, SCREENS, signIn, SMALL_PHONE, signInLink } from '../helpers/console-browser.js';
import {
  checkout,
  linkAnother,
  operatorInChat,
  orderSummary,
  paidOrder,
  STARS_ENV,
  starsInvoiceLink,
  travellerWithLine,
} from '../helpers/journeys.js';
import { englishConsole, RECEIPT_HEADLINE, words, phrase, literally } from '../helpers/copy.js';

const OPERATOR = 777001;
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS;

describe('the operator console in a real browser', () => {
  const s = consoleSuite({ owner: OPERATOR, env: { BALANCE_ALERT_BELOW: '1000000' } });
  let context: BrowserContext;
  let page: Page;
  beforeEach(async () => {
    ({ context, page } = await s.open(SCREENS[0]));
  });

  it('signs in with the link from /admin; the link works once, and an old one is refused', async () => {
    const { h } = s;
    await signIn(h, page, OPERATOR);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Overview');
    const cookie = (await context.cookies()).find((c) => c.name === 'kuota_console')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });

    const op = await operatorInChat(h, OPERATOR);
    const link = await signInLink(h, op);
    await page.goto(link);
    await page.getByRole('button').click();
    await page.waitForURL(/\/console$/);
    const { page: second } = await s.open();
    await second.goto(link);
    await second.getByRole('button').click();
    expect(await second.locator('body').textContent()).toContain(words('console:auth.link_bad'));
    expect(await second.locator('body').textContent()).not.toContain('Revenue');

    const expiring = await signInLink(h, op);
    h.advance(5 * 60_000 + 1000);
    await second.goto(expiring);
    await second.getByRole('button').click();
    expect(await second.locator('h1').textContent()).toBe(words('console:auth.unauthorized_title'));
  });

  it('refuses everyone else with a plain page, and a form posted without its CSRF token', async () => {
    const { h } = s;
    const t = await travellerWithLine(h);
    await t.send('/admin');
    expect(t.last().text).not.toContain('sign-in');
    const anonymous = await page.goto(`${h.appUrl}/console/orders`);
    expect(anonymous!.status()).toBe(401);
    expect(await page.locator('body').textContent()).not.toMatch(/Revenue|KU-/);
    const forged = await page.goto(`${h.appUrl}/console/sign-in?token=not-a-real-token`);
    expect(forged!.status()).toBe(200);
    await page.getByRole('button').click();
    expect(await page.locator('h1').textContent()).toBe(words('console:auth.unauthorized_title'));

    await signIn(h, page, OPERATOR);
    const order = await paidOrder(h, t);
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    const noToken = await page.request.post(`${h.appUrl}/console/orders/${order.id}/refund`, { form: { key: 'x' } });
    expect(noToken.status()).toBe(403);
    const wrongToken = await page.request.post(`${h.appUrl}/console/orders/${order.id}/refund`, {
      form: { key: 'x', _csrf: 'forged' },
    });
    expect(wrongToken.status()).toBe(403);
    expect(h.stripe.refunds).toHaveLength(0);
  });

  it('finds an order by its number and refunds it once, even after a double click', async () => {
    const { h } = s;
    const t = await travellerWithLine(h, '0838 7777 1234');
    const order = await paidOrder(h, t);
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(h, page, OPERATOR);
    // chart.js, served by the app itself, drew the paid order of today.
    await expect
      .poll(() =>
        page.evaluate(() =>
          (
            globalThis as unknown as {
              Chart?: { getChart(id: string): { data: { datasets: Array<{ data: number[] }> } } | undefined };
            }
          ).Chart?.getChart('daily-chart')?.data.datasets[0]!.data.at(-1),
        ),
      )
      .toBe(1);
    expect(errors).toEqual([]);
    if (SCREENSHOTS) await shot(page, 'overview');

    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByLabel(words('console:orders.search')).fill(order.number);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: order.number }).click();
    expect(await page.locator('table.timeline').textContent()).toContain(words('console:event.payment_paid'));
    expect(await page.locator('body').textContent()).not.toContain('083877771234');
    if (SCREENSHOTS) await shot(page, 'order');

    await page.getByRole('link', { name: 'Refund' }).click();
    expect(await page.locator('main').textContent()).toContain(words('console:orders.confirm_refund', 2));
    await page.getByRole('button', { name: 'Confirm' }).dblclick();
    // The second click's post replaces the first navigation (which the browser aborts): follow the URL, not one navigation.
    await expect.poll(() => page.url()).toMatch(/result=/);
    await expect.poll(() => page.locator('[data-state]').getAttribute('data-state')).toBe('refunded');
    expect(h.stripe.refunds).toHaveLength(1);
    await t.waitFor((text) => text.includes('refund'));
    // The order's money, from the ledger: the card payment and its refund, which come to nothing.
    await expect.poll(() => page.locator('table.ledger tr[data-ledger-kind]').count()).toBe(2);
    expect(await page.locator('table.ledger').textContent()).toContain('Refund');
    expect(await page.locator('[data-ledger-total]').textContent()).toMatch(/^IDR\s0$/);

    // The number is masked until an audited reveal.
    await page.getByRole('link', { name: '•••• 1234' }).click();
    expect(await page.locator('main').textContent()).not.toContain('6283877771234');
    await page.getByRole('button', { name: 'Reveal' }).click();
    expect(await page.locator('[data-revealed]').textContent()).toBe('6283877771234');

    await page.getByRole('link', { name: words('console:nav.audit') }).click();
    // Phrases, KU- numbers, masked lines and labelled operators: none of the codes or ids the database holds.
    // A second click that reached the server is audited as the no-op it was; one refund changed the order.
    const stateChange = `${words('console:audit.field.state')}: ${words('console:state.fulfilled')} → ${words('console:state.refunded')}`;
    const refundRow = page.locator('[data-audit] tr', { hasText: stateChange });
    expect(await refundRow.count()).toBe(1);
    expect(await refundRow.textContent()).toContain(order.number);
    // Named as Telegram named them at /admin (the fake's first name), with their id.
    expect(await refundRow.textContent()).toContain(`Traveller (${OPERATOR})`);
    expect(await refundRow.locator('ul.changes').textContent()).toContain(stateChange);
    expect(
      await page.locator('[data-audit] tr', { hasText: words('console:audit.action.line.reveal') }).textContent(),
    ).toContain('•••• 1234');
    const log = (await page.locator('main').textContent())!;
    expect(log).not.toMatch(/order\.refund|line\.reveal|console\.sign_in|[{}"]/);
    expect(log).not.toContain(order.id);
  });

  it('by the last digits of a number, retries a top-up that failed for the deposit', async () => {
    const { h } = s;
    h.simulator.setBalance(0);
    const t = await travellerWithLine(h, '0838 5555 4321');
    const order = await paidOrder(h, t);
    await expect
      .poll(() => h.database.db.order.findUniqueOrThrow({ where: { id: order.id } }).then((o) => o.failureReason))
      .toContain('insufficient deposit');
    await signIn(h, page, OPERATOR);
    expect(await page.locator('main').textContent()).toMatch(/Failing \(retrying\)\s*1/);
    h.simulator.setBalance(5_000_000);

    await page.goto(`${h.appUrl}/console/orders?q=4321`);
    await page.getByRole('link', { name: order.number }).click();
    await page.getByRole('link', { name: englishConsole['orders.retry'] }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => page.locator('[data-state]').getAttribute('data-state')).toBe('fulfilled');
    expect(await page.locator('[role=status]').textContent()).toContain(words('console:orders.result.retried'));
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));

    await page.getByRole('link', { name: words('console:orders.resend') }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    expect(await page.locator('[role=status]').textContent()).toContain(words('console:orders.result.queued'));
    // The summary (edited into the receipt), the receipt, and the one sent again: waiting for two raced the resend.
    await t.waitFor(() => t.messages().filter((m) => m.text?.includes(RECEIPT_HEADLINE)).length === 3);
    const missing = await page.goto(`${h.appUrl}/console/orders/no-such-order`);
    expect(missing!.status()).toBe(404);
  });

  it('imports a catalog: a bad row is named and nothing changes; a good file is previewed, then applied', async () => {
    const { h } = s;
    await signIn(h, page, OPERATOR);
    await page.getByRole('link', { name: words('console:nav.catalog') }).click();
    const before = await h.database.db.plan.findMany({ orderBy: { code: 'asc' } });
    const good = {
      plans: before.map((p) => ({
        code: p.code,
        carrier: p.carrier,
        kind: p.kind,
        dataMb: p.dataMb,
        validityDays: p.validityDays,
        price: { amount: p.priceMinor, currency: p.currency },
        ...(p.altPriceMinor ? { altPrice: { amount: p.altPriceMinor, currency: p.altCurrency } } : {}),
        providerSku: p.providerSku,
        ...(p.starsPrice ? { starsPrice: p.starsPrice } : {}),
        ...(p.costMinor ? { cost: { amount: p.costMinor, currency: p.currency } } : {}),
        ...(p.provider ? { provider: p.provider } : {}),
        ...(p.graceDays !== null ? { graceDays: p.graceDays } : {}),
        names: p.names,
        active: p.active,
      })),
    };
    const bad = structuredClone(good);
    (bad.plans[1] as { price: { amount: number } }).price.amount = -5;
    await page.locator('textarea[name=catalog]').fill(JSON.stringify(bad));
    await page.getByRole('button', { name: words('console:catalog.preview') }).click();
    expect(await page.locator('ul.problems').textContent()).toContain(`plans[1] (${bad.plans[1]!.code}).price.amount`);
    expect(await h.database.db.plan.findMany({ orderBy: { code: 'asc' } })).toEqual(before);

    await page.goto(`${h.appUrl}/console/catalog`);
    good.plans[0]!.price.amount += 1000;
    good.plans.pop();
    await page.locator('textarea[name=catalog]').fill(JSON.stringify(good));
    await page.getByRole('button', { name: words('console:catalog.preview') }).click();
    const preview = await page.locator('main').textContent();
    expect(preview).toContain(
      `${good.plans[0]!.code} (price): priceMinor ${before[0]!.priceMinor} → ${before[0]!.priceMinor + 1000}`,
    );
    expect(preview).toContain(before.at(-1)!.code);
    expect((await h.database.db.plan.findUniqueOrThrow({ where: { code: good.plans[0]!.code } })).priceMinor).toBe(
      before[0]!.priceMinor,
    );
    await page.getByRole('button', { name: words('console:catalog.apply') }).click();
    expect(await page.locator('[role=status]').textContent()).toContain(words('console:catalog.applied'));
    expect((await h.database.db.plan.findUniqueOrThrow({ where: { code: good.plans[0]!.code } })).priceMinor).toBe(
      before[0]!.priceMinor + 1000,
    );
    expect((await h.database.db.plan.findUniqueOrThrow({ where: { code: before.at(-1)!.code } })).active).toBe(false);
  });

  it('publishes a notice to a live-counted audience and shows its delivery count rising', async () => {
    const { h } = s;
    const axis = await travellerWithLine(h, '0838 1212 3434');
    await travellerWithLine(h, '0817 1212 3435');
    await signIn(h, page, OPERATOR);
    await page.getByRole('link', { name: 'Notices' }).click();
    await page.locator('input[name=title_en]').fill('AXIS maintenance tonight');
    await page.locator('textarea[name=body_en]').fill('Top-ups may take longer between 01:00 and 03:00.');
    await page.getByLabel(words('console:notices.carrier')).check();
    await page.locator('select[name=carrier]').selectOption('axis');
    await expect
      .poll(() => page.locator('#audience-count').textContent())
      .toBe(englishConsole['notices.audience_count_one']!.replace('{{count}}', '1'));
    await page.getByRole('button', { name: 'Preview' }).click();
    expect(await page.locator('main').textContent()).toContain(
      englishConsole['notices.audience_count_one']!.replace('{{count}}', '1'),
    );
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/\/console\/notices\/[\w-]+$/);
    await axis.waitFor((text) => text.includes('AXIS maintenance tonight'));
    await expect.poll(() => page.locator('[data-count=sent]').textContent()).toBe('1');
    expect(await page.locator('[data-count=recipients]').textContent()).toBe('1');
  });

  it('shows the provider balance and alerts the operators in the chat when it falls below the threshold', async () => {
    const { h } = s;
    const op = await signIn(h, page, OPERATOR);
    h.simulator.setBalance(250_000);
    await page.getByRole('link', { name: 'Provider' }).click();
    await page.getByRole('button', { name: englishConsole['provider.check'] }).click();
    expect(await page.locator('[data-balance]').textContent()).toContain('250,000');
    expect(await page.locator('main').textContent()).toContain(words('console:provider.below'));
    await op.waitFor((text) => text.includes(words('operator.balance_low')));
    await page.getByRole('button', { name: englishConsole['provider.check'] }).click();
    await new Promise((r) => setTimeout(r, 300));
    expect(op.messages().filter((m) => m.text?.includes(words('operator.balance_low')))).toHaveLength(1);
  });

  it('lists the partner stores with the link to hand each one, and shows the store on an order that came from its link', async () => {
    const { h } = s;
    const t = h.telegram.traveller(880_001, { language_code: 'en' });
    await t.send('/start st_dps-kuta');
    await linkAnother(h, t, '0838 4444 1234');
    const order = await paidOrder(h, t);
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    await signIn(h, page, OPERATOR);
    expect(
      await page
        .locator('tr', { hasText: words('console:overview.channel.store') })
        .locator('td')
        .nth(1)
        .textContent(),
    ).toBe('1');

    await page.getByRole('link', { name: 'Stores' }).click();
    const kuta = page.locator('tr[data-store="dps-kuta"]');
    expect(await kuta.getByLabel('Link: Kuota Partner Kuta').inputValue()).toBe(
      'https://t.me/kuota_test_bot?start=st_dps-kuta',
    );
    expect(await kuta.locator('[data-renewals]').textContent()).toBe('1');
    expect(await page.locator('tr[data-store="jkt-thamrin"] [data-renewals]').textContent()).toBe('0');
    // The QR code to print for the counter is drawn by the browser from the app's SVG.
    await expect
      .poll(() =>
        kuta
          .getByAltText('QR code (click to download): Kuota Partner Kuta')
          .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBeGreaterThan(0);
    expect((await page.request.get(`${h.appUrl}/console/stores/no-such-store/qr.svg`)).status()).toBe(404);
    if (SCREENSHOTS) await shot(page, 'stores');

    await page.goto(`${h.appUrl}/console/orders/${order.id}`);
    expect(await page.locator('[data-store]').textContent()).toBe('Kuota Partner Kuta');
  });

  it('speaks the language and clock the operator picks in the console, from their chat settings until then, remembered and audited', async () => {
    const { h } = s;
    const t = await travellerWithLine(h, '0838 6666 1234');
    const order = await paidOrder(h, t);
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    const created = (await h.database.db.order.findUniqueOrThrow({ where: { id: order.id } })).createdAt;
    const minutes = String(created.getUTCMinutes()).padStart(2, '0');
    await operatorInChat(h, OPERATOR);
    await h.database.db.user.update({
      where: { telegramId: BigInt(OPERATOR) },
      data: { timezone: 'Europe/London', timezoneSet: true },
    });

    await signIn(h, page, OPERATOR);
    await page.goto(`${h.appUrl}/console/orders/${order.id}`);
    // Intl puts a no-break space between currency and amount.
    const row = async (label: string) =>
      (await page
        .locator('tr', { has: page.locator('th', { hasText: label }) })
        .locator('td')
        .textContent())!.replace(/\s/g, ' ');
    // The chat's English and London clock (GMT in November): "3:07 AM", "IDR 35,000".
    expect(await row('Created')).toContain(`${created.getUTCHours() % 12 || 12}:${minutes}`);
    expect(await row('Amount')).toContain('IDR 35,000');

    await page.locator('[data-prefs]').click();
    await page.locator('select[name=language]').selectOption('id');
    await page.locator('select[name=timezone]').selectOption('Asia/Jakarta');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('[role=status]').textContent()).toBe('Tersimpan.');
    expect(await page.locator('h1').textContent()).toBe('Bahasa dan zona waktu');
    if (SCREENSHOTS) await shot(page, 'settings');

    await page.goto(`${h.appUrl}/console/orders/${order.id}`);
    // Indonesian labels, Jakarta's clock (UTC+7) written the Indonesian way ("10.07"), and rupiah as Indonesians write them.
    expect(await page.getByRole('link', { name: 'Pesanan' }).count()).toBe(1);
    expect(await row('Dibuat')).toContain(`${String((created.getUTCHours() + 7) % 24).padStart(2, '0')}.${minutes}`);
    expect(await row('Jumlah')).toContain('Rp 35.000');

    // Remembered for the next sign-in; the chat keeps its own settings.
    await page.getByRole('button', { name: 'Keluar' }).click();
    await signIn(h, page, OPERATOR);
    expect(await page.locator('[data-prefs]').textContent()).toContain('id · Asia/Jakarta');
    expect(await h.database.db.user.findUniqueOrThrow({ where: { telegramId: BigInt(OPERATOR) } })).toMatchObject({
      language: 'en',
      timezone: 'Europe/London',
    });
    await page.getByRole('link', { name: 'Log audit' }).click();
    const prefsRow = await page.locator('[data-audit] tr', { hasText: 'Bahasa: Inggris → Indonesia' }).textContent();
    expect(prefsRow).toContain('Asia/Jakarta');
    expect(prefsRow).not.toContain('console.preferences');

    // A choice from outside the lists changes nothing, names of JavaScript's own properties included.
    const csrf = await page.locator('form[action="/console/sign-out"] input[name=_csrf]').inputValue();
    for (const language of ['xx', 'constructor', '__proto__']) {
      const forged = await page.request.post(`${h.appUrl}/console/settings`, {
        form: { language, timezone: language === 'xx' ? 'Mars/Base' : 'Asia/Jakarta', _csrf: csrf },
      });
      expect(forged.status()).toBe(400);
    }
    expect(
      await h.database.db.consoleSession.count({ where: { language: { in: ['xx', 'constructor', '__proto__'] } } }),
    ).toBe(0);
    await page.reload();
    expect(await page.locator('[data-prefs]').textContent()).toContain('id · Asia/Jakarta');
  });
});

describe('the operator console on a laptop and on a phone', () => {
  const s = consoleSuite({ owner: OPERATOR, env: { BALANCE_ALERT_BELOW: '1000000' } });

  const checkHeaders = (headers: Record<string, string>) => {
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("style-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
  };

  it.each([...SCREENS, SMALL_PHONE])(
    '$name: every page fits the screen, logs no error, has a viewport and its security headers',
    async (screen) => {
      const { h } = s;
      const t = await travellerWithLine(h, '0838 7777 1234');
      const order = await paidOrder(h, t);
      await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
      const { context, page, errors } = await s.open(screen);

      // The pages someone who is not signed in sees: the link from /admin, the refusal, a wrong address.
      const guestPages: Array<[string, number]> = [
        [`${h.appUrl}/console/sign-in?token=anything`, 200],
        [`${h.appUrl}/console/orders`, 401],
        [`${h.appUrl}/console/no-such-page`, 404],
      ];
      for (const [url, status] of guestPages) {
        const response = (await page.goto(url))!;
        expect(response.status(), url).toBe(status);
        checkHeaders(response.headers());
        expect(await page.locator('meta[name=viewport]').count(), url).toBe(1);
        expect(await overflow(page), url).toEqual({ excess: 0, widest: [] });
      }
      expect(await page.locator('body').textContent()).not.toMatch(/Revenue|KU-/);

      await signIn(h, page, OPERATOR);
      const { userId, number, planId } = await h.database.db.order.findUniqueOrThrow({ where: { id: order.id } });
      const plan = await h.database.db.plan.findUniqueOrThrow({ where: { id: planId } });
      const pages: Array<[string, string, number]> = [
        ['overview', '/console', 200],
        ['orders', '/console/orders', 200],
        ['order', `/console/orders/${order.id}`, 200],
        ['confirm', `/console/orders/${order.id}/confirm/refund`, 200],
        ['travellers', '/console/travellers?q=1234', 200],
        ['traveller', `/console/travellers/${userId}`, 200],
        ['catalog', '/console/catalog', 200],
        ['stores', '/console/stores', 200],
        ['notices', '/console/notices', 200],
        ['provider', '/console/provider', 200],
        ['audit', '/console/audit', 200],
        ['reports', '/console/reports', 200],
        ['settings', '/console/settings', 200],
        ['attention', '/console/attention', 200],
        ['operators', '/console/operators', 200],
        ['plan-form', `/console/catalog/plans/${encodeURIComponent(plan.code)}`, 200],
        ['plan-add', '/console/catalog/add', 200],
        ['store-form', '/console/stores/add', 200],
        ['message', `/console/travellers/${userId}/message`, 200],
        ['not-found', '/console/no-such-page', 404],
      ];
      for (const [name, path, status] of pages) {
        const response = (await page.goto(`${h.appUrl}${path}`))!;
        expect(response.status(), path).toBe(status);
        checkHeaders(response.headers());
        expect(await page.locator('meta[name=viewport]').count(), path).toBe(1);
        expect(await overflow(page), path).toEqual({ excess: 0, widest: [] });
        if (SCREENSHOTS && screen !== SMALL_PHONE) await shot(page, `${screen.name}-${name}`);
        if (name === 'traveller') {
          // The traveller's orders are listed by their KU- number, each a link to the order.
          expect(number).toMatch(/^KU-/);
          const listed = page.getByRole('link', { name: number!, exact: true });
          expect(await listed.isVisible()).toBe(true);
          expect(await listed.getAttribute('href')).toBe(`/console/orders/${order.id}`);
        }
      }
      // The 404 of a signed-in operator is the console's own page, with its navigation.
      expect(await page.locator('h1').textContent()).toBe(words('console:auth.not_found_title'));
      const orders = page.getByRole('link', { name: 'Orders', exact: true });
      if (screen.name !== 'desktop') {
        // On a phone the navigation folds into one menu; it opens without any script.
        expect(await orders.isVisible()).toBe(false);
        await page.getByText('Menu').click();
      }
      expect(await orders.isVisible()).toBe(true);
      await orders.click();
      await page.waitForURL(/\/console\/orders$/);
      expect(errors).toEqual([]);
      await context.close();
    },
    // Fourteen pages on each screen: a loaded 2-core machine needs more than the default 30 s.
    180_000,
  );

  it('draws each order state in its own colour and follows the dark mode of the device', async () => {
    const { h } = s;
    const { context, page, errors } = await s.open(SCREENS[1], { colorScheme: 'dark' });
    const t = await travellerWithLine(h, '0838 7777 1234');
    await paidOrder(h, t);
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    await orderSummary(t);
    await t.tap(words('renew.pay_card'));
    await signIn(h, page, OPERATOR);
    const colours = () =>
      page.evaluate(() => {
        const chart = (
          globalThis as unknown as {
            Chart?: {
              getChart(
                id: string,
              ): { data: { labels: string[]; datasets: Array<{ backgroundColor: string[] }> } } | undefined;
            };
          }
        ).Chart?.getChart('states-chart');
        return chart ? { labels: chart.data.labels, colours: chart.data.datasets[0]!.backgroundColor } : null;
      });
    await expect.poll(colours).not.toBeNull();
    const drawn = (await colours())!;
    expect(drawn.labels.length).toBeGreaterThanOrEqual(2);
    expect(new Set(drawn.colours).size).toBe(drawn.labels.length);
    expect(
      await page
        .locator('body')
        .evaluate(
          (body) =>
            (globalThis as unknown as { getComputedStyle(el: unknown): { backgroundColor: string } }).getComputedStyle(
              body,
            ).backgroundColor,
        ),
    ).toBe('rgb(20, 24, 28)');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('after every action the browser is on a plain page: a reload repeats nothing and writes no audit entry', async () => {
    const { h } = s;
    const t = await travellerWithLine(h, '0838 7777 1234');
    const order = await paidOrder(h, t);
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    const { context, page, errors, chat: op } = await s.signedIn(OPERATOR, SCREENS[1]);
    const audited = () => h.database.db.auditEntry.count();
    const reloadRepeatsNothing = async (url: RegExp) => {
      await page.waitForURL(url);
      const before = await audited();
      const again = (await page.reload())!;
      expect(again.request().method()).toBe('GET');
      expect(await audited()).toBe(before);
      expect(page.url()).toMatch(url);
    };

    await page.goto(`${h.appUrl}/console/orders/${order.id}`);
    await page.getByRole('link', { name: words('console:orders.resend') }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await reloadRepeatsNothing(/result=queued/);
    expect(await page.locator('[role=status]').textContent()).toContain(words('console:orders.result.queued'));

    await page.getByRole('link', { name: 'Refund' }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await reloadRepeatsNothing(/result=refund/);
    expect(h.stripe.refunds).toHaveLength(1);

    await page.getByRole('link', { name: '•••• 1234' }).click();
    await page.getByRole('button', { name: 'Reveal' }).click();
    await reloadRepeatsNothing(/\/console\/travellers\/\w+\?revealed=/);
    expect(await page.locator('[data-revealed]').textContent()).toBe('6283877771234');
    expect(await h.database.db.auditEntry.count({ where: { action: 'line.reveal' } })).toBe(1);

    h.simulator.setBalance(250_000);
    await page.goto(`${h.appUrl}/console/provider`);
    await page.getByRole('button', { name: englishConsole['provider.check'] }).click();
    await reloadRepeatsNothing(/\/console\/provider\?read=ok$/);
    expect(await page.locator('[data-balance]').textContent()).toContain('250,000');
    await op.waitFor((text) => text.includes(words('operator.balance_low')));

    await page.goto(`${h.appUrl}/console/catalog`);
    const code = (await page.locator('tr[data-plan]').first().getAttribute('data-plan'))!;
    const onSale = (await h.database.db.plan.findUniqueOrThrow({ where: { code } })).active;
    const switchButton = page.locator(`tr[data-plan="${code}"]`).getByRole('button');
    expect(await switchButton.textContent()).toBe(words(`console:catalog.switch_${onSale ? 'off' : 'on'}`));
    await switchButton.click();
    await reloadRepeatsNothing(/\/console\/catalog$/);
    // The plan switched, once: the row now offers the opposite switch.
    expect((await h.database.db.plan.findUniqueOrThrow({ where: { code } })).active).toBe(!onSale);
    expect(await switchButton.textContent()).toBe(words(`console:catalog.switch_${onSale ? 'on' : 'off'}`));

    const plans = await h.database.db.plan.findMany({ orderBy: { code: 'asc' } });
    const file = {
      plans: plans.map((p) => ({
        code: p.code,
        carrier: p.carrier,
        kind: p.kind,
        dataMb: p.dataMb,
        validityDays: p.validityDays,
        price: { amount: p.priceMinor + 500, currency: p.currency },
        ...(p.altPriceMinor ? { altPrice: { amount: p.altPriceMinor, currency: p.altCurrency } } : {}),
        providerSku: p.providerSku,
        names: p.names,
        active: p.active,
      })),
    };
    await page.locator('textarea[name=catalog]').fill(JSON.stringify(file));
    await page.getByRole('button', { name: words('console:catalog.preview') }).click();
    await page.getByRole('button', { name: words('console:catalog.apply') }).click();
    await reloadRepeatsNothing(/\/console\/catalog\?applied=1$/);
    expect(await page.locator('[role=status]').textContent()).toContain(words('console:catalog.applied'));
    expect(await h.database.db.auditEntry.count({ where: { action: 'catalog.import' } })).toBe(1);

    await page.goto(`${h.appUrl}/console/notices`);
    await page.locator('input[name=title_en]').fill('Maintenance tonight');
    await page.locator('textarea[name=body_en]').fill('Top-ups may take longer.');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('button', { name: 'Publish' }).click();
    await reloadRepeatsNothing(/\/console\/notices\/[\w-]+$/);
    expect(await h.database.db.auditEntry.count({ where: { action: 'notice.publish' } })).toBe(1);

    await page.goto(`${h.appUrl}/console/settings`);
    await page.locator('select[name=timezone]').selectOption('Asia/Makassar');
    await page.getByRole('button', { name: 'Save' }).click();
    await reloadRepeatsNothing(/\/console\/settings\?saved=1$/);
    expect(errors).toEqual([]);
    await context.close();
  }, 150_000);

  it('refuses a form posted from another site, even with a valid CSRF token', async () => {
    const { h } = s;
    const t = await travellerWithLine(h, '0838 7777 1234');
    const order = await paidOrder(h, t);
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    const { context, page } = await s.signedIn(OPERATOR);
    await page.goto(`${h.appUrl}/console/orders/${order.id}/confirm/refund`);
    const form = {
      _csrf: await page.locator('form[action$="/refund"] input[name=_csrf]').inputValue(),
      key: await page.locator('input[name=key]').inputValue(),
    };
    const foreign = await page.request.post(`${h.appUrl}/console/orders/${order.id}/refund`, {
      form,
      headers: { origin: 'https://evil.example' },
      maxRedirects: 0,
    });
    expect(foreign.status()).toBe(403);
    expect(h.stripe.refunds).toHaveLength(0);
    const own = await page.request.post(`${h.appUrl}/console/orders/${order.id}/refund`, {
      form,
      headers: { origin: h.appUrl },
      maxRedirects: 0,
    });
    expect(own.status()).toBe(303);
    expect(h.stripe.refunds).toHaveLength(1);
    await context.close();
  });

  it('shows only the outcome that fits the order, and offers no action that cannot apply', async () => {
    const { h } = s;
    const t = await travellerWithLine(h, '0838 7777 1234');
    const fulfilled = await paidOrder(h, t);
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    await orderSummary(t);
    await t.tap(words('renew.pay_card'));
    const session = h.stripe.latestSession();
    await h.stripe.deliver(h.appUrl, h.stripe.expire(session.id));
    await t.waitFor((text) => text.includes(words('notify.order_expired', 3)));
    const expired = await h.database.db.order.findFirstOrThrow({ where: { state: 'expired' } });
    const { context, page } = await s.signedIn(OPERATOR, SCREENS[1]);

    for (const result of ['refunded', 'not_fulfilled', 'made_up', 'constructor']) {
      await page.goto(`${h.appUrl}/console/orders/${fulfilled.id}?result=${result}`);
      expect(await page.locator('[role=status]').count(), result).toBe(0);
      expect(await page.locator('main').textContent()).not.toContain('orders.');
    }
    await page.goto(`${h.appUrl}/console/orders/${fulfilled.id}?result=queued`);
    expect(await page.locator('[role=status]').textContent()).toContain(words('console:orders.result.queued'));

    await page.goto(`${h.appUrl}/console/orders/${expired.id}`);
    expect(await page.locator('[data-actions]').textContent()).toContain(words('console:orders.no_actions'));
    expect(await page.getByRole('link', { name: 'Refund' }).count()).toBe(0);
    await page.goto(`${h.appUrl}/console/orders/${expired.id}/confirm/refund`);
    expect(await page.locator('[data-cannot]').textContent()).toContain(words('console:orders.result.not_refundable'));
    expect(await page.locator('[data-cannot]').textContent()).toContain('Expired');
    expect(await page.getByRole('button', { name: 'Confirm' }).count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toContain(words('console:orders.confirm_refund', 2));

    // The timeline in words: no message kind, delivery state or top-up status as the database writes it.
    await page.goto(`${h.appUrl}/console/orders/${fulfilled.id}`);
    const timeline = (await page.locator('table.timeline').textContent())!;
    expect(timeline).toContain(words('console:message.receipt'));
    expect(timeline).toContain(words('console:source.manual'));
    expect(timeline).not.toContain('other');
    expect(timeline).toContain(words('console:topup.success'));
    expect(timeline).not.toMatch(/payment_received|order_update|receipt\b|success|delivery:|sent\b/);
    await context.close();
  });

  it('answers a wrong address and a refusal in the visitor’s own language, any of the ten', async () => {
    const { h } = s;
    const ja = JSON.parse(readFileSync('locales/ja/console.json', 'utf8')) as {
      auth: Record<string, string>;
    };
    const { context, page } = await s.open(SCREENS[1], { locale: 'ja-JP' });
    const refused = (await page.goto(`${h.appUrl}/console/orders`))!;
    expect(refused.status()).toBe(401);
    expect(await page.locator('h1').textContent()).toBe(ja.auth.unauthorized_title);
    const missing = (await page.goto(`${h.appUrl}/console/nothing/here`))!;
    expect(missing.status()).toBe(404);
    expect(missing.headers()['content-type']).toContain('text/html');
    expect(await page.locator('h1').textContent()).toBe(ja.auth.not_found_title);
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await context.close();
  });
});

describe('the console shows how an order was paid, and a dispute', () => {
  const s = consoleSuite({ owner: OPERATOR, env: STARS_ENV });

  it.each(SCREENS)('$name: a Stars order shows Stars, and its refund gives Stars back', async (screen) => {
    const { h } = s;
    const t = await travellerWithLine(h);
    const { payment } = await t.payInvoice(await starsInvoiceLink(t));
    expect(payment).toBeTruthy();
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    const order = await h.database.db.order.findFirstOrThrow({ where: { paidWith: 'stars' } });
    const { context, page, errors } = await s.signedIn(OPERATOR, screen);
    await page.goto(`${h.appUrl}/console/orders/${order.id}`);
    expect(await page.locator('[data-amount]').textContent()).toMatch(
      new RegExp(`^${literally(phrase('console:orders.stars_amount', { amount: 150 }))}`),
    );
    expect(await page.locator('[data-paid-with]').textContent()).toBe(words('console:orders.ledger.processors.stars'));
    expect(
      await page.locator('table.timeline tr', { hasText: words('console:event.payment_paid') }).textContent(),
    ).toContain(phrase('console:orders.stars_amount', { amount: 150 }));
    // The overview's revenue counts the 150 Stars as Stars, not as the plan's rupiah price.
    await page.goto(`${h.appUrl}/console`);
    for (const period of ['today', '7d', '30d'])
      expect((await page.locator(`[data-revenue="${period}"]`).textContent())!.trim()).toBe(
        phrase('console:orders.stars_amount', { amount: 150 }),
      );
    expect(await overflow(page)).toEqual({ excess: 0, widest: [] });
    await page.goto(`${h.appUrl}/console/orders/${order.id}`);
    await page.getByRole('link', { name: 'Refund' }).click();
    const confirm = (await page.locator('main').textContent())!;
    expect(confirm).toContain(
      phrase('console:orders.confirm_refund_stars', { amount: phrase('console:orders.stars_amount', { amount: 150 }) }),
    );
    expect(confirm).not.toContain('IDR');
    expect(await overflow(page)).toEqual({ excess: 0, widest: [] });
    expect(errors).toEqual([]);
    await context.close();
  });

  it.each(SCREENS)('$name: a disputed order shows the dispute and offers no refund', async (screen) => {
    const { h } = s;
    const t = await travellerWithLine(h);
    const session = await checkout(h, t);
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    const orderId = session.metadata.orderId!;
    const { context, page, errors } = await s.signedIn(OPERATOR, screen);
    await page.goto(`${h.appUrl}/console/orders/${orderId}`);
    expect(await page.locator('[data-paid-with]').textContent()).toBe(words('console:orders.paid_with_card'));
    expect(await page.getByRole('link', { name: 'Refund' }).count()).toBe(1);

    // The operator reads the console in Makassar time (not the default Jakarta): the deadline is shown in it.
    await page.goto(`${h.appUrl}/console/settings`);
    await page.locator('select[name=timezone]').selectOption('Asia/Makassar');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.goto(`${h.appUrl}/console/orders/${orderId}`);
    const opened = h.stripe.dispute(h.stripe.sessions.get(session.id)!.payment_intent!);
    const disputeId = (opened.data.object as { id: string }).id;
    await h.stripe.deliver(h.appUrl, opened);
    await page.reload();
    expect(await page.locator('[data-dispute]').textContent()).toMatch(/IDR\s35,000/);
    expect(await page.locator('[data-dispute-status]').textContent()).toBe(
      words('console:orders.dispute_status.needs_response'),
    );
    const dueBy = new Date(h.stripe.disputes.get(disputeId)!.evidence_details.due_by! * 1000);
    const deadline = formatDateTime(dueBy, 'en', 'Asia/Makassar');
    expect(await page.locator('[data-dispute-due]').textContent()).toBe(
      phrase('console:orders.dispute_due', { date: deadline }),
    );
    expect(await page.getByRole('link', { name: 'Refund' }).count()).toBe(0);
    expect(await page.locator('table.timeline').textContent()).toContain(englishConsole['message.dispute_opened']!);
    await page.goto(`${h.appUrl}/console/orders/${orderId}/confirm/refund`);
    expect(await page.locator('[data-cannot]').textContent()).toContain(words('console:orders.disputed_no_refund'));
    expect(await page.getByRole('button', { name: 'Confirm' }).count()).toBe(0);
    // A form kept from before the dispute refunds nothing either.
    const csrf = await page.locator('form[action="/console/sign-out"] input[name=_csrf]').inputValue();
    const stale = await page.request.post(`${h.appUrl}/console/orders/${orderId}/refund`, {
      form: { _csrf: csrf, key: 'stale' },
      maxRedirects: 0,
    });
    expect(stale.status()).toBe(303);
    expect(stale.headers().location).toContain('result=not_refundable');
    expect(h.stripe.refunds).toHaveLength(0);

    // Needs attention lists it, with its deadline, until Stripe closes it.
    await page.goto(`${h.appUrl}/console/attention`);
    const row = page.locator(`[data-open-disputes] tr[data-dispute-id="${disputeId}"]`);
    expect(await row.textContent()).toContain(deadline);
    expect(await row.textContent()).toContain(words('console:orders.dispute_status.needs_response'));
    expect(await row.getByRole('link').getAttribute('href')).toBe(`/console/orders/${orderId}`);
    expect(await overflow(page)).toEqual({ excess: 0, widest: [] });

    // Evidence goes in, then the bank decides for the merchant: Stripe closes it won and gives the money back.
    await h.stripe.deliver(h.appUrl, h.stripe.submitEvidence(disputeId));
    h.stripe.advanceClock(60);
    for (const event of h.stripe.closeDispute(disputeId, 'won')) await h.stripe.deliver(h.appUrl, event);
    await page.goto(`${h.appUrl}/console/orders/${orderId}`);
    expect(await page.locator('[data-dispute-status]').textContent()).toBe(words('console:orders.dispute_status.won'));
    expect(await page.locator('[data-dispute-due]').count()).toBe(0);
    expect(await page.locator('table.ledger').textContent()).toContain(
      words('console:orders.ledger.kinds.dispute_reversal'),
    );
    await page.goto(`${h.appUrl}/console/attention`);
    expect(await page.locator(`tr[data-dispute-id="${disputeId}"]`).count()).toBe(0);
    expect(await overflow(page)).toEqual({ excess: 0, widest: [] });
    expect(errors).toEqual([]);
    await context.close();
  });
});

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS!, { recursive: true });
  // What the screen shows, not the whole page: the README's pictures stay small.
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: false, type: 'png' });
}
