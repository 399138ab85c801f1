import { createHash } from 'node:crypto';
import type { PartnerNotification } from '../../adapters/provider/airalo.js';
import { isUniqueViolation } from '../db-errors.js';
import type { ServiceDeps } from '../deps.js';
import type { Tx } from '../../adapters/db/client.js';
import type { UsageService } from '../usage/usage.js';

export type EsimWebhookOutcome =
  | { outcome: 'bad_signature' }
  | { outcome: 'invalid'; field: string }
  | { outcome: 'applied' | 'duplicate' | 'unknown_line' | 'unknown_level' | 'credit_limit' };

/** What each level says about the data used, for when the usage report lags behind the push. */
const USED_BY_LEVEL: Record<string, number | null> = { '75%': 75, '90%': 90, '3days': null, '1days': null };

const sha256 = (text: Buffer | string) => createHash('sha256').update(text).digest('hex');

/**
 * An eSIM partner's signed notifications: low data (75% / 90% used), expiry (3 days / 1 day) and
 * the partner's credit limit. Exactly once: the event id (the body's hash and the plan period, so
 * the next period's identical warning is new) is recorded in the same transaction as the warning
 * it queues, so a failure leaves it unrecorded and the partner's retry applies it. A level Kuota
 * does not know is stored and answered, with a warning in the log naming it.
 */
export function createEsimWebhookService(
  deps: Pick<ServiceDeps, 'db' | 'logger' | 'now'> & {
    usage: UsageService;
    verify: (rawBody: Buffer, signature: unknown) => PartnerNotification;
    /** The partner's credit passed a limit: the operators are told, in the same transaction. */
    onCreditLimit?: (tx: Tx, notice: { message: string; remaining: number }) => Promise<void>;
  },
) {
  const { db, logger, usage, now } = deps;

  /** Records the event; false when it was recorded before (a replay). */
  const record = async (tx: Tx, eventId: string) => {
    const seen = await tx.processedEvent.findUnique({ where: { source_eventId: { source: 'esim', eventId } } });
    if (seen) return false;
    await tx.processedEvent.create({ data: { source: 'esim', eventId } });
    return true;
  };

  /** A concurrent delivery of the same event may win the insert: that is a duplicate, not a failure. */
  const once = async <T>(work: () => Promise<T>): Promise<T | 'duplicate'> => {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error)) return 'duplicate';
      throw error;
    }
  };

  return {
    async handle(rawBody: Buffer, signature: unknown): Promise<EsimWebhookOutcome> {
      const notification = deps.verify(rawBody, signature);
      if (notification.kind === 'bad_signature') return { outcome: 'bad_signature' };
      if (notification.kind === 'invalid') {
        logger.warn({ field: notification.field, detail: notification.detail }, 'eSIM notification refused');
        return { outcome: 'invalid', field: notification.field };
      }
      const bodyHash = sha256(rawBody);

      if (notification.kind === 'credit_limit') {
        // The same words on another day are a new crossing.
        const eventId = `credit:${bodyHash}:${now().toISOString().slice(0, 10)}`;
        const result = await once(() =>
          db.$transaction(async (tx) => {
            if (!(await record(tx, eventId))) return 'duplicate' as const;
            await deps.onCreditLimit?.(tx, notification);
            return 'credit_limit' as const;
          }),
        );
        logger.warn({ message: notification.message, remaining: notification.remaining }, 'partner credit limit');
        return { outcome: result };
      }

      const { level, known, iccid } = notification;
      if (!known)
        logger.warn({ level, iccid: `…${iccid.slice(-4)}` }, `eSIM notification with an unknown level: ${level}`);
      const pushed =
        notification.remainingPercentage !== null
          ? 100 - notification.remainingPercentage
          : (USED_BY_LEVEL[level] ?? null);
      const used = level.endsWith('%') ? pushed : null;
      const result = await once(() =>
        usage.onLowDataPush(iccid, used, {
          // The line's plan period joins the body: the same warning in the next period is new.
          eventFor: (period) => `low:${bodyHash}:${period?.getTime() ?? 'open'}`,
          record,
        }),
      );
      if (result === 'duplicate' || result.duplicate) return { outcome: 'duplicate' };
      logger.info({ level, lines: result.lines, warned: result.warned }, 'eSIM notification');
      if (!known) return { outcome: 'unknown_level' };
      return { outcome: result.lines ? 'applied' : 'unknown_line' };
    },
  };
}

export type EsimWebhookService = ReturnType<typeof createEsimWebhookService>;
