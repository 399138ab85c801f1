import { describe, expect, it } from 'vitest';
import { planTerms } from '../../src/domain/plan-terms.js';

const weekly = {
  priceMinor: 35_000,
  currency: 'IDR',
  altPriceMinor: 310,
  altCurrency: 'SGD',
  dataMb: 10_240,
  validityDays: 7,
};

describe('the terms a traveller confirms on a summary', () => {
  it('change with the price, the data or the validity', () => {
    for (const changed of [{ priceMinor: 36_000 }, { dataMb: 8_192 }, { validityDays: 6 }, { dataMb: null }]) {
      expect(planTerms({ ...weekly, ...changed }, false)).not.toBe(planTerms(weekly, false));
    }
  });

  it('count the second price only where it was shown', () => {
    expect(planTerms({ ...weekly, altPriceMinor: 320 }, true)).not.toBe(planTerms(weekly, true));
    expect(planTerms({ ...weekly, altPriceMinor: 320 }, false)).toBe(planTerms(weekly, false));
  });
});
