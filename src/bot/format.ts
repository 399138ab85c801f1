import { numberFormat, relativeTimeFormat } from '../domain/intl-formats.js';
import type { TFunction } from 'i18next';
import { calendarDaysUntil, formatDateTime, formatRelativeDays } from '../domain/expiry.js';
import { maskIdentifier } from '../domain/line-identifier.js';
import { formatMoney, type Money } from '../domain/money.js';
import { planName, type PlanView } from '../domain/plan.js';

/** Everything a message needs to speak the traveller's language and clock. */
export type Locale = { t: TFunction; language: string; timezone: string };

export const money = (l: Locale, m: Money) => formatMoney(m, l.language);
export const dateTime = (l: Locale, iso: string | Date) => formatDateTime(new Date(iso), l.language, l.timezone);

export function dataAmount(l: Locale, dataMb: number | null): string {
  if (dataMb === null) return l.t('plan.unlimited');
  const gb = dataMb / 1024;
  const [value, unit] = gb >= 1 ? [gb, 'gigabyte'] : [dataMb, 'megabyte'];
  return numberFormat(l.language, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

export function lineName(line: { label: string | null; identifier: string }): string {
  return line.label ? `${line.label} (${maskIdentifier(line.identifier)})` : maskIdentifier(line.identifier);
}

export function expiry(l: Locale, iso: string | null, now: Date): string {
  if (!iso) return l.t('lines.no_expiry');
  const at = new Date(iso);
  if (at <= now) return l.t('lines.expired', { date: dateTime(l, at) });
  return l.t('lines.expiry', { date: dateTime(l, at), relative: formatRelativeDays(calendarDaysUntil(at, now, l.timezone), l.language) });
}

/** "in 3 days", "in 5 hours", "in 20 minutes": the largest unit that is at least 1. */
export function relativeTime(l: Locale, at: Date, now: Date): string {
  const ms = at.getTime() - now.getTime();
  const format = relativeTimeFormat(l.language, { numeric: 'auto' });
  const hours = ms / 3_600_000;
  if (Math.abs(hours) >= 24) return format.format(calendarDaysUntil(at, now, l.timezone), 'day');
  if (Math.abs(hours) >= 1) return format.format(Math.round(hours), 'hour');
  return format.format(Math.max(1, Math.round(ms / 60_000)), 'minute');
}

export function planLabel(l: Locale, plan: PlanView): string {
  return l.t('plan.button', {
    name: planName(plan, l.language),
    data: dataAmount(l, plan.dataMb),
    validity: l.t('plan.validity', { count: plan.validityDays }),
    price: money(l, { amountMinor: plan.priceMinor, currency: plan.currency }),
  });
}
