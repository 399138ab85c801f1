import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { operatorInChat, paidOrder, sweepPendingTopUps, travellerWithLine } from '../helpers/journeys.js';
import { english, fragment, RECEIPT_HEADLINE, words, rendered, phrase } from '../helpers/copy.js';

const OPERATOR = 515151;

describe.each(databaseKinds)('operator commands in the chat on %s', (db) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({
      db,
      env: { ADMIN_IDS: String(OPERATOR), BALANCE_ALERT_BELOW: '1000000', PUBLIC_URL: 'https://kuota.example' },
    });
  });
  afterEach(async () => {
    await h.stop();
  });

  const orderState = (id: string) => h.database.db.order.findUniqueOrThrow({ where: { id } }).then((o) => o.state);

  it('/admin gives an operator a sign-in link that works once; a traveller learns nothing about the business', async () => {
    const op = await operatorInChat(h, OPERATOR);
    await op.send('/admin');
    const url = /https:\/\/kuota\.example\/console\/sign-in\?token=([\w-]+)/.exec(op.last().text ?? '');
    expect(url).not.toBeNull();
    expect(await h.app.operator.auth.redeem(url![1]!)).toMatchObject({
      operator: { operatorId: OPERATOR, language: 'en' },
    });
    expect(await h.app.operator.auth.redeem(url![1]!)).toEqual({ error: 'used' });

    const t = await travellerWithLine(h);
    for (const command of ['/admin', '/stats', '/balance', '/order KU-12345678']) {
      await t.send(command);
      expect(t.last().text).toContain(words('common.unknown_text'));
    }
  });

  it('/order shows the timeline; Refund asks first, and a double tap on Yes refunds once', async () => {
    const t = await travellerWithLine(h);
    const order = await paidOrder(h, t);
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    const op = await operatorInChat(h, OPERATOR);

    await op.send(`/order ${order.number.toLowerCase()}`);
    const shown = op.last().text!;
    expect(shown).toContain(order.number);
    expect(shown).toContain('✅ Done');
    for (const step of [
      words('operator.event.drafted'),
      words('operator.event.checkout_created'),
      words('operator.event.payment_paid'),
      english['operator.event.topup_requested']!,
      `${words('operator.event.topup_status')} (success)`,
      words('operator.event.message_queued'),
    ])
      expect(shown).toContain(step);
    expect(shown).not.toContain('0838 1234 5678');

    await op.tap('Refund');
    expect(op.last().text).toContain(words('operator.confirm_refund', 2));
    const yes = op.buttons().find((b) => b.text.includes(words('operator.refund_yes')))!;
    await Promise.all([
      op.tapData(yes.callback_data!, yes.message.message_id),
      op.tapData(yes.callback_data!, yes.message.message_id),
    ]);
    expect(op.messages().some((m) => m.text?.includes(fragment('operator.refund_done', 2)))).toBe(true);
    expect(h.stripe.refunds).toHaveLength(1);
    expect(await orderState(order.id)).toBe('refunded');
    await t.waitFor((text) => text.includes('refund'));
    const audit = await h.database.db.auditEntry.findMany({ where: { subject: order.id, action: 'order.refund' } });
    expect(audit.length).toBeGreaterThanOrEqual(1);
    expect(audit[0]).toMatchObject({
      actorId: BigInt(OPERATOR),
      before: expect.objectContaining({ state: 'fulfilled' }),
    });
  });

  it('refuses to refund an order whose top-up is in flight, in the console and the chat; the provider then finishes it (issue 20, defect 6)', async () => {
    // …2222: the provider answers "pending", and success later.
    const t = await travellerWithLine(h, '0838 1234 2222');
    const order = await paidOrder(h, t);
    await expect.poll(() => orderState(order.id)).toBe('topping_up');

    expect(await h.app.operator.actions.refund(OPERATOR, order.id)).toBe('top_up_in_flight');
    const op = await operatorInChat(h, OPERATOR);
    await op.send(`/order ${order.number}`);
    await op.tap('Refund');
    expect(op.last().text).toBe(rendered('operator.top_up_in_flight', { number: order.number }));
    await op.send(`/refund ${order.number}`);
    expect(op.last().text).toContain(words('stars.operator.top_up_in_flight', 1));
    expect(h.stripe.refunds).toHaveLength(0);

    await sweepPendingTopUps(h);
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    expect(await orderState(order.id)).toBe('fulfilled');
    expect(h.stripe.refunds).toHaveLength(0);
    const audit = await h.database.db.auditEntry.findMany({ where: { subject: order.id, action: 'order.refund' } });
    expect(audit).toHaveLength(2);
    expect(audit.every((a) => a.actorId === BigInt(OPERATOR))).toBe(true);
    expect(audit.map((a) => (a.after as { result: string }).result)).toEqual(['top_up_in_flight', 'top_up_in_flight']);
  });

  it('refunds a top-up in flight the operator marks failed, and warns the operators if the provider applies it after all', async () => {
    const t = await travellerWithLine(h, '0838 1234 2222');
    const order = await paidOrder(h, t);
    await expect.poll(() => orderState(order.id)).toBe('topping_up');
    const op = await operatorInChat(h, OPERATOR);

    expect(await h.app.operator.actions.markFailed(OPERATOR, order.id)).toBe('refunded');
    expect(await h.app.operator.actions.markFailed(OPERATOR, order.id)).toBe('not_in_flight');
    expect(h.stripe.refunds).toHaveLength(1);
    await t.waitFor((text) => text.includes('refund'));
    expect(await h.database.db.auditEntry.count({ where: { subject: order.id, action: 'order.mark_failed' } })).toBe(2);

    h.advance(2 * 60_000);
    await h.app.fulfilment.onProviderStatus(order.id, { status: 'success', providerRef: 'SIM-late', expiresAt: null });
    await op.waitFor((text) => text.includes(phrase('operator.topup_after_refund', { number: order.number })));
    expect(await orderState(order.id)).toBe('refunded');
  });

  it('audits /refund and /notice from the chat with the operator who sent them (issue 20, defect 10)', async () => {
    const t = await travellerWithLine(h);
    const order = await paidOrder(h, t);
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    const op = await operatorInChat(h, OPERATOR);
    await op.send(`/refund ${order.number}`);
    expect(op.last().text).toContain(fragment('stars.operator.refunded', 2));
    const refund = await h.database.db.auditEntry.findFirstOrThrow({
      where: { subject: order.id, action: 'order.refund' },
    });
    expect(refund).toMatchObject({
      actorId: BigInt(OPERATOR),
      before: expect.objectContaining({ state: 'fulfilled' }),
    });
    expect(refund.after).toMatchObject({ state: 'refunded', result: 'refunded', by: OPERATOR });

    await op.send('/notice');
    await op.send('Maintenance on Sunday');
    await op.send('The bot may be slow for an hour.');
    await op.tap('Continue');
    await op.tap(/Everyone|All/);
    await op.tap('Publish');
    expect(op.last().text).toContain('Published.');
    const published = await h.database.db.auditEntry.findMany({ where: { action: 'notice.publish' } });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ actorId: BigInt(OPERATOR) });
    expect(published[0]!.subject).toBe((await h.database.db.notice.findFirstOrThrow()).id);
  });

  it('Retry: a top-up the provider refused for its deposit goes through once the deposit is back, and /stats counted it', async () => {
    h.simulator.setBalance(0);
    const t = await travellerWithLine(h);
    const order = await paidOrder(h, t);
    await expect
      .poll(() => h.database.db.order.findUniqueOrThrow({ where: { id: order.id } }).then((o) => o.failureReason))
      .toContain('insufficient deposit');
    const op = await operatorInChat(h, OPERATOR);

    await op.send('/stats');
    expect(op.last().text).toContain(phrase('operator.stats_health', { failing: 1 }));
    expect(op.last().text).toContain(
      phrase('operator.stats_period', { paid: 1, chat: 1, reminder: 0, auto: 0, store: 0 }),
    );

    h.simulator.setBalance(5_000_000);
    await op.send(`/order ${order.number}`);
    await op.tap(english['operator.retry']!);
    expect(op.last().text).toContain(rendered('operator.retry_done', { number: order.number, state: '✅ Done' }));
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    expect(await h.database.db.auditEntry.count({ where: { subject: order.id, action: 'order.retry_topup' } })).toBe(1);
    expect(h.stripe.refunds).toHaveLength(0);
  });

  it('warns the operators once when the deposit falls below the threshold, and again after it recovered and fell', async () => {
    const op = await operatorInChat(h, OPERATOR);
    const alerts = () => op.messages().filter((m) => m.text?.includes(words('operator.balance_low')));

    h.simulator.setBalance(400_000);
    expect((await h.app.operator.balance.check())!.alerted).toBe(true);
    expect((await h.app.operator.balance.check())!.alerted).toBe(false);
    await op.waitFor((text) => text.includes(words('operator.balance_low')));
    expect(alerts()[0]!.text).toContain(
      phrase('operator.balance_low', { balance: 'IDR 400,000', threshold: 'IDR 1,000,000' }),
    );
    await op.send('/balance');
    expect(op.last().text).toContain(words('console:provider.below'));

    h.simulator.setBalance(3_000_000);
    await h.app.operator.balance.check();
    await op.send('/balance');
    expect(op.last().text).not.toContain(words('console:provider.below'));
    h.simulator.setBalance(10);
    expect((await h.app.operator.balance.check())!.alerted).toBe(true);
    await op.waitFor(() => alerts().length === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(alerts()).toHaveLength(2);
  });
});
