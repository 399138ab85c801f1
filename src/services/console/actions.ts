import type { Db } from '../../adapters/db/client.js';
import { audit } from '../audit.js';
import type { FulfilmentService } from '../fulfilment.js';
import { noteOrderEvent } from '../order-timeline.js';
import { enqueue } from '../outbox.js';

type Snapshot = { state: string; failureReason: string | null; refundedAt: string | null } | null;

/**
 * What an operator may do to an order, from the console or the chat. Each goes through the same
 * path the automatic one does, and is written to the audit log with the order before and after.
 */
export function createOperatorActions(deps: { db: Db; fulfilment: FulfilmentService; onQueued?: () => void }) {
  const { db, fulfilment } = deps;

  async function snapshot(orderId: string): Promise<Snapshot> {
    const o = await db.order.findUnique({
      where: { id: orderId },
      select: { state: true, failureReason: true, refundedAt: true },
    });
    return o
      ? { state: o.state, failureReason: o.failureReason, refundedAt: o.refundedAt?.toISOString() ?? null }
      : null;
  }

  async function audited<T>(
    operatorId: number,
    action: 'order.retry_topup' | 'order.resend_receipt' | 'order.mark_failed',
    orderId: string,
    run: () => Promise<T>,
  ): Promise<T> {
    const before = await snapshot(orderId);
    const result = await run();
    await audit(db, {
      actorId: operatorId,
      action,
      subject: orderId,
      before,
      after: { ...(await snapshot(orderId)), result },
    });
    deps.onQueued?.();
    return result;
  }

  return {
    /** The one refund path, which writes the audit row itself (an automatic refund has one too). */
    async refund(operatorId: number, orderId: string) {
      await noteOrderEvent(db, { orderId, kind: 'operator_refund', detail: { operatorId } });
      // A delivered new eSIM goes back only if never installed, through the partner first.
      const result =
        (await fulfilment.esims.refund(orderId, operatorId)) ?? (await fulfilment.refundNow(orderId, operatorId));
      deps.onQueued?.();
      return result;
    },

    /** A refund owed (Midtrans cannot refund the method) that the operator has paid by hand; audited by the refund path. */
    async markRefunded(operatorId: number, orderId: string) {
      const result = await fulfilment.markOwedRefundPaid(orderId, operatorId);
      deps.onQueued?.();
      return result;
    },

    /** The provider's failure, as the operator learnt it: the order is refunded like any failed top-up. */
    markFailed(operatorId: number, orderId: string) {
      return audited(operatorId, 'order.mark_failed', orderId, () => fulfilment.markFailed(orderId, operatorId));
    },

    retryTopUp(operatorId: number, orderId: string) {
      return audited(operatorId, 'order.retry_topup', orderId, async () => {
        await noteOrderEvent(db, { orderId, kind: 'operator_retry', detail: { operatorId } });
        return fulfilment.retry(orderId);
      });
    },

    /** Sends the receipt again; `requestKey` (one per confirmation form) makes a double submit send it once. */
    resendReceipt(operatorId: number, orderId: string, requestKey: string) {
      return audited(operatorId, 'order.resend_receipt', orderId, async () => {
        const order = await db.order.findUnique({ where: { id: orderId }, select: { state: true, userId: true } });
        if (order?.state !== 'fulfilled') return 'not_fulfilled' as const;
        await noteOrderEvent(db, { orderId, kind: 'operator_resend_receipt', detail: { operatorId } });
        await enqueue(db, {
          userId: order.userId,
          kind: 'receipt',
          payload: { orderId },
          dedupeKey: `receipt:${orderId}:resend:${requestKey.slice(0, 64)}`,
        });
        return 'queued' as const;
      });
    },
  };
}

export type OperatorActions = ReturnType<typeof createOperatorActions>;
