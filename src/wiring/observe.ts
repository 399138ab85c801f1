import type { Database } from '../adapters/db/client.js';
import type { Logger } from '../logger.js';
import { createMetrics } from '../observe/metrics.js';
import { createOrderStepLog } from '../observe/order-steps.js';
import { watchOrderSteps } from '../services/order-timeline.js';
import { createRepeatedLog } from '../observe/repeated.js';
import { createTelegramHealth, observeTelegramCalls } from '../observe/telegram-calls.js';

/** Metrics, Telegram's health for /readyz, and the one-line-per-interval log of repeated failures. */
export function createObservability(database: Database, logger: Logger) {
  const metrics = createMetrics(database.db);
  const health = createTelegramHealth();
  const failed = createRepeatedLog(logger);
  const unwatch = watchOrderSteps(createOrderStepLog(logger, metrics));
  return {
    /** Stops following order steps (the app stopped). */
    close: unwatch,
    metrics,
    health,
    failed,
    /** A grammY API transformer for one Bot API client. */
    telegramCalls: (options: { outbox?: boolean } = {}) =>
      observeTelegramCalls({ logger, failed, metrics, health, ...options }),
  };
}

export type Observability = ReturnType<typeof createObservability>;
