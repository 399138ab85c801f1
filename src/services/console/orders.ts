import { isPaymentMethodId, type PaymentMethodId } from '../../domain/payment-methods.js';
import type { Db } from '../../adapters/db/client.js';
import { parseSearch } from '../../domain/console.js';
import { DISPUTE_STATUSES, disputeClosed } from '../../domain/disputes.js';
import { maskIdentifier } from '../../domain/line-identifier.js';
import type { Money } from '../../domain/money.js';
import { disputeOpen, orderNumber, refundCheck, UNFINISHED_STATES, type OrderState } from '../../domain/order-state.js';
import { auditLog, type AuditView } from '../audit.js';
import { orderLedger, orderMoney } from '../ledger.js';
import { orderTimeline, type TimelineEntry } from '../order-timeline.js';
import { afterPageEnd, type PageEnd } from './keyset.js';

const PAGE = 50;

export type OrderRow = {
  orderId: string;
  orderNumber: string;
  state: OrderState;
  source: string;
  price: Money;
  plan: string;
  line: string;
  telegramId: number;
  createdAt: string;
  paidAt: string | null;
};

export type OrderFilter = { q?: string; state?: string; from?: Date; to?: Date; cursor?: string };

export type OrderDetail = OrderRow & {
  userId: string;
  lineId: string;
  carrier: string;
  failureReason: string | null;
  providerRef: string | null;
  newExpiresAt: string | null;
  refundedAt: string | null;
  fulfilledAt: string | null;
  receiptUrl: string | null;
  /** The partner store the renewal counts for (source "store"); its name is null once the store is gone from the file. */
  store: { id: string; name: string | null } | null;
  timeline: Array<TimelineEntry & { delivery?: string }>;
  /** How the order was paid: Telegram Stars (with their number) or a card through Stripe; null while unpaid. */
  /** How it was paid: Stars with their count, else the method (card, paypal, qris…). */
  payment: { method: 'stars'; stars: number } | { method: Exclude<PaymentMethodId, 'stars'> } | null;
  /**
   * A chargeback (or inquiry) opened on the payment: it is answered in Stripe, never refunded here.
   * status and dueBy as Stripe's newest event told them (null for a dispute recorded before they were kept).
   */
  dispute: {
    openedAt: string;
    amount: Money;
    reason: string | null;
    status: string | null;
    dueBy: string | null;
  } | null;
  audit: AuditView[];
  /** The money that moved for the order, from the ledger, oldest first, and what it comes to per currency. */
  ledger: Array<{
    at: string;
    processor: string;
    kind: string;
    externalId: string;
    method: string | null;
    amount: Money;
  }>;
  money: Money[];
  actions: { retryTopUp: boolean; refund: boolean; resendReceipt: boolean; markFailed: boolean; markRefunded: boolean };
};

type Row = {
  id: string;
  state: string;
  source: string;
  amountMinor: number;
  currency: string;
  createdAt: Date;
  paidAt: Date | null;
  plan: { code: string };
  line: { identifier: string };
  user: { telegramId: bigint };
};

const toRow = (o: Row): OrderRow => ({
  orderId: o.id,
  orderNumber: orderNumber(o.id),
  state: o.state as OrderState,
  source: o.source,
  price: { amountMinor: o.amountMinor, currency: o.currency },
  plan: o.plan.code,
  line: maskIdentifier(o.line.identifier),
  telegramId: Number(o.user.telegramId),
  createdAt: o.createdAt.toISOString(),
  paidAt: o.paidAt?.toISOString() ?? null,
});

export type OpenDispute = {
  disputeId: string;
  orderId: string | null;
  orderNumber: string | null;
  status: string;
  dueBy: string | null;
  openedAt: string;
  amount: Money;
};

const OPEN_DISPUTE_STATUSES = DISPUTE_STATUSES.filter((s) => !disputeClosed(s));

/** What an operator may do with an order in this state. */
export function orderActions(state: string, disputed: boolean): OrderDetail['actions'] {
  const check = refundCheck(state, disputed);
  return {
    retryTopUp: UNFINISHED_STATES.includes(state as OrderState),
    // Offered while the top-up is in flight too: the refund path then says to wait for the provider.
    refund: check !== 'already_refunded' && check !== 'not_paid' && check !== 'disputed',
    resendReceipt: state === 'fulfilled',
    // The operator knows from the provider that a top-up in flight failed: it is refunded like any failed one.
    markFailed: refundCheck(state, false) === 'top_up_in_flight',
    // Needs the ledger too (a refund owed, not yet paid): set by detail().
    markRefunded: false,
  };
}

/** A refund owed by hand and not yet marked paid: the refund_owed rows do not cancel out. */
function owedByHand(ledger: { kind: string; amountMinor: number }[]): boolean {
  return ledger.filter((l) => l.kind === 'refund_owed').reduce((sum, l) => sum + l.amountMinor, 0) !== 0;
}

