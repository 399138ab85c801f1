import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { RECEIPT_HEADLINE, words, phrase, rendered, literally } from '../helpers/copy.js';

const AXIS = '6283812345678';

describe.each(databaseKinds)('the renewal journey on %s', (db) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ db });
  });
  afterEach(async () => {
    await h.stop();
  });

  it('links a number, renews it, pays, and gets the top-up and a receipt', async () => {
    const t = h.telegram.traveller(1001, { language_code: 'en', first_name: 'Ana' });
    await t.send('/start');
    expect(t.last().text).toContain('Hi Ana!');
    expect(t.buttons().map((b) => b.text)).toEqual(
      expect.arrayContaining(['🔄 Renew', words('menu.numbers'), '🧾 History', '❓ Help', '🌐 Language']),
    );

    await t.tap(words('menu.link'));
    expect(t.last().text).toContain(words('link.ask_number'));
    await t.send('+62 838-1234-5678');
    expect(t.last().text).toContain(phrase('link.code_sent', { line: '•••• 5678' }));
    await t.send(h.simulator.lastCodeFor(AXIS)!);
    expect(t.last().text).toContain(words('link.ask_label'));
    await t.send('Mum');
    expect(t.last().text).toContain(rendered('link.linked', { line: 'Mum (•••• 5678)' }));

    await t.tap(words('link.renew_now'));
    const plans = t.last();
    expect(plans.text).toContain('Daily');
    expect(plans.text).toContain('Weekly');
    expect(plans.text).toContain('Monthly');
    expect(plans.text).not.toContain('XL');
    await t.tap('AXIS Weekly 10 GB');

    const summary = t.last().text!;
    expect(summary).toContain('Number: Mum (•••• 5678)');
    expect(summary).not.toContain('12345678');
    expect(summary).toContain('IDR 35,000');
    expect(summary).toMatch(new RegExp(`${literally(words('renew.summary', 6))} .+20(26|27)`));
    await t.tap(words('renew.pay_card'));

    const session = h.stripe.latestSession();
    expect(session.amount_total).toBe(3_500_000); // Stripe counts IDR in hundredths
    expect(session.currency).toBe('idr');
    expect(t.urlButton('Pay IDR 35,000')).toBe(session.url);
    const createRequest = h.stripe.requests.find((r) => r.path === '/v1/checkout/sessions')!;
    // One key per attempt at a payment page; a tap that repeats the attempt sends the same request.
    expect(createRequest.idempotencyKey).toBe(`checkout-${session.metadata.orderId}-1`);

    const lineBefore = await h.database.db.line.findFirstOrThrow();
    const answer = await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    expect(answer.status).toBe(200);

    const receipt = await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    expect(receipt.text).toContain('AXIS Weekly 10 GB');
    expect(receipt.text).toContain('IDR 35,000');
    expect(receipt.reply_markup?.inline_keyboard?.flat()[0]?.url).toMatch(/^https:\/\/pay\.stripe\.test\/receipts\//);

    const line = await h.database.db.line.findFirstOrThrow();
    expect(line.planCode).toBe('axis-weekly-10gb');
    expect(line.expiresAt!.getTime() - lineBefore.expiresAt!.getTime()).toBe(7 * 86_400_000);

    await t.send('/numbers');
    // The receipt may arrive from the outbox after the answer: wait for the numbers' answer itself.
    const numbers = await t.waitFor(
      (text) => text.includes('Plan: AXIS Weekly 10 GB') && !text.includes(RECEIPT_HEADLINE),
    );
    expect(numbers.text).toMatch(/in \d+ days/);

    await t.send('/history');
    // The receipt may still be on its way from the outbox: wait for the history's answer itself.
    await t.waitFor((text) => text.includes('✅ Done'));
    await t.tap(/🧾 KU-/);
    expect(t.last().text).toContain(RECEIPT_HEADLINE);
  });
});
