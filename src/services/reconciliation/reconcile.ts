import type { Db } from '../../adapters/db/client.js';
import { statesThatCanMoveTo, type OrderState } from '../../domain/order-state.js';
import type { Money } from '../../domain/money.js';
import type { Logger } from '../../logger.js';
import type { Leases } from '../leases.js';
import type { ProcessorActivity, ReportedPayment, ReportedRefund, Settlement } from '../ports/reconciliation.js';
import { issueExists, raiseIssue, recordLedger, type NewIssue } from './records.js';

export type ReconcileResult = { ran: boolean; payments: number; refunds: number; issues: number };

const LEASE = 'reconciliation';
const LEASE_MS = 10 * 60_000;
const negative = (m: Money): Money => ({ amountMinor: -m.amountMinor, currency: m.currency });

/**
 * Compares what Stripe and Telegram say moved since the look-back window with the ledger. Money
 * taken with no ledger row is settled when its order can still be paid, and given back when it
 * cannot; a refund Kuota never recorded is written down; every finding is an issue, raised once.
 * Runs under a lease, so two instances (or the schedule and a click) never work at once.
 */
export function createReconciliation(deps: {
  db: Db;
  logger: Logger;
  now: () => Date;
  leases: Leases;
  adminIds: number[];
  lookbackHours: number;
  processors: ProcessorActivity[];
  settlement: Settlement;
  /** Processors with no list of what moved, checked order by order (Midtrans: its status API). */
  orderChecks?: { processor: string; run(from: Date): Promise<number> }[];
}) {
  const { db, logger, now, settlement } = deps;
  let raised = 0;
  let refundsMade = 0;
  let running: Promise<ReconcileResult> | null = null;
  const raise = async (issue: NewIssue) => {
    if (await raiseIssue(db, deps.adminIds, issue, now())) {
      raised++;
      logger.warn({ ...issue, amount: issue.amount }, 'reconciliation found a mismatch');
    }
  };

  /** What the order was sold at, in the payment's currency; null when the order never named that currency. */
  function priceOf(
    order: {
      amountMinor: number;
      currency: string;
      altAmountMinor: number | null;
      altCurrency: string | null;
      starsAmount: number | null;
    },
    currency: string,
  ): number | null {
    if (currency === order.currency) return order.amountMinor;
    if (currency === order.altCurrency) return order.altAmountMinor;
    if (currency === 'XTR') return order.starsAmount;
    return null;
  }

  async function payment(processor: ProcessorActivity['processor'], p: ReportedPayment): Promise<void> {
    const ledger = await db.ledgerEntry.findUnique({
      where: { processor_kind_externalId: { processor, kind: 'payment', externalId: p.externalId } },
    });
    const base = { processor, externalId: p.externalId, amount: p.amount };
    if (ledger) {
      if (ledger.amountMinor !== p.amount.amountMinor || ledger.currency !== p.amount.currency)
        await raise({
          ...base,
          kind: 'amount_mismatch',
          orderId: ledger.orderId,
          detail: { ledger: { amountMinor: ledger.amountMinor, currency: ledger.currency } },
        });
      return;
    }
    const row = {
      processor,
      kind: 'payment' as const,
      externalId: p.externalId,
      method: p.method,
      amount: p.amount,
      at: p.at,
    };

    if (processor === 'stars' && p.stars) {
      const known = await db.starsPayment.findUnique({ where: { chargeId: p.externalId } });
      if (known) {
        await recordLedger(db, { ...row, orderId: known.orderId });
        return raise({ ...base, kind: 'missing_ledger_row', orderId: known.orderId });
      }
      const outcome = await settlement.stars({ ...p, stars: p.stars });
      // Its write failed again: nothing is recorded, so the next run tries once more.
      if (outcome === 'unsettled') return;
      if (outcome === 'refunded') refundsMade++;
      const recorded = await db.starsPayment.findUnique({ where: { chargeId: p.externalId } });
      const orderId = recorded?.orderId ?? null;
      await recordLedger(db, { ...row, orderId });
      const kind =
        outcome === 'settled' ? 'settled_late' : outcome === 'refunded' ? 'money_without_order' : 'missing_ledger_row';
      return raise({
        ...base,
        kind,
        orderId,
        detail: recorded?.refundReason ? { reason: recorded.refundReason } : undefined,
      });
    }

    // Stripe: only Kuota's own payments carry an order id.
    if (!p.orderId) return;
    const order = await db.order.findUnique({ where: { id: p.orderId } });
    if (order?.stripePaymentIntentId === p.externalId) {
      await recordLedger(db, { ...row, orderId: order.id });
      return raise({ ...base, kind: 'missing_ledger_row', orderId: order.id });
    }
    if (order && statesThatCanMoveTo('paid').includes(order.state as OrderState)) {
      if (await settlement.card({ ...p, orderId: order.id })) {
        await recordLedger(db, { ...row, orderId: order.id });
        await raise({ ...base, kind: 'settled_late', orderId: order.id, detail: { was: order.state } });
        const price = priceOf(order, p.amount.currency);
        if (price !== p.amount.amountMinor)
          await raise({ ...base, kind: 'amount_mismatch', orderId: order.id, detail: { order: price } });
        return;
      }
    }
    // Paid another way, expired, refunded, or no such order: the money goes back.
    await settlement.refundCard(p.externalId, p.orderId);
    refundsMade++;
    await recordLedger(db, { ...row, orderId: order?.id ?? null });
    await raise({
      ...base,
      kind: 'money_without_order',
      orderId: order?.id ?? null,
      detail: { orderState: order?.state ?? null },
    });
  }

  /**
   * Stripe's refunds of one payment. The ledger keys them by the payment and the total refunded
   * (src/services/ledger.ts: Stripe's charge.refunded carries no refund ids), so they are compared
   * as that total: what Stripe reports beyond what the ledger holds is written under the same key
   * the webhook would use, and never twice.
   */
  async function stripeRefunds(paymentId: string, refunds: ReportedRefund[]): Promise<void> {
    const processor = 'stripe' as const;
    const reported = refunds.reduce((sum, r) => sum + r.amount.amountMinor, 0);
    const currency = refunds[0]!.amount.currency;
    const paid = await db.ledgerEntry.findUnique({
      where: { processor_kind_externalId: { processor, kind: 'payment', externalId: paymentId } },
    });
    const earlier = await db.ledgerEntry.aggregate({
      where: {
        processor,
        kind: 'refund',
        OR: [
          { externalId: { startsWith: `${paymentId}:refunded:` } },
          { externalId: { in: refunds.map((r) => r.externalId) } },
        ],
      },
      _sum: { amountMinor: true },
    });
    const already = -(earlier._sum.amountMinor ?? 0);
    if (reported <= already) return;
    const order = await db.order.findFirst({ where: { stripePaymentIntentId: paymentId }, select: { id: true } });
    const orderId = paid?.orderId ?? order?.id ?? refunds.find((r) => r.orderId)?.orderId ?? null;
    const externalId = `${paymentId}:refunded:${reported}`;
    const at = new Date(Math.max(...refunds.map((r) => r.at.getTime())));
    const amount = { amountMinor: reported - already, currency };
    await recordLedger(db, {
      processor,
      kind: 'refund',
      externalId,
      orderId,
      method: paid?.method ?? null,
      amount: negative(amount),
      at,
    });
    const byKuota =
      refunds.some((r) => r.orderId !== null) || (await issueExists(db, processor, 'money_without_order', paymentId));
    if (byKuota) return;
    await raise({ processor, kind: 'unknown_refund', externalId, amount, orderId, detail: { payment: paymentId } });
  }

  async function refund(processor: ProcessorActivity['processor'], r: ReportedRefund): Promise<void> {
    const ledger = await db.ledgerEntry.findUnique({
      where: { processor_kind_externalId: { processor, kind: 'refund', externalId: r.externalId } },
    });
    const base = { processor, externalId: r.externalId, amount: r.amount };
    if (ledger) {
      if (-ledger.amountMinor !== r.amount.amountMinor || ledger.currency !== r.amount.currency)
        await raise({
          ...base,
          kind: 'amount_mismatch',
          orderId: ledger.orderId,
          detail: { ledger: { amountMinor: ledger.amountMinor, currency: ledger.currency } },
        });
      return;
    }
    const paid = await db.ledgerEntry.findUnique({
      where: { processor_kind_externalId: { processor, kind: 'payment', externalId: r.paymentId } },
    });
    const order =
      processor === 'stripe'
        ? await db.order.findFirst({ where: { stripePaymentIntentId: r.paymentId }, select: { id: true } })
        : await db.order.findFirst({ where: { telegramChargeId: r.paymentId }, select: { id: true } });
    const orderId = paid?.orderId ?? order?.id ?? r.orderId;
    await recordLedger(db, {
      processor,
      kind: 'refund',
      externalId: r.externalId,
      orderId,
      method: null,
      amount: negative(r.amount),
      at: r.at,
    });
    if (await madeByKuota(processor, r)) return;
    await raise({ ...base, kind: 'unknown_refund', orderId, detail: { payment: r.paymentId } });
  }

  /** A refund Kuota asked for: its own refund path (Stripe's carries the order id, Stars' marks the payment), or this job's. */
  async function madeByKuota(processor: ProcessorActivity['processor'], r: ReportedRefund): Promise<boolean> {
    if (await issueExists(db, processor, 'money_without_order', r.paymentId)) return true;
    if (processor === 'stripe') return r.orderId !== null;
    const stars = await db.starsPayment.findUnique({ where: { chargeId: r.paymentId }, select: { outcome: true } });
    return stars?.outcome === 'refunded' || stars?.outcome === 'refunding';
  }

  return {
    /** One pass over every processor; false `ran` when another instance holds the lease. */
    async run(): Promise<ReconcileResult> {
      // The lease keeps other instances out; this keeps the schedule and a click on this one apart.
      if (running) return { ran: false, payments: 0, refunds: 0, issues: 0 };
      running = pass().finally(() => (running = null));
      return running;
    },
  };

  async function pass(): Promise<ReconcileResult> {
    const lease = await deps.leases.acquire(LEASE, LEASE_MS);
    if (!lease) return { ran: false, payments: 0, refunds: 0, issues: 0 };
    const startedAt = now();
    const from = new Date(startedAt.getTime() - deps.lookbackHours * 3_600_000);
    raised = 0;
    const result = { ran: true, payments: 0, refunds: 0, issues: 0 };
    for (const activity of deps.processors) {
      let moved;
      try {
        moved = await activity.since(from);
      } catch (err) {
        logger.error({ err, processor: activity.processor }, 'reconciliation could not list what moved');
        continue;
      }
      // Payments first; when that gave money back, list again, so the refund is ledgered in this pass.
      refundsMade = 0;
      const processor = activity.processor;
      // One movement that cannot be reconciled (a refund Stripe refused) does not stop the others.
      const each = async <T extends { externalId: string }>(items: T[], handle: (item: T) => Promise<void>) => {
        for (const item of items)
          await handle(item).catch((err) =>
            logger.error({ err, processor, externalId: item.externalId }, 'reconciliation of a movement failed'),
          );
      };
      await each<ReportedPayment>(moved.payments, (p) => payment(processor, p));
      result.payments += moved.payments.length;
      const firstListing = moved;
      if (refundsMade) moved = await activity.since(from).catch(() => firstListing);
      if (processor === 'stripe') {
        const byPayment = new Map<string, ReportedRefund[]>();
        for (const r of moved.refunds) byPayment.set(r.paymentId, [...(byPayment.get(r.paymentId) ?? []), r]);
        const groups = [...byPayment].map(([paymentId, refunds]) => ({ externalId: paymentId, refunds }));
        await each(groups, (g) => stripeRefunds(g.externalId, g.refunds));
      } else await each<ReportedRefund>(moved.refunds, (r) => refund(processor, r));
      result.refunds += moved.refunds.length;
    }
    for (const check of deps.orderChecks ?? [])
      result.payments += await check.run(from).catch((err: unknown) => {
        logger.error({ err, processor: check.processor }, 'reconciliation could not check its orders');
        return 0;
      });
    await deps.leases.finished(LEASE, startedAt);
    await deps.leases.release(LEASE);
    return { ...result, issues: raised };
  }
}

export type Reconciliation = ReturnType<typeof createReconciliation>;
