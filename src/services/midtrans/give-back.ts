import type { Db } from '../../adapters/db/client.js';
import { isMidtransMethod, METHOD_TERMS } from '../../domain/midtrans.js';
import type { Logger } from '../../logger.js';
import { recordMovementAlone } from '../ledger.js';
import type { MidtransGateway } from '../ports/midtrans-gateway.js';
import { raiseIssue } from '../reconciliation/records.js';

export type GiveBackDeps = { db: Db; midtrans: MidtransGateway; logger: Logger; now: () => Date; adminIds: number[] };

/** Refunded through Midtrans, or recorded as owed (the operators pay it by hand and mark it in the console). */
export type GiveBack = 'refunded' | 'owed';

/** The Midtrans payment recorded for an order: what was paid, how, and Midtrans's transaction id. */
export async function midtransPaymentOf(db: Db, orderId: string) {
  return db.ledgerEntry.findFirst({ where: { processor: 'midtrans', kind: 'payment', orderId } });
}

/**
 * Gives a Midtrans payment back. Cards, GoPay, ShopeePay and QRIS go back through POST
 * /v2/{order_id}/refund under one refund_key per order, so a retry is the same refund. Bank transfers
 * and minimarket cash cannot be refunded by Midtrans: so, too, a refund Midtrans refuses. Those are
 * written in the ledger as owed (signed out, so the books count them as given back) and the
 * operators are told, with the order, once.
 */
export async function giveBackMidtrans(
  deps: GiveBackDeps,
  payment: { orderId: string; externalId: string; method: string | null; amountMinor: number },
  reason: string,
): Promise<GiveBack> {
  const { db, midtrans, logger, now } = deps;
  const method = payment.method && isMidtransMethod(payment.method) ? payment.method : null;
  let refusal: { statusCode: string; message: string } | null = null;
  if (method && METHOD_TERMS[method].refundByApi) {
    const answer = await midtrans.refund({
      orderId: payment.orderId,
      refundKey: `${payment.orderId}-refund`,
      amountIdr: payment.amountMinor,
      reason: reason.slice(0, 100),
    });
    if (answer.ok) {
      await recordMovementAlone(db, {
        processor: 'midtrans',
        kind: 'refund',
        externalId: `${payment.orderId}-refund`,
        orderId: payment.orderId,
        method,
        amountMinor: -answer.refundedIdr,
        currency: 'IDR',
        occurredAt: now(),
      });
      return 'refunded';
    }
    refusal = { statusCode: answer.statusCode, message: answer.message };
    logger.warn({ orderId: payment.orderId, ...refusal }, 'Midtrans refused a refund: recorded as owed');
  }
  await recordMovementAlone(db, {
    processor: 'midtrans',
    kind: 'refund_owed',
    externalId: `${payment.orderId}-owed`,
    orderId: payment.orderId,
    method,
    amountMinor: -payment.amountMinor,
    currency: 'IDR',
    occurredAt: now(),
  });
  await raiseIssue(
    db,
    deps.adminIds,
    {
      processor: 'midtrans',
      kind: 'refund_owed',
      externalId: payment.externalId,
      orderId: payment.orderId,
      amount: { amountMinor: payment.amountMinor, currency: 'IDR' },
      detail: { method, reason, ...(refusal ? { refusal } : {}) },
    },
    now(),
  );
  return 'owed';
}
