import { currencyExponent } from './money.js';

/** How an operator turns a wholesale cost into a price: a percentage, a fixed amount (minor units), or both. */
export type MarginRule = { percent: number; fixedMinor: number };

export type MarginRuleInput = { ok: true; rule: MarginRule } | { ok: false; error: string };

/** "20%", "20", "+2000", "15%+2000" as an operator types them on the command line. */
export function parseMarginRule(percentText: string | undefined, fixedText: string | undefined): MarginRuleInput {
  const percent = percentText === undefined ? 0 : Number(percentText.trim().replace(/%$/, ''));
  const fixedMinor = fixedText === undefined ? 0 : Number(fixedText.trim().replace(/^\+/, ''));
  if (!Number.isFinite(percent) || percent < 0 || percent > 500)
    return { ok: false, error: 'the margin must be a percentage from 0 to 500' };
  if (!Number.isSafeInteger(fixedMinor) || fixedMinor < 0)
    return {
      ok: false,
      error: 'the fixed amount must be a whole number of the smallest unit (rupiah, cents), 0 or more',
    };
  if (percent === 0 && fixedMinor === 0)
    return { ok: false, error: 'give a margin (a percentage, a fixed amount, or both): selling at cost earns nothing' };
  return { ok: true, rule: { percent, fixedMinor } };
}

/**
 * A price a traveller reads easily, never below `minMinor`: rupiah (and other whole-unit currencies)
 * rounded up to 100 / 500 / 1,000 as the amount grows; cents rounded up to the next .99.
 */
export function sensiblePrice(minMinor: number, currency: string): number {
  const amount = Math.ceil(minMinor);
  if (currencyExponent(currency) === 0) {
    const step = amount < 10_000 ? 100 : amount < 100_000 ? 500 : 1000;
    return Math.ceil(amount / step) * step;
  }
  return Math.ceil((amount + 1) / 100) * 100 - 1;
}

/** The price for a cost under a margin rule; at least the provider's own minimum retail price, when it sets one. */
export function priceFor(costMinor: number, currency: string, rule: MarginRule, minRetailMinor?: number): number {
  const withMargin = costMinor * (1 + rule.percent / 100) + rule.fixedMinor;
  return sensiblePrice(Math.max(withMargin, minRetailMinor ?? 0), currency);
}

/** Units of a plan's own currency one unit of another is worth, by ISO code ("one USD is 16,250 rupiah": USD 16250). */
export type ExchangeRates = Readonly<Record<string, number>>;

/** "USD:16250,EUR:17600" as an operator types it on the command line. */
export function parseRates(text: string): { ok: true; rates: ExchangeRates } | { ok: false; error: string } {
  const rates: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [code, figure] = part.trim().split(':');
    const rate = Number(figure);
    if (!code || !/^[A-Z]{3}$/.test(code) || !Number.isFinite(rate) || rate <= 0)
      return { ok: false, error: `"${part.trim()}" is not CURRENCY:rate, e.g. USD:16250` };
    rates[code] = rate;
  }
  return { ok: true, rates };
}

/** A price in each other currency at the operator's rates, rounded up as a traveller reads prices there. */
export function pricesAt(priceMinor: number, currency: string, rates: ExchangeRates): Record<string, number> {
  const major = priceMinor / 10 ** currencyExponent(currency);
  return Object.fromEntries(
    Object.entries(rates)
      .filter(([code]) => code !== currency)
      .map(([code, rate]) => [code, sensiblePrice((major / rate) * 10 ** currencyExponent(code), code)]),
  );
}
