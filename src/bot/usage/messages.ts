import type { LineUsage } from '../../services/usage/usage.js';
import { dataAmount, type Locale } from '../format.js';

const day = (l: Locale, iso: string) =>
  new Intl.DateTimeFormat(l.language, { timeZone: l.timezone, day: 'numeric', month: 'short' }).format(new Date(iso));
const clock = (l: Locale, iso: string) =>
  new Intl.DateTimeFormat(l.language, { timeZone: l.timezone, timeStyle: 'short' }).format(new Date(iso));

/** "2.1 GB of 5 GB left · until 3 Dec" (null when the provider gave no figures). */
export function dataLeft(l: Locale, usage: LineUsage | null): string | null {
  if (!usage) return null;
  const until = usage.expiresAt ? { date: day(l, usage.expiresAt) } : null;
  if (usage.unlimited) return l.t(until ? 'usage.unlimited_until' : 'usage.unlimited', until ?? {});
  if (usage.remainingMb === null || usage.totalMb === null) return null;
  const amounts = { left: dataAmount(l, usage.remainingMb), total: dataAmount(l, usage.totalMb) };
  return until ? l.t('usage.left_until', { ...amounts, ...until }) : l.t('usage.left', amounts);
}

/** The data left with when it was last checked, or null when the line reports none. */
export function dataLeftWithTime(l: Locale, usage: LineUsage | null): string | null {
  const text = dataLeft(l, usage);
  return text && `${text}\n${l.t('usage.checked', { time: clock(l, usage!.checkedAt) })}`;
}
