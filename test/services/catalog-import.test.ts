import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AiraloGateway } from '../../src/adapters/provider/airalo.js';
import { DigiflazzGateway } from '../../src/adapters/provider/digiflazz.js';
import { createCatalogImport } from '../../src/services/catalog/import.js';
import {
  CatalogError,
  createCatalogService,
  parseCatalog,
  readCatalogFile,
} from '../../src/services/catalog/catalog.js';
import { FakeAiralo } from '../fakes/airalo-api.js';
import { FakeDigiflazz } from '../fakes/digiflazz-api.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/database.js';

describe.each(databaseKinds)("importing a provider's package list into the catalog (%s)", (kind) => {
  let database: TestDatabase;
  let airalo: FakeAiralo;
  let digiflazz: FakeDigiflazz;
  beforeAll(async () => {
    [database, airalo, digiflazz] = await Promise.all([
      createTestDatabase(kind),
      FakeAiralo.start(),
      FakeDigiflazz.start(),
    ]);
    await createCatalogService({ db: database.db }).load(readCatalogFile('data/catalog.sample.json'));
  });
  afterAll(async () => {
    await Promise.all([database.drop(), airalo.close(), digiflazz.close()]);
  });

  it("creates eSIM plans from Airalo's packages, priced by the margin rule and never below its retail price, cost beside the price", async () => {
    const packages = await new AiraloGateway({
      baseUrl: airalo.url,
      clientId: 'kuota-client',
      clientSecret: 'kuota-secret',
      webhookSecret: 'x',
    }).listPackages();
    const result = await createCatalogImport({ db: database.db }).importPackages({
      provider: 'airalo',
      carrier: 'esim',
      packages,
      rule: { percent: 25, fixedMinor: 0 },
    });
    // The eSIM packages (new eSIMs) and, with include=topup, the top-ups for them.
    expect(result.plans.filter((p) => p.code.endsWith('-topup'))).toEqual([
      // cost 6.50 + 25% = 8.13, below the 9.00 retail minimum → 9.00 → 9.99
      {
        code: 'airalo-kuota-esim-7days-3gb-topup',
        priceMinor: 999,
        costMinor: 650,
        currency: 'USD',
        active: true,
        change: 'created',
      },
      // cost 19.20 + 25% = 24.00, below 26.00 → 26.99
      {
        code: 'airalo-kuota-esim-30days-10gb-topup',
        priceMinor: 2699,
        costMinor: 1920,
        currency: 'USD',
        active: true,
        change: 'created',
      },
    ]);
    expect(result.plans.map((p) => p.code)).toEqual([
      'airalo-kuota-esim-7days-3gb',
      'airalo-kuota-esim-30days-10gb',
      'airalo-kuota-esim-7days-3gb-topup',
      'airalo-kuota-esim-30days-10gb-topup',
    ]);
    const plan = await database.db.plan.findUniqueOrThrow({ where: { code: 'airalo-kuota-esim-7days-3gb-topup' } });
    expect(plan).toMatchObject({
      carrier: 'esim',
      kind: 'weekly',
      dataMb: 3072,
      validityDays: 7,
      provider: 'airalo',
      providerSku: 'kuota-esim-7days-3gb-topup',
      names: { en: '3 GB - 7 Days' },
      packageType: 'topup',
      packageFamily: 'airalo-operator-501',
    });

    // Importing again with a bigger margin re-prices the same plans; names and codes stay.
    const again = await createCatalogImport({ db: database.db }).importPackages({
      provider: 'airalo',
      carrier: 'esim',
      packages,
      rule: { percent: 60, fixedMinor: 0 },
    });
    expect(again.plans.filter((p) => p.code.endsWith('-topup')).map((p) => [p.code, p.priceMinor, p.change])).toEqual([
      ['airalo-kuota-esim-7days-3gb-topup', 1099, 'updated'],
      ['airalo-kuota-esim-30days-10gb-topup', 3099, 'updated'],
    ]);
  });

  it('re-prices the Digiflazz-style price list into the plans that sell its products, and switches off a product that is off', async () => {
    await database.db.plan.updateMany({ where: { code: 'xl-weekly-8gb' }, data: { providerSku: 'XLWK8' } });
    const gateway = new DigiflazzGateway({
      baseUrl: digiflazz.url,
      username: 'kuota',
      apiKey: 'dev-key-123',
      webhookSecret: 'x',
    });
    const importer = createCatalogImport({ db: database.db });
    const axis = await importer.importPackages({
      provider: 'digiflazz',
      carrier: 'axis',
      packages: await gateway.listPackages('axis'),
      rule: { percent: 10, fixedMinor: 2000 },
    });
    expect(axis.plans).toEqual([
      {
        code: 'axis-weekly-10gb',
        priceMinor: 36_500,
        costMinor: 31_000,
        currency: 'IDR',
        active: true,
        change: 'updated',
      },
    ]);
    const xl = await importer.importPackages({
      provider: 'digiflazz',
      carrier: 'xl',
      packages: await gateway.listPackages('xl'),
      rule: { percent: 10, fixedMinor: 0 },
    });
    expect(xl.plans).toEqual([expect.objectContaining({ code: 'xl-weekly-8gb', costMinor: 36_000, active: false })]);
    expect((await importer.pricing()).find((p) => p.code === 'axis-weekly-10gb')).toEqual({
      code: 'axis-weekly-10gb',
      carrier: 'axis',
      provider: null,
      currency: 'IDR',
      priceMinor: 36_500,
      costMinor: 31_000,
      marginPercent: 17.7,
      active: true,
    });
    const unknown = await importer.importPackages({
      provider: 'digiflazz',
      carrier: 'axis',
      packages: [{ sku: 'AXNEW', priceMinor: 9000, currency: 'IDR', available: true }],
      rule: { percent: 10, fixedMinor: 0 },
    });
    expect(unknown).toEqual({ plans: [], skipped: [expect.stringContaining('AXNEW: not in the catalog')] });
  });
  it('writes prices in other currencies at the rates given, keeps the rest, and says what each was', async () => {
    const digi = new DigiflazzGateway({
      baseUrl: digiflazz.url,
      username: 'kuota',
      apiKey: 'dev-key-123',
      webhookSecret: 'x',
    });
    const importer = createCatalogImport({ db: database.db });
    const axis = await database.db.plan.update({
      where: { code: 'axis-weekly-10gb' },
      data: { prices: { KRW: 3300 } },
    });
    const packages = await digi.listPackages('axis');
    const withPackages = async (rates: Record<string, number>, dryRun = false) =>
      (
        await importer.importPackages({
          provider: 'digiflazz',
          carrier: 'axis',
          packages,
          rule: { percent: 10, fixedMinor: 2000 },
          rates,
          dryRun,
        })
      ).plans.find((p) => p.code === axis.code)!;

    // IDR 36,500 at 16,250 rupiah a dollar is 2.25 dollars, read as 2.99.
    const first = await withPackages({ USD: 16_250 });
    expect([first.prices, first.previousPrices]).toEqual([{ KRW: 3300, USD: 299 }, { KRW: 3300 }]);
    // A preview changes nothing, and shows the change: 3.05 dollars at 12,000, read as 3.99.
    const preview = await withPackages({ USD: 12_000 }, true);
    expect([preview.prices, preview.previousPrices]).toEqual([
      { KRW: 3300, USD: 399 },
      { KRW: 3300, USD: 299 },
    ]);
    const stored = await database.db.plan.findUniqueOrThrow({ where: { code: axis.code } });
    expect(stored.prices).toEqual({ KRW: 3300, USD: 299 });
  });
});

