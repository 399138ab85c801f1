import type { Transformer } from 'grammy';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';
import type { RepeatedLog } from './repeated.js';

/** When Telegram last answered, for /readyz. */
export function createTelegramHealth(now: () => number = Date.now) {
  let lastOk: number | null = null;
  let lastFailed: number | null = null;
  return {
    ok: () => void (lastOk = now()),
    failed: () => void (lastFailed = now()),
    /** The last call went through, or one did within `maxAgeMs`. */
    ready(maxAgeMs: number): boolean {
      if (lastOk === null) return false;
      return lastFailed === null || lastFailed < lastOk || now() - lastOk <= maxAgeMs;
    },
  };
}

export type TelegramHealth = ReturnType<typeof createTelegramHealth>;

/**
 * Watches every Bot API call of one client: counts it (and 429s), marks Telegram as answering, logs
 * it at debug (method and outcome; no payload, which holds travellers' messages), and logs a failed
 * getUpdates (the runner is silent) as one line per interval. The token stays in grammY's URL.
 */
export function observeTelegramCalls(deps: {
  logger: Logger;
  failed: RepeatedLog;
  metrics: Metrics;
  health: TelegramHealth;
  /** Counts successful sends as outbox deliveries (the outbox's own client). */
  outbox?: boolean;
}): Transformer {
  const { logger, metrics, health } = deps;
  return async (prev, method, payload, signal) => {
    const started = performance.now();
    try {
      const answer = await prev(method, payload, signal);
      const result = answer.ok ? 'ok' : String(answer.error_code);
      metrics.botApiCalls.inc({ method, result });
      if (!answer.ok && answer.error_code === 429) metrics.botApi429.inc();
      if (answer.ok && deps.outbox && method.startsWith('send')) metrics.outboxSent.inc();
      // A 4xx is Telegram answering (about a chat, a message); only 5xx and no answer say it is down.
      if (answer.ok || answer.error_code < 500) health.ok();
      else health.failed();
      if (!answer.ok && method === 'getUpdates' && answer.error_code !== 409)
        deps.failed(
          'telegram:getUpdates',
          { status: answer.error_code, description: answer.description },
          'Telegram refused getUpdates; retrying',
        );
      logger.debug({ method, result, ms: Math.round(performance.now() - started) }, 'Bot API call');
      return answer;
    } catch (error) {
      if (signal?.aborted) throw error;
      metrics.botApiCalls.inc({ method, result: 'network' });
      health.failed();
      if (method === 'getUpdates')
        deps.failed('telegram:getUpdates', { err: error }, 'Telegram unreachable (getUpdates); retrying');
      logger.debug({ method, result: 'network', ms: Math.round(performance.now() - started) }, 'Bot API call');
      throw error;
    }
  };
}
