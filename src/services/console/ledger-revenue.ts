import type { Db } from '../../adapters/db/client.js';
import type { DatabaseProvider } from '../../adapters/db/provider.js';
import { sqlDialect, toBucketed, type Bucketed } from './day-buckets.js';

/**
 * Revenue per local day and currency, from the ledger: each order's money (its payments less its
 * refunds and disputes, in the currency the processor reported) counts on the day the order was
 * paid, so a refund today of last week's order lowers last week's figure, as counting afresh would.
 */
export function createLedgerRevenue(db: Db, provider: DatabaseProvider) {
  const sql = sqlDialect(provider);
  return async function revenue(since: Date, offset: number): Promise<Bucketed[]> {
    const day = sql.day('paidAt', offset);
    const text = `SELECT ${day} AS day, l."currency" AS currency, COUNT(*) AS n, SUM(l."amountMinor") AS sum
      FROM "LedgerEntry" l JOIN "Order" o ON o."id" = l."orderId"
      WHERE o."paidAt" >= ${sql.placeholder(1, 'timestamp')} GROUP BY ${day}, l."currency"`;
    return toBucketed(await db.$queryRawUnsafe<Array<Record<string, unknown>>>(text, sql.instant(since)));
  };
}
