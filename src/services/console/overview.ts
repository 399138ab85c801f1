import type { Db } from '../../adapters/db/client.js';
import type { DatabaseProvider } from '../../adapters/db/provider.js';
import { PERIODS, type Period } from '../../domain/console.js';
import type { Money } from '../../domain/money.js';
import { REFUND_STATES, SETTLED_STATES, UNFINISHED_STATES } from '../../domain/order-state.js';
import { createDayBuckets, dayNumber, dayStart, offsetMs, type Bucketed, type DaySpec } from './day-buckets.js';
import { createDayRollup } from './day-rollup.js';
import { createLedgerRevenue } from './ledger-revenue.js';

/** A paid renewal (or new eSIM), whatever became of it since. */
const RENEWED: readonly string[] = SETTLED_STATES;
/** A top-up with no answer for this long is "stuck" on the overview. */
export const STUCK_TOP_UP_MS = 10 * 60_000;
const RATE_WINDOW_MS = 5 * 60_000;
const PERIOD_DAYS: Record<Period, number> = { today: 1, '7d': 7, '30d': 30 };

export type PeriodFigures = {
  revenue: Money[];
  ordersByState: Record<string, number>;
  /** Paid renewals per channel: chat, reminder (its Renew now button), auto_renew, store (a partner store's link). */
  renewalsByChannel: Record<string, number>;
  /** Paid new eSIMs (bought in the chat, not renewals), whatever became of them since. */
  newEsimsSold: number;
  remindersSent: number;
  /** Paid renewals started from a reminder, per reminder sent (0–1); null when none was sent. */
  reminderConversion: number | null;
  autoRenewOverBudget: number;
  autoRenewDeclined: number;
};

export type Overview = {
  at: string;
  periods: Record<Period, PeriodFigures>;
  topUps: { failing: number; stuck: number; refundedAfterFailure30d: number };
  delivery: { queued: number; sentPerMinute: number; failed: number; unreachableTravellers: number };
  balance: { amountMinor: number; currency: string; checkedAt: string; below: boolean } | null;
  /** Paid orders per day for the last 30 days in the operator's timezone, oldest first. */
  daily: Array<{ day: string; orders: number }>;
};

/**
 * The order figures per local day: paid orders by when they were paid, orders by when they were
 * made. Paid renewals (RENEWED) are picked from the per-state rows here, not in SQL: a state filter
 * there leads SQLite's planner to the state index, through every paid order ever.
 */
const NEW_ESIM = `"id" IN (SELECT "orderId" FROM "EsimPurchase")`;
/**
 * Refunded (or being refunded) after its top-up or eSIM delivery failed: the failure is what
 * failureReason records, and what a refund names as its reason (top_up_failed, refunds.ts); an
 * operator's refund of a fulfilled order has none.
 */
const REFUNDED_AFTER_FAILURE = `"state" IN (${REFUND_STATES.map((s) => `'${s}'`).join(', ')}) AND "failureReason" IS NOT NULL`;
const ORDER_DAYS: Record<'paid' | 'newEsims' | 'created' | 'refundedAfterFailure', DaySpec & { table: 'Order' }> = {
  paid: {
    table: 'Order',
    column: 'paidAt',
    by: ['currency', 'source', 'state'],
    sum: 'amountMinor',
    where: `NOT ${NEW_ESIM}`,
  },
  /** New eSIMs sold, apart from renewals: an order with an eSIM purchase is no renewal. */
  newEsims: { table: 'Order', column: 'paidAt', by: ['state'], where: NEW_ESIM },
  created: { table: 'Order', column: 'createdAt', by: ['state'] },
  refundedAfterFailure: { table: 'Order', column: 'createdAt', by: [], where: REFUNDED_AFTER_FAILURE },
};

/**
 * The numbers an operator opens the console for. Orders of closed days come from the roll-up
 * (day-rollup.ts), today's are counted live; the other tables are read once for the 30 days,
 * grouped by local day (an indexed range scan each). Today and 7 days are sums of the last days.
 */
