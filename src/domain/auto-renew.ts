import { dateTimeFormat } from './intl-formats.js';
import { currencyExponent } from './money.js';

/** A line's auto-renew: waiting for a card, renewing, paused by the traveller, or switched off. */
export const AUTO_RENEW_STATES = ['pending_card', 'active', 'paused', 'off'] as const;
export type AutoRenewState = (typeof AUTO_RENEW_STATES)[number];

export const TRIGGERS = ['before_expiry', 'low_data'] as const;
export type Trigger = (typeof TRIGGERS)[number];

/**
 * One expiry period's charge:
 *   charging         an off-session attempt is under way (or was, when an instance died)
 *   succeeded        the card was charged; the order is paid and goes to the provider
 *   over_cap         charging would pass the monthly cap; the traveller got a Pay button instead
 *   action_required  the bank declined or asked for authentication; retried off-session later
 *   on_session       the traveller chose to pay through the link; no more off-session attempts
 *   gave_up          as many attempts as configured failed
 *   superseded       the line was renewed some other way, or auto-renew was switched off
 */
export const CHARGE_STATES = [
  'charging',
  'succeeded',
  'over_cap',
  'action_required',
  'on_session',
  'gave_up',
  'superseded',
] as const;
export type ChargeState = (typeof CHARGE_STATES)[number];

/** States whose money counts against the cap: taken, or possibly being taken right now. */
export const SPENDING_STATES: ChargeState[] = ['charging', 'succeeded'];
/** A charge still to be tried (or under way), which a budget, a switch-off or another payment can stop. */
export const RETRYABLE_CHARGE_STATES: ChargeState[] = ['charging', 'action_required'];

/** An expiry no older than this is still renewed: the number usually survives a day past expiry. */
export const LATE_RENEWAL_MS = 86_400_000;

/** The key that makes a period's charge unique: one line, one expiry. */
export function periodKey(lineId: string, expiresAt: Date): string {
  return `${lineId}:${expiresAt.getTime()}`;
}

/** Stripe's idempotency key for one attempt at one period's charge. */
export function chargeIdempotencyKey(lineId: string, expiresAt: Date, attempt: number): string {
  return `autorenew-${lineId}-${expiresAt.getTime()}-${attempt}`;
}

/** The calendar month ("2026-11") in the traveller's timezone: the cap resets when theirs does. */
export function monthOf(at: Date, timeZone: string): string {
  const parts = dateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(at);
  return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
}

export function previousMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

/** The first instant of a month, for formatting its name (mid-month, so no timezone tips it over). */
export function monthDate(month: string): Date {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m - 1, 15));
}

export function withinCap(spentMinor: number, priceMinor: number, capMinor: number): boolean {
  return spentMinor + priceMinor <= capMinor;
}

/**
 * Whether a line's plan should be renewed now: inside the lead time before expiry, or (when the
 * traveller chose it and the provider reports usage) once the data left falls to the threshold.
 * An expiry long past is left alone: the number may already be gone.
 */
export function isDue(input: {
  expiresAt: Date;
  now: Date;
  leadMs: number;
  trigger: Trigger;
  lowDataMb: number | null;
  remainingMb: number | null;
}): boolean {
  const left = input.expiresAt.getTime() - input.now.getTime();
  if (left < -LATE_RENEWAL_MS) return false;
  if (left <= input.leadMs) return true;
  return (
    input.trigger === 'low_data' &&
    input.lowDataMb !== null &&
    input.remainingMb !== null &&
    input.remainingMb <= input.lowDataMb
  );
}

/** The next off-session attempt: after the retry interval, but early enough to beat the expiry when possible. */
export function nextAttemptAt(now: Date, expiresAt: Date, retryMs: number): Date {
  const regular = now.getTime() + retryMs;
  const beforeExpiry = expiresAt.getTime() - 30 * 60_000;
  return new Date(beforeExpiry > now.getTime() && beforeExpiry < regular ? beforeExpiry : regular);
}

/** What a refused off-session charge means for the traveller. */
export type DeclineKind = 'authentication_required' | 'declined';

export type CapInput =
  { ok: true; amountMinor: number } | { ok: false; reason: 'not_a_number' | 'below_price' | 'too_high' };

const MULTIPLIERS: Record<string, number> = {
  k: 1e3,
  rb: 1e3,
  ribu: 1e3,
  千: 1e3,
  万: 1e4,
  萬: 1e4,
  jt: 1e6,
  juta: 1e6,
  m: 1e6,
};
/** A cap above this many renewals is almost certainly a typo (an extra zero or two). */
export const MAX_RENEWALS_PER_CAP = 60;

/**
 * A monthly cap as travellers type it: "150000", "150.000", "Rp 150,000", "150rb", "1,5 jt",
 * "15万", full-width digits. The cap must cover at least one renewal.
 */
export function parseCap(text: string, currency: string, priceMinor: number): CapInput {
  const cleaned = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u00a0\u202f']/g, '')
    .replace(/^(rp|idr|usd|us\$|\$|sgd|s\$|rm|myr|€|eur|¥|円|元)+/, '')
    .replace(/(rp|idr|usd|sgd|myr|eur|円|元)+$/, '');
  const m = /^(\d+(?:[.,]\d+)*)(k|rb|ribu|jt|juta|m|千|万|萬)?$/.exec(cleaned);
  if (!m) return { ok: false, reason: 'not_a_number' };
  const [, digits, suffix] = m as unknown as [string, string, string | undefined];
  const exponent = currencyExponent(currency);
  const value = suffix ? toNumber(digits, 2) * MULTIPLIERS[suffix]! : toNumber(digits, exponent);
  if (!Number.isFinite(value) || value <= 0) return { ok: false, reason: 'not_a_number' };
  return checkCap(Math.round(value * 10 ** exponent), priceMinor);
}

/** A cap in minor units (typed, or from a button that may be older than the plan's price) against the price. */
export function checkCap(amountMinor: number, priceMinor: number): CapInput {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) return { ok: false, reason: 'not_a_number' };
  if (amountMinor < priceMinor) return { ok: false, reason: 'below_price' };
  if (amountMinor > priceMinor * MAX_RENEWALS_PER_CAP) return { ok: false, reason: 'too_high' };
  return { ok: true, amountMinor };
}

/** A last separator followed by at most `decimals` digits is the decimal point; the others group thousands. */
function toNumber(digits: string, decimals: number): number {
  const last = Math.max(digits.lastIndexOf('.'), digits.lastIndexOf(','));
  if (last >= 0 && decimals > 0 && digits.length - last - 1 <= decimals) {
    return Number(`${digits.slice(0, last).replace(/[.,]/g, '')}.${digits.slice(last + 1)}`);
  }
  return Number(digits.replace(/[.,]/g, ''));
}
