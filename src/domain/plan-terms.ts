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
  },
  altShown: boolean,
): string {
  const alt = altShown ? [plan.altPriceMinor ?? '-', plan.altCurrency ?? '-'] : [];
  return [plan.priceMinor, plan.currency, ...alt, plan.dataMb ?? 'unlimited', plan.validityDays].join('|');
}
