import { createHash } from 'node:crypto';
import type { LowDataNotification } from '../adapters/provider/airalo.js';
import { isUniqueViolation } from './db-errors.js';
import type { ServiceDeps } from './deps.js';
import type { UsageService } from './usage.js';

export type EsimWebhookOutcome = 'bad_signature' | 'applied' | 'duplicate' | 'unknown_line';

/** What each level says about the data used, for when the usage report lags behind the push. */
const USED_BY_LEVEL: Record<string, number | null> = { '75%': 75, '90%': 90, '3days': null, '1days': null };

/**
 * An eSIM partner's signed notifications (low data at 75% / 90% used; 3 days / 1 day before
 * expiry). The body's hash is the event id: a replayed notification is recorded once and changes
 * nothing. Expiry levels refresh the line's report; the expiry reminders speak for them.
 */
export function createEsimWebhookService(
  deps: Pick<ServiceDeps, 'db' | 'logger'> & {
    usage: UsageService;
    verify: (rawBody: Buffer, signature: unknown) => LowDataNotification | null;
  },
) {
  const { db, logger, usage } = deps;
  return {
    async handle(rawBody: Buffer, signature: unknown): Promise<EsimWebhookOutcome> {
      const notification = deps.verify(rawBody, signature);
      if (!notification) return 'bad_signature';
      const eventId = createHash('sha256').update(rawBody).digest('hex');
      try {
        await db.processedEvent.create({ data: { source: 'esim', eventId } });
      } catch (error) {
        if (isUniqueViolation(error)) return 'duplicate';
        throw error;
      }
      const pushed =
        notification.remainingPercentage !== null
          ? 100 - notification.remainingPercentage
          : (USED_BY_LEVEL[notification.level] ?? null);
      const used = notification.level.endsWith('%') ? pushed : null;
      const result = await usage.onLowDataPush(notification.iccid, used);
      logger.info({ level: notification.level, ...result }, 'eSIM notification');
      return result.lines ? 'applied' : 'unknown_line';
    },
  };
}

export type EsimWebhookService = ReturnType<typeof createEsimWebhookService>;
