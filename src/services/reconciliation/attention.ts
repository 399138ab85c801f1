import type { Db } from '../../adapters/db/client.js';
import { orderNumber } from '../../domain/order-state.js';
import type { Money } from '../../domain/money.js';
import { audit } from '../audit.js';
import type { ReconcileResult } from './reconcile.js';

export type IssueView = {
  id: string;
  processor: string;
  kind: string;
  externalId: string;
  orderId: string | null;
  orderNumber: string | null;
  amount: Money;
  at: string;
};

/** The console's "Needs attention": open reconciliation issues, resolving one, and a run on demand; each audited. */
export function createNeedsAttention(deps: { db: Db; now: () => Date; reconcile: () => Promise<ReconcileResult> }) {
  const { db } = deps;
  return {
    async open(): Promise<IssueView[]> {
      const rows = await db.reconciliationIssue.findMany({
        where: { state: 'open' },
        orderBy: { createdAt: 'desc' },
        take: 200,
      });
      return rows.map((r) => ({
        id: r.id,
        processor: r.processor,
        kind: r.kind,
        externalId: r.externalId,
        orderId: r.orderId,
        orderNumber: r.orderId ? orderNumber(r.orderId) : null,
        amount: { amountMinor: r.amountMinor, currency: r.currency },
        at: r.createdAt.toISOString(),
      }));
    },

    /** false when it was resolved already (by another operator, or a double click). */
    async resolve(operatorId: number, issueId: string): Promise<boolean> {
      const { count } = await db.reconciliationIssue.updateMany({
        where: { id: issueId, state: 'open' },
        data: { state: 'resolved', resolvedAt: deps.now() },
      });
      if (count)
        await audit(db, {
          actorId: operatorId,
          action: 'reconciliation.resolve',
          subject: issueId,
          before: { state: 'open' },
          after: { state: 'resolved' },
        });
      return count === 1;
    },

    async runNow(operatorId: number): Promise<ReconcileResult> {
      const result = await deps.reconcile();
      await audit(db, { actorId: operatorId, action: 'reconciliation.run', after: result });
      return result;
    },
  };
}

export type NeedsAttention = ReturnType<typeof createNeedsAttention>;
