import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleOrders } from '../../src/services/console/orders.js';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { checkout, travellerWithLine } from '../helpers/journeys.js';
import { RECEIPT_HEADLINE } from '../helpers/copy.js';

describe.each(databaseKinds)('disputes from Stripe events (%s)', (db) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ db });
  });
  afterEach(async () => {
    await h.stop();
  });

  /** A paid Stripe order: its id and PaymentIntent. */
  async function paidOrder() {
    const t = await travellerWithLine(h);
    const session = await checkout(h, t);
    await h.stripe.deliver(h.appUrl, h.stripe.pay(session.id));
    await t.waitFor((text) => text.includes(RECEIPT_HEADLINE));
    return { orderId: session.metadata.orderId!, intent: h.stripe.sessions.get(session.id)!.payment_intent! };
  }
  const deliver = async (event: Parameters<Harness['stripe']['deliver']>[1]) =>
    (await h.stripe.deliver(h.appUrl, event)).body.outcome as string;
  const ledger = (orderId: string) =>
    h.database.db.ledgerEntry.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } });

  it('keeps the status and deadline of the newest event: an older update arriving after the close does not reopen it', async () => {
    const { orderId, intent } = await paidOrder();
    const opened = h.stripe.dispute(intent);
    const disputeId = (opened.data.object as { id: string }).id;
    expect(await deliver(opened)).toBe('applied');
    const stored = await h.database.db.dispute.findUniqueOrThrow({ where: { id: disputeId } });
    expect(stored).toMatchObject({ orderId, status: 'needs_response', amountMinor: 35_000, currency: 'IDR' });
    const dueBy = h.stripe.disputes.get(disputeId)!.evidence_details.due_by!;
    expect(stored.dueBy?.getTime()).toBe(dueBy * 1000);
    expect((await createConsoleOrders({ db: h.database.db }).openDisputes()).map((d) => d.disputeId)).toEqual([
      disputeId,
    ]);

    // Evidence goes in; a minute later the bank decides against the merchant. Stripe delivers the close first.
    const updated = h.stripe.submitEvidence(disputeId);
    h.stripe.advanceClock(60);
    const [closed] = h.stripe.closeDispute(disputeId, 'lost');
    expect(await deliver(closed!)).toBe('applied');
    expect(await deliver(updated)).toBe('no_change');
    expect(await deliver(closed!)).toBe('duplicate');
    const after = await h.database.db.dispute.findUniqueOrThrow({ where: { id: disputeId } });
    expect(after.status).toBe('lost');
    expect(after.eventAt.getTime()).toBe(closed!.created * 1000);
    expect(await createConsoleOrders({ db: h.database.db }).openDisputes()).toEqual([]);
    // A lost dispute keeps its money withdrawn: one row, no reversal, and still no refund.
    expect((await ledger(orderId)).map((l) => [l.kind, l.amountMinor])).toEqual([
      ['payment', 35_000],
      ['dispute', -35_000],
    ]);
    const detail = await createConsoleOrders({ db: h.database.db }).detail(orderId);
    expect(detail?.dispute).toMatchObject({ status: 'lost' });
    expect(detail?.actions.refund).toBe(false);
  });

  it('an update of the same second as the close does not reopen it either, and an update before it applies', async () => {
    const { intent } = await paidOrder();
    const opened = h.stripe.dispute(intent);
    const disputeId = (opened.data.object as { id: string }).id;
    const updated = h.stripe.submitEvidence(disputeId);
    const [closed] = h.stripe.closeDispute(disputeId, 'lost');
    // Out of order from the start: the update comes before the dispute's own created event.
    expect(await deliver(updated)).toBe('applied');
    expect(await deliver(opened)).toBe('applied');
    expect((await h.database.db.dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe('under_review');
    expect(await deliver(closed!)).toBe('applied');
    expect(
      await deliver(
        h.stripe.event('charge.dispute.updated', { ...h.stripe.disputes.get(disputeId)!, status: 'under_review' }),
      ),
    ).toBe('no_change');
    expect((await h.database.db.dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe('lost');
  });

  it('a dispute won gives the money back in the ledger, once', async () => {
    const { orderId, intent } = await paidOrder();
    const opened = h.stripe.dispute(intent);
    const disputeId = (opened.data.object as { id: string }).id;
    await deliver(opened);
    await deliver(h.stripe.submitEvidence(disputeId));
    h.stripe.advanceClock(60);
    const [closed, reinstated] = h.stripe.closeDispute(disputeId, 'won');
    expect(reinstated!.type).toBe('charge.dispute.funds_reinstated');
    expect(await deliver(reinstated!)).toBe('applied');
    expect(await deliver(closed!)).toBe('no_change');
    expect(await deliver(h.stripe.event('charge.dispute.funds_reinstated', h.stripe.disputes.get(disputeId)))).toBe(
      'no_change',
    );
    expect((await ledger(orderId)).map((l) => [l.kind, l.amountMinor])).toEqual([
      ['payment', 35_000],
      ['dispute', -35_000],
      ['dispute_reversal', 35_000],
    ]);
    expect((await h.database.db.dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe('won');
  });

  it('an inquiry takes no money until the bank turns it into a chargeback', async () => {
    const { orderId, intent } = await paidOrder();
    const opened = h.stripe.dispute(intent, 'general', { inquiry: true });
    const disputeId = (opened.data.object as { id: string }).id;
    await deliver(opened);
    expect((await ledger(orderId)).map((l) => l.kind)).toEqual(['payment']);
    expect((await h.database.db.dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe(
      'warning_needs_response',
    );
    h.stripe.advanceClock(1);
    expect(await deliver(h.stripe.escalateInquiry(disputeId))).toBe('applied');
    expect((await ledger(orderId)).map((l) => [l.kind, l.amountMinor])).toEqual([
      ['payment', 35_000],
      ['dispute', -35_000],
    ]);
    expect((await h.database.db.dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe('needs_response');
  });
});
