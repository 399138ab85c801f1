import type { Db, Prisma, Tx } from '../../adapters/db/client.js';
import type { Money } from '../../domain/money.js';
import { isUniqueViolation } from '../db-errors.js';
import { enqueue } from '../outbox.js';
import type { Processor } from '../ports/reconciliation.js';

export type IssueKind =
  /** Money taken for a payable order that Kuota had not settled: settled now. */
  | 'settled_late'
  /** Money taken that no order could take (not payable, paid another way, unknown): given back. */
  | 'money_without_order'
  /** A payment that settled its order, with no ledger row. */
  | 'missing_ledger_row'
  /** A refund Kuota did not make or record (the Dashboard, Telegram support). */
  | 'unknown_refund'
  /** The processor and Kuota disagree on an amount. */
  | 'amount_mismatch'
  /** Money Kuota must give back by hand (Midtrans cannot refund the method, or refused): the operator pays it and marks it. */
  | 'refund_owed'
  /** A settled payment the bank reversed afterwards (a Mandiri bill payment): the order was paid with money that is gone. */
  | 'reversed_after_settlement';

export type LedgerRow = {
  processor: Processor;
  kind: 'payment' | 'refund';
  externalId: string;
  orderId: string | null;
  method: string | null;
  /** Signed: in > 0, out < 0. */
  amount: Money;
  at: Date;
};

/** Appends a ledger row; one already there (written by the payment path, or an earlier run) is kept. */
export async function recordLedger(db: Db, row: LedgerRow): Promise<void> {
  try {
    await db.ledgerEntry.create({
      data: {
        processor: row.processor,
        kind: row.kind,
        externalId: row.externalId,
        orderId: row.orderId,
        method: row.method,
        amountMinor: row.amount.amountMinor,
        currency: row.amount.currency,
        occurredAt: row.at,
      },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}

export type NewIssue = {
  processor: Processor;
  kind: IssueKind;
  externalId: string;
  orderId: string | null;
  amount: Money;
  detail?: Record<string, unknown>;
};

/**
 * Records an issue once (unique on processor, kind and id) and tells each operator once, in the
 * same transaction: a re-run, or a second instance, finds it there and says nothing more.
 */
export async function raiseIssue(db: Db, adminIds: number[], issue: NewIssue, at: Date): Promise<boolean> {
  try {
    await db.$transaction((tx) => createIssue(tx, adminIds, issue, at));
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/**
 * raiseIssue inside the caller's transaction (the settle path's), so the issue and the money it is
 * about commit together. Looked up first: a unique violation would abort a PostgreSQL transaction.
 */
export async function raiseIssueIn(tx: Tx, adminIds: number[], issue: NewIssue, at: Date): Promise<boolean> {
  const key = { processor: issue.processor, kind: issue.kind, externalId: issue.externalId };
  if (await tx.reconciliationIssue.findUnique({ where: { processor_kind_externalId: key }, select: { id: true } }))
    return false;
  await createIssue(tx, adminIds, issue, at);
  return true;
}

async function createIssue(tx: Tx, adminIds: number[], issue: NewIssue, at: Date): Promise<void> {
  const row = await tx.reconciliationIssue.create({
    data: {
      processor: issue.processor,
      kind: issue.kind,
      externalId: issue.externalId,
      orderId: issue.orderId,
      amountMinor: issue.amount.amountMinor,
      currency: issue.amount.currency,
      // Prisma's JSON input type: a plain record of unknowns is wider than it.
      detail: (issue.detail ?? undefined) as Prisma.InputJsonValue | undefined,
    },
  });
  const operators = await tx.user.findMany({
    where: { telegramId: { in: adminIds.map(BigInt) } },
    select: { id: true },
  });
  for (const op of operators)
    await enqueue(tx, {
      userId: op.id,
      kind: 'operator_reconciliation',
      payload: { issueId: row.id },
      dedupeKey: `reconciliation:${row.id}:${op.id}`,
    });
  if (operators.length) await tx.reconciliationIssue.update({ where: { id: row.id }, data: { notifiedAt: at } });
}

export function issueExists(db: Db, processor: Processor, kind: IssueKind, externalId: string): Promise<boolean> {
  return db.reconciliationIssue
    .findUnique({ where: { processor_kind_externalId: { processor, kind, externalId } }, select: { id: true } })
    .then(Boolean);
}
