import type { Logger } from '../../logger.js';
import type { StarBalanceSource } from '../ports/star-balance.js';

/** The balance as last read, or `null` when Telegram could not be reached. */
export type StarBalanceReading = { stars: number; readAt: Date } | null;

/**
 * The Stars balance for the console's money pages. A reading (or a failure to read) is kept for
 * `ttlMs`, so a page loaded by several operators, or reloaded, asks Telegram at most once a minute.
 */
export function createStarBalance(deps: {
  source: StarBalanceSource;
  logger: Logger;
  now: () => Date;
  ttlMs?: number;
}) {
  const ttlMs = deps.ttlMs ?? 60_000;
  let cached: { reading: StarBalanceReading; until: number } | null = null;
  // Concurrent page loads share one request rather than each asking Telegram.
  let inFlight: Promise<StarBalanceReading> | null = null;

  async function read(): Promise<StarBalanceReading> {
    const at = deps.now();
    try {
      const { amount, nanostarAmount } = await deps.source.starBalance();
      return { stars: amount + nanostarAmount / 1e9, readAt: at };
    } catch (error) {
      deps.logger.warn({ err: error }, 'Telegram Stars balance could not be read');
      return null;
    }
  }

  return {
    async get(): Promise<StarBalanceReading> {
      if (cached && deps.now().getTime() < cached.until) return cached.reading;
      inFlight ??= read().then((reading) => {
        cached = { reading, until: deps.now().getTime() + ttlMs };
        inFlight = null;
        return reading;
      });
      return inFlight;
    },
  };
}

export type StarBalanceService = ReturnType<typeof createStarBalance>;
