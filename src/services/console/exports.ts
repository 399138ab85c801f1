import type { Db } from '../../adapters/db/client.js';
import { csvRecord, decimalAmount } from '../../domain/csv.js';
import { orderNumber } from '../../domain/order-state.js';
import { audit } from '../audit.js';
import { afterPageEnd, type PageEnd } from './keyset.js';
import type { createConsoleOrders, OrderFilter } from './orders.js';

const LEDGER_PAGE = 1000;

/**
 * CSV files for the accountant, produced a page at a time: the caller streams each chunk out as it
 * comes, so a million rows never sit in memory. Each export is audited (it takes data out of Kuota).
 */
export function createConsoleExports(deps: { db: Db; orders: ReturnType<typeof createConsoleOrders> }) {
  const { db, orders } = deps;
  return {
    /** The orders the filter matches (as the orders page shows them), newest first. */
    async *orders(operatorId: number, filter: Omit<OrderFilter, 'cursor'>): AsyncGenerator<string> {
      await audit(db, {
        actorId: operatorId,
        action: 'console.export',
        after: { file: 'orders', ...filterText(filter) },
      });
      yield csvRecord([
        'order',
        'created_at',
        'paid_at',
        'state',
        'source',
        'plan',
        'line',
        'telegram_id',
        'amount',
        'currency',
      ]);
      for await (const page of orders.all(filter))
        yield page
          .map((o) =>
            csvRecord([
              o.orderNumber,
              o.createdAt,
              o.paidAt,
              o.state,
              o.source,
              o.plan,
              o.line,
              o.telegramId,
              decimalAmount(o.price),
              o.price.currency,
            ]),
          )
          .join('');
    },

    /** Every movement of money, oldest first: payments, refunds, disputes, signed as they moved. */
    async *ledger(operatorId: number, size = LEDGER_PAGE): AsyncGenerator<string> {
      await audit(db, { actorId: operatorId, action: 'console.export', after: { file: 'ledger' } });
      yield csvRecord(['occurred_at', 'processor', 'kind', 'method', 'external_id', 'order', 'amount', 'currency']);
      let last: PageEnd | undefined;
      for (;;) {
        const page = await db.ledgerEntry.findMany({
          where: { AND: afterPageEnd('occurredAt', last, 'asc') },
          orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
          take: size,
        });
        yield page
          .map((e) =>
            csvRecord([
              e.occurredAt.toISOString(),
              e.processor,
              e.kind,
              e.method,
              e.externalId,
              e.orderId ? orderNumber(e.orderId) : null,
              decimalAmount({ amountMinor: e.amountMinor, currency: e.currency }),
              e.currency,
            ]),
          )
          .join('');
        if (page.length < size) return;
        last = { at: page.at(-1)!.occurredAt, id: page.at(-1)!.id };
      }
    },
  };
}

/** The filter as the audit log keeps it: what was asked for, in plain values. */
function filterText(filter: Omit<OrderFilter, 'cursor'>) {
  return Object.fromEntries(
    Object.entries({
      q: filter.q,
      state: filter.state,
      from: filter.from?.toISOString(),
      to: filter.to?.toISOString(),
    }).filter(([, v]) => v),
  );
}
