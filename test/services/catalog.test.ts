import { describe, expect, it } from 'vitest';
import { supportedLanguages } from '../../src/bot/i18n.js';
import { CatalogError, parseCatalog, planColumns, readCatalogFile } from '../../src/services/catalog/catalog.js';

const plan = {
  code: 'axis-daily-2gb',
  carrier: 'axis',
  kind: 'daily',
  dataMb: 2048,
  validityDays: 1,
  price: { amount: 5000, currency: 'IDR' },
  providerSku: 'AX',
  names: { en: 'AXIS Daily' },
};

describe('the catalog file', () => {
  it('loads the sample catalog, which says it is sample data', () => {
    const plans = readCatalogFile('data/catalog.sample.json');
    expect(plans.length).toBeGreaterThan(5);
    expect(new Set(plans.map((p) => p.kind))).toEqual(new Set(['daily', 'weekly', 'monthly']));
  });

  it('names every sample plan in each of the ten languages, none of them left in English', () => {
    for (const p of readCatalogFile('data/catalog.sample.json')) {
      expect(Object.keys(p.names).sort(), p.code).toEqual(supportedLanguages());
      for (const language of ['id', 'zh-CN', 'zh-TW', 'th', 'vi', 'ja', 'ko', 'ru'])
        expect(p.names[language], `${p.code} in ${language}`).not.toBe(p.names.en);
    }
  });

  it('names the plan and the field of each problem', () => {
    const bad = {
      plans: [
        plan,
        { ...plan, code: 'axis-weekly', price: { amount: 12.5, currency: 'idr' } },
        { ...plan, code: 'x-1', kind: 'yearly' },
      ],
    };
    try {
      parseCatalog(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CatalogError);
      const problems = (error as CatalogError).problems.join('\n');
      expect(problems).toContain('plans[1] (axis-weekly).price.amount: must be a whole number');
      expect(problems).toContain('plans[1] (axis-weekly).price.currency: must be an ISO code');
      expect(problems).toContain('plans[2] (x-1).kind');
    }
  });

  it('refuses a code used twice and a plan without an English name', () => {
    expect(() => parseCatalog({ plans: [plan, plan] })).toThrow(
      /plans\[1\] \(axis-daily-2gb\): the code is used twice/,
    );
    expect(() => parseCatalog({ plans: [{ ...plan, names: { id: 'Harian' } }] })).toThrow(
      /plans\[0\] \(axis-daily-2gb\)\.names: must have at least an "en" name/,
    );
  });
});

describe('prices per currency in the catalog file', () => {
  it('reads prices in further currencies beside the price and the old altPrice', () => {
    const [entry] = parseCatalog({
      plans: [
        {
          ...plan,
          altPrice: { amount: 50, currency: 'SGD' },
          prices: [
            { amount: 3500, currency: 'KRW' },
            { amount: 250, currency: 'USD' },
          ],
        },
      ],
    });
    expect(planColumns(entry!)).toMatchObject({ altCurrency: 'SGD', prices: { KRW: 3500, USD: 250 } });
    expect(planColumns(parseCatalog({ plans: [plan] })[0]!).prices).toEqual({});
  });

  it('refuses a currency priced twice, naming the plan', () => {
    const twice = {
      plans: [{ ...plan, altPrice: { amount: 50, currency: 'SGD' }, prices: [{ amount: 60, currency: 'SGD' }] }],
    };
    expect(() => parseCatalog(twice)).toThrow(/axis-daily-2gb\)\.prices: SGD priced twice/);
  });
});