/** Finding orders and reading one whole; numbers are masked here, so no page can show one by accident. */
export function createConsoleOrders(deps: { db: Db }) {
  const { db } = deps;
  const include = {
    plan: { select: { code: true } },
    line: { select: { identifier: true } },
    user: { select: { telegramId: true } },
  } as const;

  /**
   * What the search box matches, as alternatives (an order number; a Telegram id, a line's last digits).
   * Each is read on its own index and the pages merged: one OR would walk every order by date.
   */
  async function searchWhere(q: string | undefined): Promise<object[]> {
    if (!q?.trim()) return [{}];
    const parsed = parseSearch(q);
    if (parsed.kind === 'none') return [];
    if (parsed.kind === 'order') return [{ number: orderNumber(parsed.suffix) }];
    const [user, lines] = await Promise.all([
      parsed.telegramId !== null
        ? db.user.findUnique({ where: { telegramId: parsed.telegramId }, select: { id: true } })
        : null,
      db.line.findMany({ where: { identifier: { endsWith: parsed.digits } }, select: { id: true }, take: 200 }),
    ]);
    const or: object[] = [];
    if (user) or.push({ userId: user.id });
    if (lines.length) or.push({ lineId: { in: lines.map((l) => l.id) } });
    return or;
  }

  const narrowingOf = (filter: Omit<OrderFilter, 'cursor'>) => ({
    ...(filter.state ? { state: filter.state } : {}),
    ...(filter.from || filter.to
      ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }
      : {}),
  });

  return {
    /**
     * Every order the filter matches, newest first, `size` at a time (keyset pages: memory stays at one
     * page whatever the count). An order two alternatives both match comes once.
     */
    async *all(filter: Omit<OrderFilter, 'cursor'>, size = 1000): AsyncGenerator<OrderRow[]> {
      const alternatives = await searchWhere(filter.q);
      const narrowing = narrowingOf(filter);
      const seen = alternatives.length > 1 ? new Set<string>() : null;
      for (const found of alternatives) {
        let last: PageEnd | undefined;
        for (;;) {
          const page: Row[] = await db.order.findMany({
            where: { AND: [{ ...found, ...narrowing }, ...afterPageEnd('createdAt', last, 'desc')] },
            include,
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            take: size,
          });
          const fresh = seen ? page.filter((o) => !seen.has(o.id) && seen.add(o.id)) : page;
          if (fresh.length) yield fresh.map(toRow);
          if (page.length < size) break;
          last = { at: page.at(-1)!.createdAt, id: page.at(-1)!.id };
        }
      }
    },

    /** Newest first, `size` (50) a page; `cursor` is the last order id of the previous page. */
    async search(filter: OrderFilter, size = PAGE): Promise<{ orders: OrderRow[]; next: string | null }> {
      const [alternatives, cursor] = await Promise.all([
        searchWhere(filter.q),
        filter.cursor ? db.order.findUnique({ where: { id: filter.cursor }, select: { createdAt: true } }) : null,
      ]);
      // A cursor that names no order (a hand-made address) starts nowhere: an empty page, not the first.
      if (filter.cursor && !cursor) return { orders: [], next: null };
      const last = cursor ? { at: cursor.createdAt, id: filter.cursor! } : undefined;
      const narrowing = narrowingOf(filter);
      const pages = await Promise.all(
        alternatives.map((found) =>
          db.order.findMany({
            where: { AND: [{ ...found, ...narrowing }, ...afterPageEnd('createdAt', last, 'desc')] },
            include,
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            take: size + 1,
          }),
        ),
      );
      const seen = new Set<string>();
      const rows = pages
        .flat()
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
        .filter((o) => !seen.has(o.id) && seen.add(o.id))
        .slice(0, size + 1);
      const page = rows.slice(0, size);
      return { orders: page.map(toRow), next: rows.length > size ? page.at(-1)!.id : null };
    },

    /**
     * Disputes still open (an answer due, or the bank deciding), the nearest deadline first: the
     * "Needs attention" page lists them until Stripe says they are closed.
     */
    async openDisputes(): Promise<OpenDispute[]> {
      const rows = await db.dispute.findMany({
        where: { status: { in: OPEN_DISPUTE_STATUSES } },
        orderBy: [{ dueBy: 'asc' }, { openedAt: 'asc' }],
        take: 200,
      });
      const due = (d: { dueBy: Date | null }) => d.dueBy?.getTime() ?? Number.POSITIVE_INFINITY;
      return rows
        .sort((a, b) => due(a) - due(b))
        .map((d) => ({
          disputeId: d.id,
          orderId: d.orderId,
          orderNumber: d.orderId ? orderNumber(d.orderId) : null,
          status: d.status,
          dueBy: d.dueBy?.toISOString() ?? null,
          openedAt: d.openedAt.toISOString(),
          amount: { amountMinor: d.amountMinor, currency: d.currency },
        }));
    },

    /** An order by its id or its KU- number. */
    async find(idOrNumber: string): Promise<string | null> {
      const byId = await db.order.findUnique({ where: { id: idOrNumber }, select: { id: true } });
      if (byId) return byId.id;
      const parsed = parseSearch(idOrNumber);
      if (parsed.kind !== 'order') return null;
      const matches = await db.order.findMany({
        where: { number: orderNumber(parsed.suffix) },
        select: { id: true },
        take: 2,
      });
      return matches.length === 1 ? matches[0]!.id : null;
    },

    async detail(orderId: string): Promise<OrderDetail | null> {
      const o = await db.order.findUnique({
        where: { id: orderId },
        include: { ...include, line: { select: { identifier: true, carrier: true } } },
      });
      if (!o) return null;
      const [events, audit, store, ledger, money, starsPayments, stored] = await Promise.all([
        orderTimeline(db, orderId),
        auditLog(db, { subject: orderId, take: 20 }),
        o.storeId ? db.store.findUnique({ where: { id: o.storeId }, select: { name: true } }) : null,
        orderLedger(db, orderId),
        orderMoney(db, orderId),
        db.starsPayment.findMany({ where: { orderId }, select: { amount: true, createdAt: true } }),
        db.dispute.findFirst({ where: { orderId }, orderBy: [{ openedAt: 'desc' }, { id: 'desc' }] }),
      ]);
      // Stars payments settled before the timeline recorded them have a step made from their own row.
      const starsStep = events.some((e) => e.kind === 'payment_paid' && e.detail?.method === 'stars');
      const timeline: TimelineEntry[] = [
        ...events,
        ...(starsStep ? [] : starsPayments).map((p) => ({
          at: p.createdAt.toISOString(),
          kind: 'payment_paid' as const,
          detail: { stars: p.amount },
        })),
      ].sort((a, b) => a.at.localeCompare(b.at));
      const keys = timeline.filter((e) => e.kind === 'message_queued').map((e) => String(e.detail?.dedupeKey));
      const messages = keys.length
        ? await db.outboxMessage.findMany({
            where: { dedupeKey: { in: keys } },
            select: { dedupeKey: true, state: true, kind: true, payload: true },
          })
        : [];
      const delivery = new Map(messages.map((m) => [m.dedupeKey, m.state]));
      const disputed = messages.find((m) => m.kind === 'dispute_opened');
      const disputeAt = disputed && timeline.find((e) => e.detail?.dedupeKey === disputed.dedupeKey)?.at;
      const disputePayload = (disputed?.payload ?? {}) as { amountMinor?: number; currency?: string; reason?: string };
      const dispute: OrderDetail['dispute'] = stored
        ? {
            openedAt: stored.openedAt.toISOString(),
            amount: { amountMinor: stored.amountMinor, currency: stored.currency },
            reason: stored.reason,
            status: stored.status,
            dueBy: stored.dueBy?.toISOString() ?? null,
          }
        : disputed
          ? {
              openedAt: disputeAt ?? o.updatedAt.toISOString(),
              amount: {
                amountMinor: Number(disputePayload.amountMinor ?? o.amountMinor),
                currency: disputePayload.currency ?? o.currency,
              },
              reason: disputePayload.reason ?? null,
              status: null,
              dueBy: null,
            }
          : null;
      return {
        ...toRow(o),
        userId: o.userId,
        lineId: o.lineId,
        carrier: o.line.carrier,
        failureReason: o.failureReason,
        providerRef: o.providerRef,
        newExpiresAt: o.newExpiresAt?.toISOString() ?? null,
        refundedAt: o.refundedAt?.toISOString() ?? null,
        fulfilledAt: o.fulfilledAt?.toISOString() ?? null,
        receiptUrl: o.receiptUrl,
        store: o.source === 'store' && o.storeId ? { id: o.storeId, name: store?.name ?? null } : null,
        ledger: ledger.map((l) => ({
          at: l.occurredAt.toISOString(),
          processor: l.processor,
          kind: l.kind,
          externalId: l.externalId,
          method: l.method,
          amount: { amountMinor: l.amountMinor, currency: l.currency },
        })),
        money,
        timeline: timeline.map((e) =>
          e.kind === 'message_queued' ? { ...e, delivery: delivery.get(String(e.detail?.dedupeKey)) ?? 'unknown' } : e,
        ),
        payment:
          o.paidWith === 'stars'
            ? { method: 'stars', stars: o.starsAmount ?? starsPayments[0]?.amount ?? 0 }
            : o.paidAt
              ? { method: paidMethod(o.paymentMethod) }
              : null,
        dispute,
        audit,
        actions: {
          ...orderActions(o.state, !!dispute || disputeOpen(ledger.map((l) => l.kind))),
          markRefunded: o.state === 'refunding' && owedByHand(ledger),
        },
      };
    },
  };
}

export type ConsoleOrders = ReturnType<typeof createConsoleOrders>;

/** The method a card-side payment was made with; orders from before methods were recorded were cards. */
function paidMethod(method: string | null): Exclude<PaymentMethodId, 'stars'> {
  return method && isPaymentMethodId(method) && method !== 'stars' ? method : 'card';
}
