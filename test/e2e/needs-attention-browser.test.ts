import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from '../helpers/console-browser.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { checkout, travellerWithLine } from '../helpers/journeys.js';
import { words, rendered } from '../helpers/copy.js';

const OPERATOR = 778001;

describe('"Needs attention" in the console, in a real browser', () => {
  let browser: Browser;
  let h: Harness;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('reconciles on demand, lists what it found with its order, and resolves it; both audited', async () => {
    h = await startHarness({ env: { ADMIN_IDS: String(OPERATOR) } });
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await signIn(h, page, OPERATOR);
    // Paid on Stripe's page; the webhook is lost.
    const t = await travellerWithLine(h);
    const session = await checkout(h, t);
    h.stripe.pay(session.id);
    const orderNumber = `KU-${(session.metadata.orderId as string).slice(-8).toUpperCase()}`;

    await page.getByRole('link', { name: words('console:nav.attention') }).click();
    expect(await page.locator('main').textContent()).toContain(words('console:attention.none'));
    await page.getByRole('button', { name: words('console:attention.run') }).click();
    expect(await page.locator('[role=status]').textContent()).toContain(rendered('console:attention.ran', { n: 1 }));
    const row = page.locator('tr[data-issue]');
    expect(await row.textContent()).toContain(words('console:attention.kind.settled_late'));
    expect(await row.textContent()).toContain(orderNumber);

    await page.getByRole('button', { name: words('console:attention.run') }).click();
    expect(await page.locator('[role=status]').textContent()).toContain(rendered('console:attention.ran', { n: 0 }));
    await row.getByRole('button', { name: 'Resolve' }).click();
    expect(await page.locator('main').textContent()).toContain(words('console:attention.none'));
    const audited = await h.database.db.auditEntry.findMany({ where: { action: { startsWith: 'reconciliation.' } } });
    expect(audited.map((a) => a.action).sort()).toEqual([
      'reconciliation.resolve',
      'reconciliation.run',
      'reconciliation.run',
    ]);
    await context.close();
  });
});
