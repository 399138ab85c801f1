import { currencyExponent, type Money } from './money.js';

/**
 * One CSV record (RFC 4180, CRLF). A text cell that a spreadsheet would read as a formula (=, +, -, @,
 * tab, return) is quoted with a leading apostrophe, so an exported name cannot run in the accountant's Excel.
 */
export function csvRecord(cells: ReadonlyArray<string | number | null | undefined>): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

function csvCell(cell: string | number | null | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return String(cell);
  const safe = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** An amount as a plain decimal in the currency's major unit ("35000", "12.50", "-3.00"): what a ledger sums. */
export function decimalAmount(m: Money): string {
  const exponent = currencyExponent(m.currency);
  if (!exponent) return String(m.amountMinor);
  const sign = m.amountMinor < 0 ? '-' : '';
  const abs = Math.abs(m.amountMinor);
  return `${sign}${Math.floor(abs / 10 ** exponent)}.${String(abs % 10 ** exponent).padStart(exponent, '0')}`;
}
