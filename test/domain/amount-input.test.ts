import { describe, expect, it } from 'vitest';
import { amountText, parseAmount } from '../../src/domain/amount-input.js';

describe('an amount an operator types', () => {
  it('reads rupiah with or without thousands separators, and dollars with their cents', () => {
    expect(parseAmount('150000', 'IDR')).toBe(150000);
    expect(parseAmount('150.000', 'IDR')).toBe(150000);
    expect(parseAmount('1,250,000', 'IDR')).toBe(1250000);
    expect(parseAmount(' 8.99 ', 'USD')).toBe(899);
    expect(parseAmount('8,5', 'EUR')).toBe(850);
    expect(parseAmount('12', 'USD')).toBe(1200);
  });

  it('refuses what is not a positive amount the currency can hold', () => {
    for (const [text, currency] of [
      ['1.5', 'IDR'],
      ['15.00', 'IDR'],
      ['8.999', 'USD'],
      ['1,000.50', 'USD'],
      ['0', 'IDR'],
      ['-5', 'USD'],
      ['abc', 'USD'],
      ['', 'IDR'],
      ['9'.repeat(20), 'IDR'],
    ])
      expect(parseAmount(text!, currency!), `${text} ${currency}`).toBeNull();
  });

  it('writes minor units back as the operator would type them', () => {
    expect(amountText(150000, 'IDR')).toBe('150000');
    expect(amountText(899, 'USD')).toBe('8.99');
    expect(parseAmount(amountText(12000, 'KRW'), 'KRW')).toBe(12000);
  });
});
