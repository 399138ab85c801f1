import { describe, expect, it } from 'vitest';
import { consoleSuite } from '../helpers/console-browser.js';
import { checkout, travellerWithLine } from '../helpers/journeys.js';
import { words, rendered } from '../helpers/copy.js';

const OPERATOR = 778001;

describe('"Needs attention" in the console, in a real browser', () => {
  const s = consoleSuite({ owner: OPERATOR });

  it('reconciles on demand, lists what it found with its order, and resolves it; both audited', async () => {
    const { h } = s;
    const { context, page } = await s.signedIn(OPERATOR);
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
