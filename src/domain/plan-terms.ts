/**
 * What a traveller agrees to on an order summary: the plan's prices, data and validity, as one
 * comparable string. Pay compares the summary's terms with the catalog's and asks again when they differ.
 */
export function planTerms(plan: {
  priceMinor: number; currency: string; altPriceMinor: number | null; altCurrency: string | null; dataMb: number | null; validityDays: number;
}): string {
  return [plan.priceMinor, plan.currency, plan.altPriceMinor ?? '-', plan.altCurrency ?? '-', plan.dataMb ?? 'unlimited', plan.validityDays].join('|');
}