describe('the catalog file and the wholesale cost', () => {
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
  it('keeps the cost beside the price and refuses a plan priced below it', () => {
    expect(
      parseCatalog({ plans: [{ ...plan, cost: { amount: 4200, currency: 'IDR' }, provider: 'digiflazz' }] })[0],
    ).toMatchObject({ cost: { amount: 4200 }, provider: 'digiflazz' });
    expect(() => parseCatalog({ plans: [{ ...plan, cost: { amount: 5200, currency: 'IDR' } }] })).toThrow(CatalogError);
    expect(() => parseCatalog({ plans: [{ ...plan, cost: { amount: 5200, currency: 'IDR' } }] })).toThrow(
      /plans\[0\] \(axis-daily-2gb\)\.price: 5000 is below the wholesale cost 5200/,
    );
    expect(() => parseCatalog({ plans: [{ ...plan, cost: { amount: 300, currency: 'USD' } }] })).toThrow(
      /cost: must be in the price's currency/,
    );
  });
});

describe("a package title longer than a plan's name", () => {
  it('is cut between characters, never inside an emoji', async () => {
    const [database, airalo] = await Promise.all([createTestDatabase(), FakeAiralo.start()]);
    try {
      airalo.countries = [
        {
          slug: 'japan',
          country_code: 'JP',
          title: 'Japan',
          operators: [
            {
              id: 1,
              title: 'Kuota eSIM',
              packages: [
                {
                  id: 'emoji-7days',
                  type: 'sim',
                  price: 9,
                  net_price: 6.5,
                  amount: 3072,
                  day: 7,
                  is_unlimited: false,
                  title: `x${'😀'.repeat(70)}`,
                  data: '3 GB',
                },
              ],
            },
          ],
        },
      ];
      const packages = await new AiraloGateway({
        baseUrl: airalo.url,
        clientId: 'kuota-client',
        clientSecret: 'kuota-secret',
        webhookSecret: 'x',
      }).listPackages();
      await createCatalogImport({ db: database.db }).importPackages({
        provider: 'airalo',
        carrier: 'esim',
        packages,
        rule: { percent: 20, fixedMinor: 0 },
      });
      const plan = await database.db.plan.findFirstOrThrow({ where: { providerSku: 'emoji-7days' } });
      expect((plan.names as Record<string, string>).en).toBe(`x${'😀'.repeat(59)}`);
    } finally {
      await Promise.all([database.drop(), airalo.close()]);
    }
  });
});
