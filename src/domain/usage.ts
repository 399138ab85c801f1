/** Data usage as an eSIM partner reports it, and when it is worth a warning. */

export type UsageFigures = { remainingMb: number | null; totalMb: number | null; unlimited: boolean };

/** Percent of the plan's data used (0–100), or null when the provider gave no amounts. */
export function usedPercent(u: UsageFigures): number | null {
  if (u.unlimited || u.remainingMb === null || u.totalMb === null || u.totalMb <= 0) return null;
  return Math.min(100, Math.max(0, ((u.totalMb - u.remainingMb) / u.totalMb) * 100));
}

/** The highest warning threshold (percent used) reached, or null. */
export function crossedThreshold(used: number | null, thresholds: number[]): number | null {
  if (used === null) return null;
  const reached = thresholds.filter((t) => used >= t);
  return reached.length ? Math.max(...reached) : null;
}

/** One warning per line, per plan period (its expiry), per threshold. */
export function lowDataKey(lineId: string, expiresAt: Date | null, threshold: number): string {
  return `lowdata:${lineId}:${expiresAt?.getTime() ?? 'open'}:${threshold}`;
}

export type ValidityWarning = 'no_days_left' | 'no_extension' | null;

/**
 * What the traveller should know about validity before paying: the line has no days left (the
 * new plan starts from scratch), or the provider already runs the line past what the new plan gives.
 */
export function validityWarning(currentExpiresAt: Date | null, newExpiresAt: Date, now: Date): ValidityWarning {
  if (!currentExpiresAt) return null;
  if (currentExpiresAt <= now) return 'no_days_left';
  if (newExpiresAt <= currentExpiresAt) return 'no_extension';
  return null;
}
