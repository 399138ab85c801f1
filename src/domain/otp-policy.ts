/** How long a one-time code lives (how many may be sent and guessed: services/code-limits.ts). */
export const OTP_POLICY = { validMs: 5 * 60 * 1000, length: 6 } as const;

export type OtpState = { expiresAt: Date; verifiedAt: Date | null };

export type OtpCheck = 'ok' | 'expired' | 'already_used';

export function canTryCode(state: OtpState, now: Date): OtpCheck {
  if (state.verifiedAt) return 'already_used';
  if (state.expiresAt <= now) return 'expired';
  return 'ok';
}

export function looksLikeCode(input: string): string | null {
  const digits = input.replace(/\s/g, '');
  return new RegExp(`^\\d{${OTP_POLICY.length}}$`).test(digits) ? digits : null;
}
