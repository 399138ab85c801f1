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
  const parts = dateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(
    date,
  );
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'));
}

// CLDR's medium date for Vietnamese abbreviates the month ("15:05 7 thg 12, 2026"), a form no Vietnamese bank or
// wallet prints; they write the date in numbers, day first ("15:05 07/12/2026").
const NUMERIC_DATES: Record<string, Intl.DateTimeFormatOptions> = {
  vi: { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
};

export function formatDateTime(date: Date, locale: string, timeZone: string): string {
  const options = NUMERIC_DATES[locale.split('-')[0]!.toLowerCase()] ?? { dateStyle: 'medium', timeStyle: 'short' };
  return formatParts(dateTimeFormat(locale, { timeZone, ...options }), date, locale);
}

/** "9:00 AM", "09.00", "오전 9:00": a time of day as the reader's language writes it. */
export function formatTime(date: Date, locale: string, timeZone: string): string {
  return formatParts(dateTimeFormat(locale, { timeZone, timeStyle: 'short' }), date, locale);
}

// Node's ICU writes Korean times as "AM 9:00"; Korean readers write 오전 / 오후.
const KOREAN_DAY_PERIOD: Record<string, string> = { AM: '오전', PM: '오후' };

function formatParts(format: Intl.DateTimeFormat, date: Date, locale: string): string {
  if (!locale.toLowerCase().startsWith('ko')) return format.format(date);
  return format
    .formatToParts(date)
    .map((p) => (p.type === 'dayPeriod' ? (KOREAN_DAY_PERIOD[p.value] ?? p.value) : p.value))
    .join('');
}

// CLDR capitalises some words as if they began a sentence: relative days ("Ngày mai", "Hôm nay") and
// language names ("Tiếng Anh"). Kuota puts them mid-sentence, where these languages write them in lower case.
const CAPITALISED_RELATIVE = new Set(['vi']);

// Japanese writes a number against its unit (「3日後」「5分前」); Intl puts a space between them ("3 日後").
// Chinese and Korean copy spaces them as Intl does ("30 天", "3일 후"), so they keep Intl's.
const UNSPACED_NUMBERS = new Set(['ja']);

const languageOf = (locale: string) => locale.split('-')[0]!.toLowerCase();

/** "in 3 days", "3日後", "5 minutes ago": a time from now as the reader's language writes it mid-sentence. */
export function formatRelative(value: number, unit: Intl.RelativeTimeFormatUnit, locale: string): string {
  const text = relativeTimeFormat(locale, { numeric: 'auto' }).format(value, unit);
  return midSentence(UNSPACED_NUMBERS.has(languageOf(locale)) ? unspaceNumbers(text) : text, locale);
}

export function formatRelativeDays(days: number, locale: string): string {
  return formatRelative(days, 'day', locale);
}

function unspaceNumbers(text: string): string {
  return text.replace(/(\d)\s+/gu, '$1').replace(/\s+(\d)/gu, '$1');
}

export function midSentence(text: string, locale: string): string {
  if (!CAPITALISED_RELATIVE.has(languageOf(locale))) return text;
  return text.charAt(0).toLocaleLowerCase(locale) + text.slice(1);
}
