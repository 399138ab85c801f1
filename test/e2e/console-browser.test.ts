import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, signIn, signInLink } from '../helpers/console-browser.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { linkAnother, operatorInChat, paidOrder, travellerWithLine } from '../helpers/journeys.js';

const OPERATOR = 777001;
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS;

describe('the operator console in a real browser', () => {
  let browser: Browser;
  let h: Harness;
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    h = await startHarness({ env: { ADMIN_IDS: String(OPERATOR), BALANCE_ALERT_BELOW: '1000000' } });
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1100, height: 900 } });
    page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
    await h.stop();
  });

  it('signs in with the link from /admin; the link works once, and an old one is refused', async () => {
    await signIn(h, page, OPERATOR);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Overview');
    const cookie = (await context.cookies()).find((c) => c.name === 'kuota_console')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });

    const op = await operatorInChat(h, OPERATOR);
    const link = await signInLink(h, op);
    await page.goto(link);
    await page.getByRole('button').click();
    await page.waitForURL(/\/console$/);
    const other = await browser.newContext();
    const second = await other.newPage();
    await second.goto(link);
    await second.getByRole('button').click();
    expect(await second.locator('body').textContent()).toContain('already been used, has expired');
    expect(await second.locator('body').textContent()).not.toContain('Revenue');

    const expiring = await signInLink(h, op);
    h.advance(5 * 60_000 + 1000);
    await second.goto(expiring);
    await second.getByRole('button').click();
    expect(await second.locator('h1').textContent()).toBe('Sign in needed');
    await other.close();
  });

  it('refuses everyone else with a plain page, and a form posted without its CSRF token', async () => {
    const t = await travellerWithLine(h);
    await t.send('/admin');
    expect(t.last().text).not.toContain('sign-in');
    const anonymous = await page.goto(`${h.appUrl}/console/orders`);
    expect(anonymous!.status()).toBe(401);
    expect(await page.locator('body').textContent()).not.toMatch(/Revenue|KU-/);
    const forged = await page.goto(`${h.appUrl}/console/sign-in?token=not-a-real-token`);
    expect(forged!.status()).toBe(200);
    await page.getByRole('button').click();
    expect(await page.locator('h1').textContent()).toBe('Sign in needed');

    await signIn(h, page, OPERATOR);
    const order = await paidOrder(h, t);
    await t.waitFor((text) => text.includes('Top-up applied'));
    const noToken = await page.request.post(`${h.appUrl}/console/orders/${order.id}/refund`, { form: { key: 'x' } });
    expect(noToken.status()).toBe(403);
    const wrongToken = await page.request.post(`${h.appUrl}/console/orders/${order.id}/refund`, {
      form: { key: 'x', _csrf: 'forged' },
    });
    expect(wrongToken.status()).toBe(403);
    expect(h.stripe.refunds).toHaveLength(0);
  });

  it('finds an order by its number and refunds it once, even after a double click', async () => {
    const t = await travellerWithLine(h, '0838 7777 1234');
    const order = await paidOrder(h, t);
    await t.waitFor((text) => text.includes('Top-up applied'));
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
    await page.getByLabel('Order number, last digits').fill(order.number);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: order.number }).click();
    expect(await page.locator('table.timeline').textContent()).toContain('Payment received');
    expect(await page.locator('body').textContent()).not.toContain('083877771234');
    if (SCREENSHOTS) await shot(page, 'order');

    await page.getByRole('link', { name: 'Refund' }).click();
    expect(await page.locator('main').textContent()).toContain('This cannot be undone');
    await page.getByRole('button', { name: 'Confirm' }).dblclick();
    // The second click's post replaces the first navigation (which the browser aborts): follow the URL, not one navigation.
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/result=/);
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

    await page.getByRole('link', { name: 'Audit log' }).click();
    const log = await page.locator('main table').textContent();
    expect(log).toContain('order.refund');
    expect(log).toContain('line.reveal');
  });

  it('by the last digits of a number, retries a top-up that failed for the deposit', async () => {
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
    await page.getByRole('link', { name: 'Retry top-up' }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => page.locator('[data-state]').getAttribute('data-state')).toBe('fulfilled');
    expect(await page.locator('[role=status]').textContent()).toContain('requested again');
    await t.waitFor((text) => text.includes('Top-up applied'));

    await page.getByRole('link', { name: 'Resend receipt' }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    expect(await page.locator('[role=status]').textContent()).toContain('The receipt is on its way');
    // The summary (edited into the receipt), the receipt, and the one sent again: waiting for two raced the resend.
    await t.waitFor(() => t.messages().filter((m) => m.text?.includes('Top-up applied')).length === 3);
    const missing = await page.goto(`${h.appUrl}/console/orders/no-such-order`);
    expect(missing!.status()).toBe(404);
  });

  it('imports a catalog: a bad row is named and nothing changes; a good file is previewed, then applied', async () => {
    await signIn(h, page, OPERATOR);
    await page.getByRole('link', { name: 'Catalog' }).click();
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
    await page.getByRole('button', { name: 'Preview changes' }).click();
    expect(await page.locator('ul.problems').textContent()).toContain(`plans[1] (${bad.plans[1]!.code}).price.amount`);
    expect(await h.database.db.plan.findMany({ orderBy: { code: 'asc' } })).toEqual(before);

    await page.goto(`${h.appUrl}/console/catalog`);
    good.plans[0]!.price.amount += 1000;
    good.plans.pop();
    await page.locator('textarea[name=catalog]').fill(JSON.stringify(good));
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const preview = await page.locator('main').textContent();
    expect(preview).toContain(
      `${good.plans[0]!.code} (price): priceMinor ${before[0]!.priceMinor} → ${before[0]!.priceMinor + 1000}`,
    );
    expect(preview).toContain(before.at(-1)!.code);
    expect((await h.database.db.plan.findUniqueOrThrow({ where: { code: good.plans[0]!.code } })).priceMinor).toBe(
      before[0]!.priceMinor,
    );
    await page.getByRole('button', { name: 'Apply these changes' }).click();
    expect(await page.locator('[role=status]').textContent()).toContain('The catalog was updated');
    expect((await h.database.db.plan.findUniqueOrThrow({ where: { code: good.plans[0]!.code } })).priceMinor).toBe(
      before[0]!.priceMinor + 1000,
    );
    expect((await h.database.db.plan.findUniqueOrThrow({ where: { code: before.at(-1)!.code } })).active).toBe(false);
  });

  it('publishes a notice to a live-counted audience and shows its delivery count rising', async () => {
    const axis = await travellerWithLine(h, '0838 1212 3434');
    await travellerWithLine(h, '0817 1212 3435');
    await signIn(h, page, OPERATOR);
    await page.getByRole('link', { name: 'Notices' }).click();
    await page.locator('input[name=title_en]').fill('AXIS maintenance tonight');
    await page.locator('textarea[name=body_en]').fill('Top-ups may take longer between 01:00 and 03:00.');
    await page.getByLabel('One carrier').check();
    await page.locator('select[name=carrier]').selectOption('axis');
    await expect.poll(() => page.locator('#audience-count').textContent()).toBe('Would reach 1 travellers');
    await page.getByRole('button', { name: 'Preview' }).click();
    expect(await page.locator('main').textContent()).toContain('Would reach 1 travellers');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/\/console\/notices\/[\w-]+$/);
    await axis.waitFor((text) => text.includes('AXIS maintenance tonight'));
    await expect.poll(() => page.locator('[data-count=sent]').textContent(), { timeout: 8000 }).toBe('1');
    expect(await page.locator('[data-count=recipients]').textContent()).toBe('1');
  });

  it('shows the provider balance and alerts the operators in the chat when it falls below the threshold', async () => {
    const op = await signIn(h, page, OPERATOR);
    h.simulator.setBalance(250_000);
    await page.getByRole('link', { name: 'Provider' }).click();
    await page.getByRole('button', { name: 'Read the balance now' }).click();
    expect(await page.locator('[data-balance]').textContent()).toContain('250,000');
    expect(await page.locator('main').textContent()).toContain('Below the alert threshold');
    await op.waitFor((text) => text.includes('Wholesale balance is low'));
    await page.getByRole('button', { name: 'Read the balance now' }).click();
    await new Promise((r) => setTimeout(r, 300));
    expect(op.messages().filter((m) => m.text?.includes('Wholesale balance is low'))).toHaveLength(1);
  });

  it('lists the partner stores with the link to hand each one, and shows the store on an order that came from its link', async () => {
    const t = h.telegram.traveller(880_001, { language_code: 'en' });
    await t.send('/start st_dps-kuta');
    await linkAnother(h, t, '0838 4444 1234');
    const order = await paidOrder(h, t);
    await t.waitFor((text) => text.includes('Top-up applied'));
    await signIn(h, page, OPERATOR);
    expect(await page.locator('tr', { hasText: 'Partner store link' }).locator('td').nth(1).textContent()).toBe('1');

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
    const t = await travellerWithLine(h, '0838 6666 1234');
    const order = await paidOrder(h, t);
    await t.waitFor((text) => text.includes('Top-up applied'));
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
    expect(await page.locator('main table').textContent()).toContain('console.preferences');

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

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS!, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true, type: 'png' });
}
