import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Db } from '../adapters/db/client.js';
import { ClockedPrismaRateLimiter } from '../adapters/db/rate-limit-store.js';

/** How many one-time codes may be sent and guessed; every code costs the operator an SMS. */
export type CodeLimitSettings = {
  /** Wrong codes for one number (whoever types them) before it is locked. */
  wrongCodes: number;
  lockMinutes: number;
  /** Seconds between two codes to the same number; 0 turns the cooldown off. */
  resendSeconds: number;
  codesPerNumberPerDay: number;
  codesPerTravellerPerDay: number;
  numbersPerTravellerPerDay: number;
};

export const DEFAULT_CODE_LIMITS: CodeLimitSettings = {
  wrongCodes: 5,
  lockMinutes: 15,
  resendSeconds: 60,
  codesPerNumberPerDay: 5,
  codesPerTravellerPerDay: 10,
  numbersPerTravellerPerDay: 5,
};

export type CodeRefusal = {
  reason: 'locked' | 'cooldown' | 'number_daily' | 'traveller_daily' | 'numbers_daily';
  until: Date;
};

const DAY_SECONDS = 24 * 3600;

/**
 * The limits around one-time codes, kept in the database so that they hold across /cancel,
 * restarts and instances. Checked before a code is sent; counted when it is.
 */
export function createCodeLimits(deps: { db: Db; now: () => Date; settings?: CodeLimitSettings }) {
  const { db, now } = deps;
  const s = deps.settings ?? DEFAULT_CODE_LIMITS;
  const limiter = (keyPrefix: string, points: number, duration: number) =>
    new ClockedPrismaRateLimiter(db, now, { keyPrefix, points, duration });
  const wrong = limiter('otp-wrong', s.wrongCodes, DAY_SECONDS);
  const cooldown = s.resendSeconds > 0 ? limiter('otp-resend', 1, s.resendSeconds) : null;
  const perNumber = limiter('otp-number-day', s.codesPerNumberPerDay, DAY_SECONDS);
  const perTraveller = limiter('otp-traveller-day', s.codesPerTravellerPerDay, DAY_SECONDS);
  const numbers = limiter('otp-numbers-day', s.numbersPerTravellerPerDay, DAY_SECONDS);
  // One row per traveller and number tried today: whether a number counts as another one.
  const tried = limiter('otp-tried', 1, DAY_SECONDS);
  // Claim codes are guessed by a traveller, not sent to a number: wrong ones count against the traveller.
  const wrongClaims = limiter('claim-wrong', s.wrongCodes, DAY_SECONDS);

  const until = (res: RateLimiterRes) => new Date(now().getTime() + Math.max(res.msBeforeNext, 1000));
  const spent = (res: RateLimiterRes | null, points: number) => res !== null && res.consumedPoints >= points;
  const pair = (userId: string, identifier: string) => `${userId}:${identifier}`;

  return {
    /** When the number is locked after wrong codes, or null. */
    async lockedUntil(identifier: string): Promise<Date | null> {
      const res = await wrong.get(identifier);
      return spent(res, s.wrongCodes) ? until(res!) : null;
    },

    /** Whether a code may be sent now; the first limit that says no, with when it lifts. */
    async checkSend(userId: string, identifier: string): Promise<CodeRefusal | null> {
      const locked = await this.lockedUntil(identifier);
      if (locked) return { reason: 'locked', until: locked };
      const [wait, number, traveller, isTried, count] = await Promise.all([
        cooldown?.get(identifier) ?? null,
        perNumber.get(identifier),
        perTraveller.get(userId),
        tried.get(pair(userId, identifier)),
        numbers.get(userId),
      ]);
      if (spent(wait, 1)) return { reason: 'cooldown', until: until(wait!) };
      if (spent(number, s.codesPerNumberPerDay)) return { reason: 'number_daily', until: until(number!) };
      if (spent(traveller, s.codesPerTravellerPerDay)) return { reason: 'traveller_daily', until: until(traveller!) };
      if (!isTried && spent(count, s.numbersPerTravellerPerDay))
        return { reason: 'numbers_daily', until: until(count!) };
      return null;
    },

    /** Counts a code about to be sent; a refusal when another request took the last one meanwhile. */
    async recordSend(userId: string, identifier: string): Promise<CodeRefusal | null> {
      const take = async (
        reason: CodeRefusal['reason'],
        l: ClockedPrismaRateLimiter,
        key: string,
      ): Promise<CodeRefusal | null> => {
        try {
          await l.consume(key);
          return null;
        } catch (res) {
          if (res instanceof RateLimiterRes) return { reason, until: until(res) };
          throw res;
        }
      };
      if (!(await tried.get(pair(userId, identifier)))) {
        const refused = await take('numbers_daily', numbers, userId);
        if (refused) return refused;
        await tried.consume(pair(userId, identifier)).catch(() => undefined);
      }
      return (
        (cooldown && (await take('cooldown', cooldown, identifier))) ||
        (await take('number_daily', perNumber, identifier)) ||
        take('traveller_daily', perTraveller, userId)
      );
    },

    /** Counts a wrong code against the number: the tries left, or when the lock lifts. */
    async wrongCode(identifier: string): Promise<{ triesLeft: number } | { lockedUntil: Date }> {
      const res = await wrong.penalty(identifier, 1);
      if (res.remainingPoints > 0) return { triesLeft: res.remainingPoints };
      await wrong.block(identifier, s.lockMinutes * 60);
      return { lockedUntil: new Date(now().getTime() + s.lockMinutes * 60_000) };
    },

    /** When the traveller may try a claim code again after too many wrong ones, or null. */
    async claimLockedUntil(userId: string): Promise<Date | null> {
      const res = await wrongClaims.get(userId);
      return spent(res, s.wrongCodes) ? until(res!) : null;
    },

    /** Counts a wrong claim code against the traveller, as wrong one-time codes count against a number. */
    async wrongClaim(userId: string): Promise<{ triesLeft: number } | { lockedUntil: Date }> {
      const res = await wrongClaims.penalty(userId, 1);
      if (res.remainingPoints > 0) return { triesLeft: res.remainingPoints };
      await wrongClaims.block(userId, s.lockMinutes * 60);
      return { lockedUntil: new Date(now().getTime() + s.lockMinutes * 60_000) };
    },

    /** A right code clears the wrong ones. */
    async rightCode(identifier: string): Promise<void> {
      await wrong.delete(identifier);
    },
  };
}

export type CodeLimits = ReturnType<typeof createCodeLimits>;
