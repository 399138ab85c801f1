/**
 * Figures a partner sends are checked where they enter Kuota: a number in its range, never a
 * string that looks like one, so nothing downstream shows "-2,048 MB" or starts a charge on it.
 */
export class PartnerDataError extends Error {
  constructor(
    /** The partner's own name for the field, so a refusal names it. */
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

/** Usage above 10 TB on one eSIM is junk, not a plan. */
export const MAX_DATA_MB = 10 * 1024 * 1024;

export function figure(value: unknown, field: string, range: { min: number; max: number; integer?: boolean }): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new PartnerDataError(field, `expected a number, got ${value === null ? 'null' : typeof value}`);
  if (value < range.min || value > range.max)
    throw new PartnerDataError(field, `${value} is outside ${range.min}–${range.max}`);
  if (range.integer && !Number.isInteger(value)) throw new PartnerDataError(field, `${value} is not a whole number`);
  return value;
}
