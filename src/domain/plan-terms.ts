import { priceMap } from './plan-prices.js';

/**
 * What a traveller agrees to on an order summary: the plan's prices (the second one only where
 * Alipay / WeChat Pay are offered), data and validity, as one comparable string. Pay compares the summary's terms with the catalog's and asks again when they differ.
 */
export function planTerms(
  plan: {
    priceMinor: number;
    currency: string;
    altPriceMinor: number | null;
    altCurrency: string | null;
    dataMb: number | null;
    validityDays: number;
    /** Prices in further currencies (plan-prices.ts): part of the terms once a plan has any. */
    prices?: unknown;
  },
  altShown: boolean,
): string {
  const alt = altShown ? [plan.altPriceMinor ?? '-', plan.altCurrency ?? '-'] : [];
  const more = Object.entries(priceMap(plan.prices))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount]) => `${amount} ${currency}`);
  return [plan.priceMinor, plan.currency, ...alt, plan.dataMb ?? 'unlimited', plan.validityDays, ...more].join('|');
}
