import { dateTimeFormat, relativeTimeFormat } from './intl-formats.js';
const DAY_MS = 24 * 60 * 60 * 1000;

/** A top-up extends from the current expiry if the plan is still running, else from now. */
export function extendExpiry(current: Date | null, now: Date, validityDays: number): Date {
  const from = current && current > now ? current : now;
  return new Date(from.getTime() + validityDays * DAY_MS);
}

/** Whole calendar days from today to the expiry date, both in the traveller's timezone. */
export function calendarDaysUntil(expiresAt: Date, now: Date, timeZone: string): number {
  return Math.round((dayNumber(expiresAt, timeZone) - dayNumber(now, timeZone)) / DAY_MS);
}

function dayNumber(date: Date, timeZone: string): number {
  const parts = dateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'));
}

export function formatDateTime(date: Date, locale: string, timeZone: string): string {
  return dateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatRelativeDays(days: number, locale: string): string {
  return relativeTimeFormat(locale, { numeric: 'auto' }).format(days, 'day');
}
