import type { Logger } from '../logger.js';

/**
 * Repeated failures of one kind (Telegram unreachable, the database down) as one line per interval:
 * the first is logged at once, the rest are counted and their number rides on the next line.
 */
export function createRepeatedLog(logger: Logger, intervalMs = 60_000) {
  const kinds = new Map<string, { at: number; held: number }>();
  return function failed(kind: string, fields: Record<string, unknown>, message: string): void {
    const now = Date.now();
    const seen = kinds.get(kind);
    if (seen && now - seen.at < intervalMs) {
      seen.held++;
      return;
    }
    logger.error({ ...fields, kind, ...(seen ? { repeated: seen.held, sinceMs: now - seen.at } : {}) }, message);
    kinds.set(kind, { at: now, held: 0 });
  };
}

export type RepeatedLog = ReturnType<typeof createRepeatedLog>;
