import { numberFormat } from '../domain/intl-formats.js';
import type { TFunction } from 'i18next';
import { calendarDaysUntil, formatDateTime, formatRelative, formatRelativeDays, formatTime } from '../domain/expiry.js';
import { maskIdentifier } from '../domain/line-identifier.js';
import { formatMoney, type Money } from '../domain/money.js';
import { planName, type PlanView } from '../domain/plan.js';
import { plain } from './keyboards.js';

/** Everything a message needs to speak the traveller's language and clock. */
export type Locale = { t: TFunction; language: string; timezone: string };

export const money = (l: Locale, m: Money) => formatMoney(m, l.language);
/** A count of Telegram Stars, grouped the reader's way (1,500 / 1.500 / 1 500). */
export const starsCount = (l: Locale, stars: number | null) => new Intl.NumberFormat(l.language).format(stars ?? 0);
export const dateTime = (l: Locale, iso: string | Date) => formatDateTime(new Date(iso), l.language, l.timezone);
/**
 * A payment processor (stripe, stars, midtrans) by the name the reader's language gives it (translation.json
 * `processor`): ru «Звёзды Telegram», ko 텔레그램 스타. An id with no name yet reads as itself.
 */
export const processorName = (l: Pick<Locale, 't'>, id: string): string => l.t(`processor.${id}`, { defaultValue: id });

export function dataAmount(l: Locale, dataMb: number | null): string {
  if (dataMb === null) return l.t('plan.unlimited');
  const gb = dataMb / 1024;
  const [value, unit] = gb >= 1 ? [gb, 'gigabyte'] : [dataMb, 'megabyte'];
  return numberFormat(l.language, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(
    value,
  );
}

export function lineName(line: { label: string | null; identifier: string }): string {
  return line.label ? `${line.label} (${maskIdentifier(line.identifier)})` : maskIdentifier(line.identifier);
}

export function expiry(l: Locale, iso: string | null, now: Date): string {
  if (!iso) return l.t('lines.no_expiry');
  const at = new Date(iso);
  if (at <= now) return l.t('lines.expired', { date: dateTime(l, at) });
  return l.t('lines.expiry', {
    date: dateTime(l, at),
    relative: formatRelativeDays(calendarDaysUntil(at, now, l.timezone), l.language),
  });
}

/** "in 3 days", "in 5 hours", "in 20 minutes": the largest unit that is at least 1. */
export function relativeTime(l: Locale, at: Date, now: Date): string {
  const ms = at.getTime() - now.getTime();
  const hours = ms / 3_600_000;
  if (Math.abs(hours) >= 24) return formatRelativeDays(calendarDaysUntil(at, now, l.timezone), l.language);
  if (Math.abs(hours) >= 1) return formatRelative(Math.round(hours), 'hour', l.language);
  return formatRelative(Math.max(1, Math.round(ms / 60_000)), 'minute', l.language);
}

/** "SIM cards, top-ups and eSIMs": a list joined as the reader's language joins one. */
export function list(l: Pick<Locale, 'language'>, items: string[]): string {
  return new Intl.ListFormat(l.language, { style: 'long', type: 'conjunction' }).format(items);
}

/** A time of day given as hours and minutes on the wall clock ("22:00", "10:00 PM", "오후 10:00"). */
export function clockTime(l: Pick<Locale, 'language'>, hour: number, minute = 0): string {
  return formatTime(new Date(Date.UTC(2000, 0, 1, hour, minute)), l.language, 'UTC');
}

/** From one time of day to another, such as quiet hours or a store's hours ("22:00–07:00"). */
export function clockRange(l: Locale, from: [number, number], to: [number, number]): string {
  return l.t('common.time_range', { from: clockTime(l, ...from), to: clockTime(l, ...to) });
}

/** A plan in one line; `asButton` for a button label, which Telegram shows as typed (not as HTML). */
export function planLabel(l: Locale, plan: PlanView, asButton = false): string {
  return (asButton ? plain(l.t) : l.t)('plan.button', {
    name: planName(plan, l.language),
    data: dataAmount(l, plan.dataMb),
    validity: l.t('plan.validity', { count: plan.validityDays }),
    price: money(l, { amountMinor: plan.priceMinor, currency: plan.currency }),
  });
}

/** A plan's button: its name and price, short enough for a phone; the list above it gives data and validity. */
export function planButton(l: Locale, plan: PlanView): string {
  return l.t('plan.pick', {
    name: planName(plan, l.language),
    price: money(l, { amountMinor: plan.priceMinor, currency: plan.currency }),
  });
}
