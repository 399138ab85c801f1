import type { Db } from '../../adapters/db/client.js';
import type { DatabaseProvider } from '../../adapters/db/provider.js';
import {
  buildReport,
  reportPeriods,
  type LinkDay,
  type MoneyDay,
  type Report,
  type ReportDays,
} from '../../domain/reports.js';
import { dayNumber, dayStart, offsetMs, sqlDialect } from './day-buckets.js';

type Raw = Array<Record<string, unknown>>;
const num = (v: unknown) => Number(v ?? 0);

/**
 * The reports page's figures, read for the period and the one before it in one pass each. Money
 * comes from the ledger (payments less refunds and disputes, in the currency the processor
 * reported) and counts on the local day its order was paid, as on the overview. A plan's cost
 * counts once its top-up was made, and only against money in the cost's own currency.
 */
export function createConsoleReports(deps: { db: Db; provider: DatabaseProvider; now: () => Date }) {
  const { db } = deps;
  const sql = sqlDialect(deps.provider);
  const range = `>= ${sql.placeholder(1, 'timestamp')} AND %s < ${sql.placeholder(2, 'timestamp')}`;
  const between = (column: string) => `${column} ${range.replace('%s', column)}`;
  const query = (text: string, from: Date, to: Date) =>
    db.$queryRawUnsafe<Raw>(text, sql.instant(from), sql.instant(to));

  async function money(from: Date, to: Date, offset: number): Promise<MoneyDay[]> {
    // One row per order and currency: its net money, method, and cost when the cost is in that currency.
    const perOrder = `SELECT o."paidAt" AS "paidAt", l."currency" AS currency,
        COALESCE(MAX(CASE WHEN l."kind" = 'payment' THEN l."method" END),
          CASE WHEN o."paidWith" = 'stars' THEN 'stars' END, o."paymentMethod", 'card') AS method,
        SUM(l."amountMinor") AS net,
        CASE WHEN p."costMinor" IS NOT NULL AND p."currency" = l."currency" THEN 1 ELSE 0 END AS costed,
        CASE WHEN o."fulfilledAt" IS NOT NULL THEN COALESCE(p."costMinor", 0) ELSE 0 END AS cost
      FROM "LedgerEntry" l JOIN "Order" o ON o."id" = l."orderId" JOIN "Plan" p ON p."id" = o."planId"
      WHERE ${between('o."paidAt"')}
      GROUP BY o."id", o."paidAt", l."currency", o."paidWith", o."paymentMethod", o."fulfilledAt", p."costMinor", p."currency"`;
    const day = sql.day('paidAt', offset);
    const rows = await query(
      `SELECT ${day} AS day, currency, method, COUNT(*) AS orders, SUM(net) AS net,
        SUM(CASE WHEN costed = 1 THEN net ELSE 0 END) AS costed_net,
        SUM(CASE WHEN costed = 1 THEN cost ELSE 0 END) AS cost, SUM(1 - costed) AS uncosted
      FROM (${perOrder}) x GROUP BY ${day}, currency, method`,
      from,
      to,
    );
    return rows.map((r) => ({
      day: num(r.day),
      currency: String(r.currency),
      method: String(r.method),
      orders: num(r.orders),
      net: num(r.net),
      costedNet: num(r.costed_net),
      cost: num(r.cost),
      uncosted: num(r.uncosted),
    }));
  }

  async function links(from: Date, to: Date, offset: number): Promise<LinkDay[]> {
    const day = sql.day('first', offset);
    const rows = await query(
      `SELECT ${day} AS day, COUNT(*) AS links, SUM(CASE WHEN o."paidAt" IS NOT NULL THEN 1 ELSE 0 END) AS paid
      FROM (SELECT e."orderId" AS oid, MIN(e."createdAt") AS "first" FROM "OrderEvent" e
        WHERE e."kind" = 'checkout_created' AND ${between('e."createdAt"')} GROUP BY e."orderId") x
      JOIN "Order" o ON o."id" = x.oid GROUP BY ${day}`,
      from,
      to,
    );
    return rows.map((r) => ({ day: num(r.day), links: num(r.links), paid: num(r.paid) }));
  }

  async function newTravellers(from: Date, to: Date, offset: number) {
    const day = sql.day('first', offset);
    const rows = await query(
      `SELECT ${day} AS day, COUNT(*) AS n
      FROM (SELECT "userId", MIN("verifiedAt") AS "first" FROM "Line" GROUP BY "userId") x
      WHERE ${between('x."first"')} GROUP BY ${day}`,
      from,
      to,
    );
    return rows.map((r) => ({ day: num(r.day), n: num(r.n) }));
  }

  const activeTravellers = async (from: Date, to: Date) =>
    num(
      (await query(`SELECT COUNT(DISTINCT "userId") AS n FROM "Order" WHERE ${between('"paidAt"')}`, from, to))[0]?.n,
    );

  return {
    /** The last `days` local days in `timeZone` (today included) against the `days` before them. */
    async get(days: ReportDays, timeZone: string): Promise<Report> {
      const at = deps.now();
      const offset = offsetMs(at, timeZone);
      const today = dayNumber(at, offset);
      const { current, previous } = reportPeriods(today, days);
      const from = dayStart(previous.first, offset);
      const middle = dayStart(current.first, offset);
      const to = dayStart(today + 1, offset);
      const [moneyDays, linkDays, newDays, activeNow, activeBefore] = await Promise.all([
        money(from, to, offset),
        links(from, to, offset),
        newTravellers(from, to, offset),
        activeTravellers(middle, to),
        activeTravellers(from, middle),
      ]);
      return buildReport({
        today,
        days,
        money: moneyDays,
        links: linkDays,
        newTravellers: newDays,
        activeTravellers: { current: activeNow, previous: activeBefore },
      });
    },
  };
}

export type ConsoleReports = ReturnType<typeof createConsoleReports>;
