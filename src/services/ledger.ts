import type { Db, Tx } from '../adapters/db/client.js';
import type { Money } from '../domain/money.js';
import { disputeOpen } from '../domain/order-state.js';
import type { ProcessorId } from '../domain/payment-methods.js';
import { isUniqueViolation } from './db-errors.js';

export type LedgerProcessor = ProcessorId;
/**
 * refund_owed: a payment Kuota must give back by hand (a bank transfer Midtrans cannot refund), signed
 * out; once an operator paid it, a refund row and a refund_owed row of the opposite sign settle it.
 */
export type LedgerKind = 'payment' | 'refund' | 'dispute' | 'dispute_reversal' | 'refund_owed';

export type Movement = {
  processor: LedgerProcessor;
  kind: LedgerKind;
  /** The processor's own id of this movement (see LedgerEntry in prisma/schema.prisma). */
  externalId: string;
  orderId?: string | null;
  method?: string | null;
  /** As the processor reported it, signed: money in > 0, money out < 0. */
  amountMinor: number;
  currency: string;
  occurredAt: Date;
};

/**
 * Writes one movement of money, in the caller's transaction (the one that changes the order the
 * money is for), once: a redelivered event finds its row and writes nothing. The read comes first
 * because on PostgreSQL a unique violation aborts the whole transaction; a concurrent writer that
 * got there between the read and the write has recorded it already, so the caller's transaction,
 * retried, finds it. false when it was recorded before.
 */
export async function recordMovement(tx: Tx | Db, m: Movement): Promise<boolean> {
  const key = { processor: m.processor, kind: m.kind, externalId: m.externalId };
  if (await tx.ledgerEntry.findUnique({ where: { processor_kind_externalId: key }, select: { id: true } }))
    return false;
  await tx.ledgerEntry.create({
    data: {
      ...key,
      orderId: m.orderId ?? null,
      method: m.method ?? null,
      amountMinor: m.amountMinor,
      currency: m.currency.toUpperCase(),
      occurredAt: m.occurredAt,
    },
  });
  return true;
}

/** As recordMovement, outside any transaction: a concurrent duplicate counts as recorded. */
export async function recordMovementAlone(db: Db, m: Movement): Promise<boolean> {
  try {
    return await recordMovement(db, m);
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** What an order's money comes to, per currency (a Stars payment and a card refund are different currencies). */
export async function orderMoney(db: Db | Tx, orderId: string): Promise<Money[]> {
  const rows = await db.ledgerEntry.groupBy({ by: ['currency'], where: { orderId }, _sum: { amountMinor: true } });
  return rows
    .map((r) => ({ amountMinor: r._sum.amountMinor ?? 0, currency: r.currency }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
}

/** Whether the order's payment is under an open dispute (its money held by Stripe): refundCheck refuses it. */
export async function isDisputed(db: Db | Tx, orderId: string): Promise<boolean> {
  const rows = await db.ledgerEntry.findMany({
    where: { orderId, kind: { in: ['dispute', 'dispute_reversal'] } },
    select: { kind: true },
  });
  return disputeOpen(rows.map((r) => r.kind));
}

/** The order's rows, oldest first, for the console. */
export function orderLedger(db: Db, orderId: string) {
  return db.ledgerEntry.findMany({ where: { orderId }, orderBy: [{ occurredAt: 'asc' }, { createdAt: 'asc' }] });
}

/**
 * A Stripe refund of one payment, keyed on the payment and how much of it Stripe says is refunded
 * in all: Kuota's own refund and the `charge.refunded` Stripe sends about it (or about one made in
 * the Dashboard) name the same total, so it is recorded once, and a later partial refund records
 * only what is new. `paid` is the payment as recorded; nothing is written when it is not in the ledger.
 */
export async function recordStripeRefund(
  tx: Tx,
  r: { paymentId: string; orderId: string | null; refundedTotal: number; occurredAt: Date },
): Promise<boolean> {
  const payment = await tx.ledgerEntry.findUnique({
    where: { processor_kind_externalId: { processor: 'stripe', kind: 'payment', externalId: r.paymentId } },
  });
  if (!payment) return false;
  const earlier = await tx.ledgerEntry.aggregate({
    where: { processor: 'stripe', kind: 'refund', externalId: { startsWith: `${r.paymentId}:refunded:` } },
    _sum: { amountMinor: true },
  });
  const already = -(earlier._sum.amountMinor ?? 0);
  const total = Math.min(r.refundedTotal, payment.amountMinor);
  if (total <= already) return false;
  return recordMovement(tx, {
    processor: 'stripe',
    kind: 'refund',
    externalId: `${r.paymentId}:refunded:${total}`,
    orderId: r.orderId ?? payment.orderId,
    method: payment.method,
    amountMinor: -(total - already),
    currency: payment.currency,
    occurredAt: r.occurredAt,
  });
}
