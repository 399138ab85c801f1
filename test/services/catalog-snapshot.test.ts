import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogService, readCatalogFile } from '../../src/services/catalog/catalog.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/database.js';

const sample = readCatalogFile('data/catalog.sample.json');

describe.each(databaseKinds)('the catalog kept in memory (%s)', (kind) => {
  let database: TestDatabase;
  let clock = 0;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await createCatalogService({ db: database.db }).load(sample);
  });
  afterAll(() => database.drop());

  // Two processes on one database: the bot, and catalog:load (or another instance) beside it.
  const bot = () => createCatalogService({ db: database.db, snapshot: { now: () => clock } });
  const price = async (catalog: ReturnType<typeof bot>, code: string) => (await catalog.byCode(code))?.priceMinor;

  it('shows what another process loaded within a second; until then the plans in memory', async () => {
    const catalog = bot();
    expect((await catalog.plansFor('axis')).map((p) => p.code)).toEqual(
      sample.filter((p) => p.carrier === 'axis').map((p) => p.code),
    );
    const daily = sample.find((p) => p.code === 'axis-daily-2gb')!;

    await createCatalogService({ db: database.db }).load(
      sample.map((p) => (p.code === daily.code ? { ...p, price: { ...p.price, amount: 6000 } } : p)),
    );
    clock += 500;
    expect(await price(catalog, daily.code)).toBe(daily.price.amount);
    clock += 500;
    expect(await price(catalog, daily.code)).toBe(6000);
    expect((await catalog.plansFor('axis')).find((p) => p.code === daily.code)!.priceMinor).toBe(6000);
  });

  it('forgets at once what this process changed, and drops a plan switched off from the lists but not from lookups', async () => {
    const catalog = bot();
    await catalog.plansFor('axis');
    const weekly = sample.find((p) => p.code === 'axis-weekly-10gb')!;
    await catalog.load(sample.map((p) => (p.code === weekly.code ? { ...p, active: false } : p)));
    expect((await catalog.plansFor('axis')).map((p) => p.code)).not.toContain(weekly.code);
    // A line's last plan, switched off since, still has its name in My numbers.
    expect((await catalog.byCode(weekly.code))?.names.en).toBe(weekly.names.en);
    await catalog.load(sample);
    expect((await catalog.plansFor('axis')).map((p) => p.code)).toContain(weekly.code);
  });

  it('sees another process switch a plan off, which writes one row and leaves the count alone', async () => {
    const catalog = bot();
    await catalog.plansFor('axis');
    await database.db.plan.update({ where: { code: 'axis-daily-2gb' }, data: { active: false } });
    clock += 1_000;
    expect((await catalog.plansFor('axis')).map((p) => p.code)).not.toContain('axis-daily-2gb');
    await database.db.plan.update({ where: { code: 'axis-daily-2gb' }, data: { active: true } });
    clock += 1_000;
    expect((await catalog.plansFor('axis')).map((p) => p.code)).toContain('axis-daily-2gb');
  });

  it('hands out plans no caller can change for the next one', async () => {
    const catalog = bot();
    const plans = await catalog.plansFor('axis');
    expect(() => (plans as unknown as unknown[]).push({})).toThrow(TypeError);
    expect(() => Object.assign(plans[0]!, { priceMinor: 1 })).toThrow(TypeError);
    expect((await catalog.plansFor('axis'))[0]!.priceMinor).not.toBe(1);
  });
});
