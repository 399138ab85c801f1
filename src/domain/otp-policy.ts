/** How long a one-time code lives and how many guesses it takes before the line is locked. */
export const OTP_POLICY = { validMs: 5 * 60 * 1000, maxAttempts: 5, lockMs: 15 * 60 * 1000, length: 6 } as const;

export type OtpState = { expiresAt: Date; attempts: number; lockedUntil: Date | null; verifiedAt: Date | null };

export type OtpCheck = 'ok' | 'locked' | 'expired' | 'already_used';

export function canTryCode(state: OtpState, now: Date): OtpCheck {
  if (state.lockedUntil && state.lockedUntil > now) return 'locked';
  if (state.verifiedAt) return 'already_used';
  if (state.expiresAt <= now) return 'expired';
  return 'ok';
}

/** After a wrong code: the new attempt count and, at the limit, when the lock ends. */
export function afterWrongCode(state: OtpState, now: Date): { attempts: number; lockedUntil: Date | null; triesLeft: number } {
  const attempts = state.attempts + 1;
  if (attempts >= OTP_POLICY.maxAttempts) return { attempts, lockedUntil: new Date(now.getTime() + OTP_POLICY.lockMs), triesLeft: 0 };
  return { attempts, lockedUntil: null, triesLeft: OTP_POLICY.maxAttempts - attempts };
}

export function looksLikeCode(input: string): string | null {
  const digits = input.replace(/\s/g, '');
  return new RegExp(`^\\d{${OTP_POLICY.length}}$`).test(digits) ? digits : null;
}
