import type { Db } from '../../adapters/db/client.js';
import { PERIODS, periodStart, startOfDay, type Period } from '../../domain/console.js';
import type { Money } from '../../domain/money.js';

/** An order counts as revenue once paid, until it is refunded. */
const EARNING = ['paid', 'topping_up', 'fulfilled', 'refunding'];
/** A top-up with no answer for this long is "stuck" on the overview. */
export const STUCK_TOP_UP_MS = 10 * 60_000;
const RATE_WINDOW_MS = 5 * 60_000;

export type PeriodFigures = {
  revenue: Money[];
  ordersByState: Record<string, number>;
  /** Paid renewals per channel: chat, reminder (its Renew now button), auto_renew. */
  renewalsByChannel: Record<string, number>;
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

/** The numbers an operator opens the console for; every query is a range on an index. */
export function createOverview(deps: { db: Db; now: () => Date }) {
  const { db, now } = deps;

  async function period(since: Date): Promise<PeriodFigures> {
    const [revenue, states, channels, remindersSent, overBudget, declined] = await Promise.all([
      db.order.groupBy({ by: ['currency'], where: { paidAt: { gte: since }, state: { in: EARNING } }, _sum: { amountMinor: true } }),
      db.order.groupBy({ by: ['state'], where: { createdAt: { gte: since } }, _count: { _all: true } }),
      db.order.groupBy({ by: ['source'], where: { paidAt: { gte: since }, state: { in: [...EARNING, 'refunded'] } }, _count: { _all: true } }),
      db.outboxMessage.count({ where: { kind: 'reminder', sentAt: { gte: since } } }),
      db.autoRenewCharge.count({ where: { createdAt: { gte: since }, state: 'over_cap' } }),
      db.autoRenewCharge.count({ where: { createdAt: { gte: since }, failureCode: { not: null }, NOT: { failureCode: 'plan_unavailable' } } }),
    ]);
    const renewalsByChannel: Record<string, number> = { chat: 0, reminder: 0, auto_renew: 0 };
    for (const c of channels) renewalsByChannel[c.source === 'manual' ? 'chat' : c.source] = c._count._all;
    return {
      revenue: revenue.map((r) => ({ amountMinor: r._sum.amountMinor ?? 0, currency: r.currency })).sort((a, b) => a.currency.localeCompare(b.currency)),
      ordersByState: Object.fromEntries(states.map((s) => [s.state, s._count._all])),
      renewalsByChannel,
      remindersSent,
      reminderConversion: remindersSent ? renewalsByChannel.reminder! / remindersSent : null,
      autoRenewOverBudget: overBudget,
      autoRenewDeclined: declined,
    };
  }

  async function daily(timeZone: string): Promise<Overview['daily']> {
    const today = startOfDay(now(), timeZone);
    const days = Array.from({ length: 30 }, (_, i) => new Date(today.getTime() - (29 - i) * 86_400_000));
    const counts = await Promise.all(days.map((from, i) => db.order.count({
      where: { paidAt: { gte: from, lt: days[i + 1] ?? new Date(today.getTime() + 86_400_000) }, state: { in: [...EARNING, 'refunded'] } },
    })));
    return days.map((d, i) => ({ day: d.toISOString(), orders: counts[i]! }));
  }

  return {
    async get(timeZone: string): Promise<Overview> {
      const at = now();
      const stale = new Date(at.getTime() - STUCK_TOP_UP_MS);
      const [figures, failing, stuck, refundedAfterFailure, queued, sent, failed, unreachable, balance, perDay] = await Promise.all([
        Promise.all(PERIODS.map((p) => period(periodStart(p, at, timeZone)))),
        db.order.count({ where: { state: 'topping_up', failureReason: { not: null } } }),
        db.order.count({ where: { state: { in: ['paid', 'topping_up'] }, updatedAt: { lt: stale } } }),
        db.order.count({ where: { state: { in: ['refunding', 'refunded'] }, createdAt: { gte: periodStart('30d', at, timeZone) }, failureReason: { not: null } } }),
        db.outboxMessage.count({ where: { state: { in: ['pending', 'sending'] } } }),
        db.outboxMessage.count({ where: { sentAt: { gte: new Date(at.getTime() - RATE_WINDOW_MS) } } }),
        db.outboxMessage.count({ where: { state: 'failed' } }),
        db.user.count({ where: { reachable: false } }),
        db.providerBalance.findFirst({ orderBy: { checkedAt: 'desc' } }),
        daily(timeZone),
      ]);
      return {
        at: at.toISOString(),
        periods: Object.fromEntries(PERIODS.map((p, i) => [p, figures[i]!])) as Record<Period, PeriodFigures>,
        topUps: { failing, stuck, refundedAfterFailure30d: refundedAfterFailure },
        delivery: { queued, sentPerMinute: Math.round((sent / (RATE_WINDOW_MS / 60_000)) * 10) / 10, failed, unreachableTravellers: unreachable },
        balance: balance ? { amountMinor: balance.balanceMinor, currency: balance.currency, checkedAt: balance.checkedAt.toISOString(), below: balance.below } : null,
        daily: perDay,
      };
    },
  };
}

export type OverviewService = ReturnType<typeof createOverview>;
