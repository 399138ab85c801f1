import type { Tx } from '../../adapters/db/client.js';
import type { ServiceDeps } from '../deps.js';
import type { PaymentEvent } from '../ports/payment-gateway.js';
import { recordDisputeReinstatement, recordDisputeState, recordDisputeWithdrawal } from './dispute-state.js';
import type { EventOutcome } from './once.js';
import { orderForPayment } from './session-order.js';

type DisputeChanged = Extract<PaymentEvent, { kind: 'dispute_changed' }>;

/**
 * charge.dispute.updated / .closed / .funds_withdrawn / .funds_reinstated: the dispute's status and
 * deadline follow the newest event; the two funds events move money in the ledger, once each.
 */
export function disputeChanged(deps: Pick<ServiceDeps, 'now'>) {
  return async (tx: Tx, event: DisputeChanged): Promise<EventOutcome> => {
    const order = await orderForPayment(tx, event);
    let changed = await recordDisputeState(tx, event, order?.id ?? null);
    if (event.change === 'funds_withdrawn')
      changed = (await recordDisputeWithdrawal(tx, event, order?.id ?? null, deps.now())) || changed;
    if (event.change === 'funds_reinstated')
      changed = (await recordDisputeReinstatement(tx, event, deps.now())) || changed;
    return changed ? 'applied' : 'no_change';
  };
}
