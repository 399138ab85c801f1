import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../adapters/db/client.js';

/**
 * Kuota's Prometheus metrics, in a registry of its own (tests run several apps in one process).
 * Counters move as things happen; gauges (orders by state, outbox depth, provider balance, open
 * reconciliation issues) are read from the database when Prometheus scrapes.
 */
export function createMetrics(db: Db) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kuota_' });
  const registers = [registry];
  return {
    registry,
    updates: new Histogram({
      name: 'kuota_updates_seconds',
      help: 'Telegram updates handled, by kind, and how long each took',
      labelNames: ['kind', 'result'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    botApiCalls: new Counter({
      name: 'kuota_bot_api_calls_total',
      help: 'Bot API calls, by method and outcome (ok, an error code, or network)',
      labelNames: ['method', 'result'],
      registers,
    }),
    botApi429: new Counter({
      name: 'kuota_bot_api_429_total',
      help: 'Bot API calls Telegram answered 429 (too many requests)',
      registers,
    }),
    outboxSent: new Counter({
      name: 'kuota_outbox_sent_total',
      help: 'Messages the outbox delivered to Telegram',
      registers,
    }),
    topUps: new Histogram({
      name: 'kuota_topups_seconds',
      help: 'Top-up results from the provider (success, pending, failed), and the time from payment to the result',
      labelNames: ['result'],
      buckets: [1, 5, 15, 60, 300, 900, 3600],
      registers,
    }),
    payments: new Counter({
      name: 'kuota_payments_total',
      help: 'Orders paid, by method (card, alipay, wechat_pay, off_session, stars)',
      labelNames: ['method'],
      registers,
    }),
    refunds: new Counter({
      name: 'kuota_refunds_total',
      help: 'Orders refunded, by method (stripe, stars)',
      labelNames: ['method'],
      registers,
    }),
    orderSteps: new Counter({
      name: 'kuota_order_steps_total',
      help: 'Steps of orders (drafted, checkout_created, paid, topup_requested, topup_result, refunded, receipt_sent)',
      labelNames: ['step'],
      registers,
    }),
    gauges: [
      new Gauge({
        name: 'kuota_orders',
        help: 'Orders by state',
        labelNames: ['state'],
        registers,
        async collect() {
          this.reset();
          for (const row of await db.order.groupBy({ by: ['state'], _count: { _all: true } }))
            this.set({ state: row.state }, row._count._all);
        },
      }),
      new Gauge({
        name: 'kuota_outbox_depth',
        help: 'Outbox messages waiting to be sent',
        registers,
        async collect() {
          this.set(await db.outboxMessage.count({ where: { state: { in: ['pending', 'sending'] } } }));
        },
      }),
      new Gauge({
        name: 'kuota_provider_balance',
        help: "The provider's deposit at its last reading, in minor units of its currency",
        labelNames: ['provider', 'currency'],
        registers,
        async collect() {
          this.reset();
          for (const row of await db.providerBalance.findMany())
            this.set({ provider: row.provider, currency: row.currency }, row.balanceMinor);
        },
      }),
      new Gauge({
        name: 'kuota_reconciliation_open',
        help: 'Reconciliation mismatches between the ledger and the processors not yet resolved',
        registers,
        async collect() {
          this.set(await db.reconciliationIssue.count({ where: { state: 'open' } }));
        },
      }),
    ],
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