export function createOverview(deps: { db: Db; provider: DatabaseProvider; now: () => Date }) {
  const { db, now } = deps;
  const buckets = createDayBuckets(db, deps.provider);
  const rollup = createDayRollup(db, deps.provider, ORDER_DAYS);
  const ledgerRevenue = createLedgerRevenue(db, deps.provider);

  return {
    async get(timeZone: string): Promise<Overview> {
      const at = now();
      const offset = offsetMs(at, timeZone);
      const today = dayNumber(at, offset);
      const since = dayStart(today - 29, offset);
      const todayStart = dayStart(today, offset);
      const stale = new Date(at.getTime() - STUCK_TOP_UP_MS);
      const [
        closed,
        paidToday,
        esimsToday,
        createdToday,
        refundedToday,
        reminders,
        charges,
        failing,
        stuck,
        queued,
        sent,
        failed,
        unreachable,
        balance,
        money,
      ] = await Promise.all([
        rollup.closedDays(offset, today - 29, today - 1),
        buckets({ ...ORDER_DAYS.paid, since: todayStart, offset }),
        buckets({ ...ORDER_DAYS.newEsims, since: todayStart, offset }),
        buckets({ ...ORDER_DAYS.created, since: todayStart, offset }),
        buckets({ ...ORDER_DAYS.refundedAfterFailure, since: todayStart, offset }),
        buckets({ table: 'OutboxMessage', column: 'sentAt', since, offset, by: [], where: `"kind" = 'reminder'` }),
        buckets({ table: 'AutoRenewCharge', column: 'createdAt', since, offset, by: ['state', 'failureCode'] }),
        db.order.count({ where: { state: 'topping_up', failureReason: { not: null } } }),
        db.order.count({ where: { state: { in: [...UNFINISHED_STATES] }, updatedAt: { lt: stale } } }),
        db.outboxMessage.count({ where: { state: { in: ['pending', 'sending'] } } }),
        db.outboxMessage.count({ where: { sentAt: { gte: new Date(at.getTime() - RATE_WINDOW_MS) } } }),
        db.outboxMessage.count({ where: { state: 'failed' } }),
        db.user.count({ where: { reachable: false } }),
        db.providerBalance.findFirst({ orderBy: { checkedAt: 'desc' } }),
        ledgerRevenue(since, offset),
      ]);
      const paid = [...closed.paid, ...paidToday].filter((r) => RENEWED.includes(String(r.state)));
      const esims = [...closed.newEsims, ...esimsToday].filter((r) => RENEWED.includes(String(r.state)));
      const created = [...closed.created, ...createdToday];

      const within = (rows: Bucketed[], p: Period) => rows.filter((r) => r.day > today - PERIOD_DAYS[p]);
      const total = (rows: Bucketed[]) => rows.reduce((n, r) => n + r.n, 0);
      const figures = (p: Period): PeriodFigures => {
        const paidIn = within(paid, p);
        const revenue = new Map<string, number>();
        for (const r of within(money, p))
          if (r.sum) revenue.set(String(r.currency), (revenue.get(String(r.currency)) ?? 0) + r.sum);
        const renewalsByChannel: Record<string, number> = { chat: 0, reminder: 0, auto_renew: 0, store: 0 };
        for (const r of paidIn) {
          const channel = r.source === 'manual' ? 'chat' : String(r.source);
          renewalsByChannel[channel] = (renewalsByChannel[channel] ?? 0) + r.n;
        }
        const ordersByState: Record<string, number> = {};
        for (const r of within(created, p))
          ordersByState[String(r.state)] = (ordersByState[String(r.state)] ?? 0) + r.n;
        const remindersSent = total(within(reminders, p));
        const chargesIn = within(charges, p);
        return {
          revenue: [...revenue]
            .map(([currency, amountMinor]) => ({ amountMinor, currency }))
            .sort((a, b) => a.currency.localeCompare(b.currency)),
          ordersByState,
          renewalsByChannel,
          newEsimsSold: total(within(esims, p)),
          remindersSent,
          reminderConversion: remindersSent ? renewalsByChannel.reminder! / remindersSent : null,
          autoRenewOverBudget: total(chargesIn.filter((r) => r.state === 'over_cap')),
          autoRenewDeclined: total(
            chargesIn.filter((r) => r.failureCode !== '' && r.failureCode !== 'plan_unavailable'),
          ),
        };
      };
      const periods = Object.fromEntries(PERIODS.map((p) => [p, figures(p)])) as Record<Period, PeriodFigures>;
      const refundedAfterFailure = total([...closed.refundedAfterFailure, ...refundedToday]);

      return {
        at: at.toISOString(),
        periods,
        topUps: { failing, stuck, refundedAfterFailure30d: refundedAfterFailure },
        delivery: {
          queued,
          sentPerMinute: Math.round((sent / (RATE_WINDOW_MS / 60_000)) * 10) / 10,
          failed,
          unreachableTravellers: unreachable,
        },
        balance: balance
          ? {
              amountMinor: balance.balanceMinor,
              currency: balance.currency,
              checkedAt: balance.checkedAt.toISOString(),
              below: balance.below,
            }
          : null,
        daily: Array.from({ length: 30 }, (_, i) => {
          const day = today - 29 + i;
          return {
            day: dayStart(day, offset).toISOString(),
            orders: total([...paid, ...esims].filter((r) => r.day === day)),
          };
        }),
      };
    },
  };
}

export type OverviewService = ReturnType<typeof createOverview>;
