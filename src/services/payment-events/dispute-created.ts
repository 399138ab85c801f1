import type { Tx } from '../../adapters/db/client.js';
import type { ServiceDeps } from '../deps.js';
import { enqueue } from '../outbox.js';
import type { PaymentEvent } from '../ports/payment-gateway.js';
import { recordDisputeState, recordDisputeWithdrawal } from './dispute-state.js';
import type { EventOutcome } from './once.js';
import { orderForPayment } from './session-order.js';

type Dispute = Extract<PaymentEvent, { kind: 'dispute_opened' }>;

/** charge.dispute.created: every operator (ADMIN_IDS) hears of it in Telegram, to answer it in Stripe in time. */
export function disputeCreated(deps: Pick<ServiceDeps, 'logger' | 'now'> & { adminIds: number[] }) {
  return async (tx: Tx, event: Dispute): Promise<EventOutcome> => {
    const order = await orderForPayment(tx, event);
    await recordDisputeState(tx, event, order?.id ?? null);
    // A chargeback's money is held by Stripe from now on: out of the ledger until the dispute is won. An
    // inquiry (warning_*) takes nothing unless it becomes a chargeback (charge.dispute.funds_withdrawn).
    if (!event.status.startsWith('warning_')) await recordDisputeWithdrawal(tx, event, order?.id ?? null, deps.now());
    if (!deps.adminIds.length) {
      deps.logger.warn(
        { eventId: event.id, disputeId: event.disputeId },
        'a dispute was opened and no operator is configured (ADMIN_IDS) to hear of it',
      );
      return 'applied';
    }
    const payload = {
      disputeId: event.disputeId,
      orderId: order?.id ?? null,
      amountMinor: event.amount.amountMinor,
      currency: event.amount.currency,
      reason: event.reason,
    };
    for (const telegramId of deps.adminIds) {
      // An operator who never wrote to the bot still gets a row; the outbox learns whether Telegram can reach them.
      const operator = await tx.user.upsert({
        where: { telegramId: BigInt(telegramId) },
        create: { telegramId: BigInt(telegramId) },
        update: {},
      });
      await enqueue(tx, {
        userId: operator.id,
        kind: 'dispute_opened',
        payload,
        dedupeKey: `dispute:${event.disputeId}:${telegramId}`,
      });
    }
    return 'applied';
  };
}
