import type { Db } from '../../adapters/db/client.js';
import type { DatabaseProvider } from '../../adapters/db/provider.js';
import { PERIODS, type Period } from '../../domain/console.js';
import type { Money } from '../../domain/money.js';
import { createDayBuckets, dayNumber, offsetMs, type Bucketed } from './day-buckets.js';

/** An order counts as revenue once paid, until it is refunded. */
const EARNING = ['paid', 'topping_up', 'fulfilled', 'refunding'];
const RENEWED = [...EARNING, 'refunded'];
/** A top-up with no answer for this long is "stuck" on the overview. */
export const STUCK_TOP_UP_MS = 10 * 60_000;
const RATE_WINDOW_MS = 5 * 60_000;
const PERIOD_DAYS: Record<Period, number> = { today: 1, '7d': 7, '30d': 30 };
const DAY = 86_400_000;

export type PeriodFigures = {
  revenue: Money[];
  ordersByState: Record<string, number>;
  /** Paid renewals per channel: chat, reminder (its Renew now button), auto_renew, store (a partner store's link). */
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

const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * The numbers an operator opens the console for. The 30 days are read once per table, grouped by
 * local day (an indexed range scan each); today and 7 days are sums of the last days of that.
 */
export function createOverview(deps: { db: Db; provider: DatabaseProvider; now: () => Date }) {
  const { db, now } = deps;
  const buckets = createDayBuckets(db, deps.provider);

  return {
    async get(timeZone: string): Promise<Overview> {
      const at = now();
      const offset = offsetMs(at, timeZone);
      const today = dayNumber(at, offset);
      const since = new Date((today - 29) * DAY - offset);
      const stale = new Date(at.getTime() - STUCK_TOP_UP_MS);
      const [paid, created, reminders, charges, failing, stuck, queued, sent, failed, unreachable, balance] = await Promise.all([
        buckets({ table: 'Order', column: 'paidAt', since, offset, by: ['currency', 'source', 'state'], where: `"state" IN (${list(RENEWED)})`, sum: 'amountMinor' }),
        buckets({ table: 'Order', column: 'createdAt', since, offset, by: ['state'] }),
        buckets({ table: 'OutboxMessage', column: 'sentAt', since, offset, by: [], where: `"kind" = 'reminder'` }),
        buckets({ table: 'AutoRenewCharge', column: 'createdAt', since, offset, by: ['state', 'failureCode'] }),
        db.order.count({ where: { state: 'topping_up', failureReason: { not: null } } }),
        db.order.count({ where: { state: { in: ['paid', 'topping_up'] }, updatedAt: { lt: stale } } }),
        db.outboxMessage.count({ where: { state: { in: ['pending', 'sending'] } } }),
        db.outboxMessage.count({ where: { sentAt: { gte: new Date(at.getTime() - RATE_WINDOW_MS) } } }),
        db.outboxMessage.count({ where: { state: 'failed' } }),
        db.user.count({ where: { reachable: false } }),
        db.providerBalance.findFirst({ orderBy: { checkedAt: 'desc' } }),
      ]);

      const within = (rows: Bucketed[], p: Period) => rows.filter((r) => r.day > today - PERIOD_DAYS[p]);
      const total = (rows: Bucketed[]) => rows.reduce((n, r) => n + r.n, 0);
      const figures = (p: Period): PeriodFigures => {
        const paidIn = within(paid, p);
        const revenue = new Map<string, number>();
        for (const r of paidIn.filter((r) => EARNING.includes(String(r.state)))) revenue.set(String(r.currency), (revenue.get(String(r.currency)) ?? 0) + r.sum);
        const renewalsByChannel: Record<string, number> = { chat: 0, reminder: 0, auto_renew: 0, store: 0 };
        for (const r of paidIn) {
          const channel = r.source === 'manual' ? 'chat' : String(r.source);
          renewalsByChannel[channel] = (renewalsByChannel[channel] ?? 0) + r.n;
        }
        const ordersByState: Record<string, number> = {};
        for (const r of within(created, p)) ordersByState[String(r.state)] = (ordersByState[String(r.state)] ?? 0) + r.n;
        const remindersSent = total(within(reminders, p));
        const chargesIn = within(charges, p);
        return {
          revenue: [...revenue].map(([currency, amountMinor]) => ({ amountMinor, currency })).sort((a, b) => a.currency.localeCompare(b.currency)),
          ordersByState, renewalsByChannel, remindersSent,
          reminderConversion: remindersSent ? renewalsByChannel.reminder! / remindersSent : null,
          autoRenewOverBudget: total(chargesIn.filter((r) => r.state === 'over_cap')),
          autoRenewDeclined: total(chargesIn.filter((r) => r.failureCode !== '' && r.failureCode !== 'plan_unavailable')),
        };
      };
      const periods = Object.fromEntries(PERIODS.map((p) => [p, figures(p)])) as Record<Period, PeriodFigures>;
      const refundedAfterFailure = total(created.filter((r) => r.state === 'refunded' || r.state === 'refunding'));

      return {
        at: at.toISOString(),
        periods,
        topUps: { failing, stuck, refundedAfterFailure30d: refundedAfterFailure },
        delivery: { queued, sentPerMinute: Math.round((sent / (RATE_WINDOW_MS / 60_000)) * 10) / 10, failed, unreachableTravellers: unreachable },
        balance: balance ? { amountMinor: balance.balanceMinor, currency: balance.currency, checkedAt: balance.checkedAt.toISOString(), below: balance.below } : null,
        daily: Array.from({ length: 30 }, (_, i) => {
          const day = today - 29 + i;
          return { day: new Date(day * DAY - offset).toISOString(), orders: total(paid.filter((r) => r.day === day)) };
        }),
      };
    },
  };
}

export type OverviewService = ReturnType<typeof createOverview>;
