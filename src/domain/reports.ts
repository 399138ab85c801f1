// Pure figures of the console's reports: a period of whole local days against the one before it.
import type { Money } from './money.js';

export const REPORT_DAYS = [7, 30, 90] as const;
export type ReportDays = (typeof REPORT_DAYS)[number];

/** A period's local day numbers (as day-buckets.ts numbers them), `first` to `last` inclusive. */
export type DayRange = { first: number; last: number };

/** The last `days` local days up to today, and the as long period just before them. */
export function reportPeriods(today: number, days: ReportDays): { current: DayRange; previous: DayRange } {
  return {
    current: { first: today - days + 1, last: today },
    previous: { first: today - 2 * days + 1, last: today - days },
  };
}

/**
 * One local day of paid orders' money, per currency and payment method, net of refunds and disputes.
 * `costedNet` and `cost` cover the orders whose plan has a cost in the same currency as their money
 * (the cost counts only when the top-up was made); `uncosted` counts the other orders.
 */
export type MoneyDay = {
  day: number;
  currency: string;
  method: string;
  orders: number;
  net: number;
  costedNet: number;
  cost: number;
  uncosted: number;
};

/** Per local day, orders that got a payment link that day (their first), and how many of them were paid. */
export type LinkDay = { day: number; links: number; paid: number };

export type Compared<T> = { current: T; previous: T; change: number | null };

export type CurrencyReport = {
  currency: string;
  revenue: Compared<number>;
  /** Revenue less the plans' cost, over the orders whose cost is known in this currency; null with no such order. */
  margin: Compared<number | null>;
  /** Orders left out of the margin: paid in another currency than their plan's cost, or with no cost set. */
  uncosted: Compared<number>;
  orders: Compared<number>;
  byMethod: Array<{ method: string; revenue: Compared<number> }>;
  /** Net revenue per day of the current period (oldest first), per method: what the chart draws. */
  daily: Array<{ method: string; values: number[] }>;
};

export type Report = {
  days: ReportDays;
  current: DayRange;
  previous: DayRange;
  currencies: CurrencyReport[];
  conversion: Compared<number | null> & { links: Compared<number>; paid: Compared<number> };
  newTravellers: Compared<number>;
  activeTravellers: Compared<number>;
};

/** The relative change from `previous` to `current` (0.25 = +25%); null when there was nothing before. */
export function change(current: number, previous: number): number | null {
  return previous === 0 ? null : (current - previous) / Math.abs(previous);
}

const compared = (current: number, previous: number): Compared<number> => ({
  current,
  previous,
  change: change(current, previous),
});

/** A figure that means nothing where none of its orders counted (a margin with no cost known) is null. */
function knownOnly(figure: Compared<number>, counted: Compared<number>): Compared<number | null> {
  const current = counted.current ? figure.current : null;
  const previous = counted.previous ? figure.previous : null;
  return { current, previous, change: current !== null && previous !== null ? change(current, previous) : null };
}

const inRange = (day: number, r: DayRange) => day >= r.first && day <= r.last;

/** Sums `pick` over the rows of each period, as a comparison. */
function compare<Row extends { day: number }>(
  rows: readonly Row[],
  periods: { current: DayRange; previous: DayRange },
  pick: (row: Row) => number,
): Compared<number> {
  const sum = (r: DayRange) => rows.reduce((n, row) => (inRange(row.day, r) ? n + pick(row) : n), 0);
  return compared(sum(periods.current), sum(periods.previous));
}

/**
 * The report an owner reads: every money figure per currency (amounts in different currencies are
 * never added), each figure beside the previous period of equal length.
 */
export function buildReport(input: {
  today: number;
  days: ReportDays;
  money: readonly MoneyDay[];
  links: readonly LinkDay[];
  /** Travellers per local day on which they linked their first line. */
  newTravellers: ReadonlyArray<{ day: number; n: number }>;
  /** Travellers with an order paid in each period (one count per period: a traveller counts once). */
  activeTravellers: { current: number; previous: number };
}): Report {
  const periods = reportPeriods(input.today, input.days);
  const { current } = periods;
  const currencies = [...new Set(input.money.map((r) => r.currency))].sort();
  const currencyReports = currencies.map((currency): CurrencyReport => {
    const rows = input.money.filter((r) => r.currency === currency);
    const methods = [...new Set(rows.map((r) => r.method))].sort();
    const revenue = compare(rows, periods, (r) => r.net);
    return {
      currency,
      revenue,
      margin: knownOnly(
        compare(rows, periods, (r) => r.costedNet - r.cost),
        compare(rows, periods, (r) => r.orders - r.uncosted),
      ),
      uncosted: compare(rows, periods, (r) => r.uncosted),
      orders: compare(rows, periods, (r) => r.orders),
      byMethod: methods
        .map((method) => ({ method, revenue: compare(rows, periods, (r) => (r.method === method ? r.net : 0)) }))
        .sort((a, b) => b.revenue.current - a.revenue.current || a.method.localeCompare(b.method)),
      daily: methods.map((method) => ({
        method,
        values: Array.from({ length: input.days }, (_, i) =>
          rows.reduce((n, r) => (r.day === current.first + i && r.method === method ? n + r.net : n), 0),
        ),
      })),
    };
  });
  const links = compare(input.links, periods, (r) => r.links);
  const paid = compare(input.links, periods, (r) => r.paid);
  const rate = (p: number, l: number) => (l === 0 ? null : p / l);
  const rates = { current: rate(paid.current, links.current), previous: rate(paid.previous, links.previous) };
  return {
    days: input.days,
    ...periods,
    currencies: currencyReports,
    conversion: {
      ...rates,
      // A rate's change is in points (0.62 → 0.70 is +0.08), not relative to itself.
      change: rates.current !== null && rates.previous !== null ? rates.current - rates.previous : null,
      links,
      paid,
    },
    newTravellers: compare(input.newTravellers, periods, (r) => r.n),
    activeTravellers: compared(input.activeTravellers.current, input.activeTravellers.previous),
  };
}

/** A currency's amount as money, for formatting. */
export const inCurrency = (currency: string, amountMinor: number): Money => ({ amountMinor, currency });
