import { languageLabelIn } from '../../domain/language-names.js';
import { WEEKDAYS } from '../../domain/stores.js';
import type { PageContext } from './layout.js';

/** The fields a plan's or a store's audit entry records, in the order the audit page shows them. */
export const RECORD_FIELDS = [
  'name',
  'names',
  'price',
  'altPrice',
  'prices',
  'cost',
  'starsPrice',
  'provider',
  'providerSku',
  'carrier',
  'kind',
  'dataMb',
  'validityDays',
  'graceDays',
  'city',
  'address',
  'location',
  'hours',
  'carriers',
  'sells',
  'phone',
] as const;

const isMoney = (v: unknown): v is { amountMinor: number; currency: string } =>
  typeof v === 'object' && v !== null && 'amountMinor' in v && 'currency' in v;

/**
 * A plan's or a store's recorded value in words (money as money, names by language, hours by weekday);
 * null for a value this does not know, which the audit page then reads as it always did.
 */
export function recordValueText(ctx: PageContext, field: string, value: unknown): string | null {
  const { t, money, language, field: labelled } = ctx.locale;
  if (isMoney(value)) return money(value);
  if (Array.isArray(value) && value.length && value.every(isMoney)) return value.map(money).join(', ');
  if (field === 'names' && value && typeof value === 'object') {
    return Object.entries(value as Record<string, string>)
      .map(([l, name]) => labelled(languageLabelIn(l, language), name || '—'))
      .join('; ');
  }
  if (field === 'location' && value && typeof value === 'object') {
    const p = value as { lat: number; lng: number };
    return `${p.lat}, ${p.lng}`;
  }
  if (field === 'hours' && value && typeof value === 'object') {
    const hours = value as Record<string, [string, string] | null>;
    return WEEKDAYS.filter((d) => d in hours)
      .map((d) => `${t(`stores.days.${d}`)} ${hours[d] ? hours[d].join('–') : t('stores.closed')}`)
      .join(', ');
  }
  if (field === 'sells' && Array.isArray(value)) return value.map((s) => t(`stores.sells.${String(s)}`)).join(', ');
  if (field === 'kind' && typeof value === 'string') return t(`catalog.form.kinds.${value}`);
  return null;
}
