import type { Money } from './money.js';

/** A plan's prices beyond its own, by ISO currency code, in each currency's minor units. */
export type PriceMap = Record<string, number>;

/** The price map stored in a plan or order (JSON); anything that is not one reads as none. */
export function priceMap(json: unknown): PriceMap {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return {};
  const out: PriceMap = {};
  for (const [currency, amount] of Object.entries(json as Record<string, unknown>))
    if (/^[A-Z]{3}$/.test(currency) && Number.isSafeInteger(amount) && (amount as number) > 0)
      out[currency] = amount as number;
  return out;
}

type Priced = {
  priceMinor?: number;
  amountMinor?: number;
  currency: string;
  altPriceMinor?: number | null;
  altAmountMinor?: number | null;
  altCurrency: string | null;
  prices?: unknown;
};

/** Every price of a plan (or frozen in an order): its own first, then the second price, then the rest; one per currency. */
export function allPrices(p: Priced): Money[] {
  const out: Money[] = [{ amountMinor: p.priceMinor ?? p.amountMinor!, currency: p.currency }];
  const alt = p.altPriceMinor ?? p.altAmountMinor;
  if (alt && p.altCurrency) out.push({ amountMinor: alt, currency: p.altCurrency });
  for (const [currency, amountMinor] of Object.entries(priceMap(p.prices)).sort(([a], [b]) => a.localeCompare(b)))
    if (!out.some((m) => m.currency === currency)) out.push({ amountMinor, currency });
  return out;
}
