import { currencyExponent } from './money.js';

/**
 * An amount an operator typed in the currency's own units ("150000" or "150.000" rupiah, "8.99" dollars)
 * as the currency's minor units; null when it is not a positive amount the currency can hold. Rupiah
 * are written with dots or commas between thousands, so a zero-decimal currency accepts them only
 * as thousands separators, and a two-decimal one only as its decimal point.
 */
export function parseAmount(text: string, currency: string): number | null {
  const s = text.trim().replace(/\s/g, '');
  let minor: number;
  if (currencyExponent(currency) === 0) {
    if (!/^(\d+|\d{1,3}([.,]\d{3})+)$/.test(s)) return null;
    minor = Number(s.replace(/[.,]/g, ''));
  } else {
    const m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(s);
    if (!m) return null;
    minor = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  }
  return Number.isSafeInteger(minor) && minor > 0 ? minor : null;
}

/** Minor units as the operator types them back: "150000", "8.99". */
export function amountText(minor: number, currency: string): string {
  return currencyExponent(currency) === 0 ? String(minor) : (minor / 100).toFixed(2);
}
