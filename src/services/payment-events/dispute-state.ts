import type { Tx } from '../../adapters/db/client.js';
import { disputeEventSupersedes } from '../../domain/disputes.js';
import { recordMovement } from '../ledger.js';
import type { DisputeFacts } from '../ports/payment-gateway.js';

/**
 * Stores the dispute as the event describes it, unless what is stored came from a newer event (or the
 * dispute is already decided): the same event twice, or events out of order, leave the latest state.
 * false when the event changed nothing.
 */
export async function recordDisputeState(tx: Tx, facts: DisputeFacts, orderId: string | null): Promise<boolean> {
  const stored = await tx.dispute.findUnique({ where: { id: facts.disputeId } });
  const state = {
    status: facts.status,
    dueBy: facts.dueBy,
    amountMinor: facts.amount.amountMinor,
    currency: facts.amount.currency.toUpperCase(),
    reason: facts.reason,
    eventAt: facts.at,
  };
  if (!stored) {
    // An upsert: two events about a new dispute delivered at once both find no row, and the second
    // must not fail on the first one's insert (once() would take that for a duplicate delivery).
    const row = await tx.dispute.upsert({
      where: { id: facts.disputeId },
      create: { id: facts.disputeId, orderId, openedAt: facts.openedAt, ...state },
      update: {},
    });
    if (row.eventAt.getTime() !== facts.at.getTime() || row.status !== facts.status)
      if (disputeEventSupersedes(row, { status: facts.status, at: facts.at }))
        await tx.dispute.update({ where: { id: facts.disputeId }, data: state });
    return true;
  }
  if (!disputeEventSupersedes(stored, { status: facts.status, at: facts.at })) return false;
  const same =
    stored.status === state.status &&
    stored.dueBy?.getTime() === state.dueBy?.getTime() &&
    stored.amountMinor === state.amountMinor &&
    stored.eventAt.getTime() === state.eventAt.getTime();
  if (same) return false;
  await tx.dispute.update({ where: { id: facts.disputeId }, data: { ...state, orderId: stored.orderId ?? orderId } });
  return true;
}

/**
 * Stripe takes the disputed amount out of the balance (charge.dispute.funds_withdrawn; with
 * charge.dispute.created for a chargeback, never for an inquiry): one ledger row per dispute, however
 * many events say so.
 */
export async function recordDisputeWithdrawal(
  tx: Tx,
  facts: DisputeFacts,
  orderId: string | null,
  occurredAt: Date,
): Promise<boolean> {
  return recordMovement(tx, {
    processor: 'stripe',
    kind: 'dispute',
    externalId: facts.disputeId,
    orderId,
    amountMinor: -facts.amount.amountMinor,
    currency: facts.amount.currency,
    occurredAt,
  });
}

/**
 * A won dispute gives the money back (charge.dispute.funds_reinstated): a dispute_reversal row that
 * cancels the withdrawal exactly, so the order's money and isDisputed read as before the dispute.
 * Nothing when no withdrawal was recorded (an inquiry never takes the money).
 */
export async function recordDisputeReinstatement(tx: Tx, facts: DisputeFacts, occurredAt: Date): Promise<boolean> {
  const withdrawn = await tx.ledgerEntry.findUnique({
    where: { processor_kind_externalId: { processor: 'stripe', kind: 'dispute', externalId: facts.disputeId } },
  });
  if (!withdrawn) return false;
  return recordMovement(tx, {
    processor: 'stripe',
    kind: 'dispute_reversal',
    externalId: facts.disputeId,
    orderId: withdrawn.orderId,
    method: withdrawn.method,
    amountMinor: -withdrawn.amountMinor,
    currency: withdrawn.currency,
    occurredAt,
  });
}
