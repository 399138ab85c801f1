import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseStoreFile } from '../../src/services/stores/stores.js';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { rendered } from '../helpers/copy.js';

describe.each(databaseKinds)('stores near a shared location (%s)', (db) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ db });
  });
  afterEach(async () => {
    await h.stop();
  });

  it.each([
    ['New York', 40.7128, -74.006],
    ['Los Angeles', 34.0522, -118.2437],
    ['Honolulu', 21.3069, -157.8583],
    ['Paris', 48.8566, 2.3522],
  ])('tells a traveller in %s plainly that no store is near, and offers the cities', async (_city, lat, lng) => {
    const t = h.telegram.traveller(9300, { language_code: 'en' });
    await t.send('/stores');
    await t.shareLocation(lat, lng);
    const answer = t.last();
    expect(answer.text).toContain(rendered('stores.none_within', { distance: '100 km' }));
    expect(answer.text).not.toContain('Kuota Partner');
    const cities = (answer.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text);
    expect(cities).toEqual(expect.arrayContaining(['Bali', 'Jakarta', 'Yogyakarta']));
    await t.tap('Bali');
    expect(t.last().text).toContain('Kuota Partner Kuta');
  });

  it('finds a store across the antimeridian', async () => {
    const sample = parseStoreFile('data/stores.sample.json');
    const fiji = {
      ...sample[0]!,
      id: 'fiji-taveuni',
      name: 'Taveuni Corner',
      city: 'Taveuni',
      lat: -16.85,
      lng: 179.97,
      timezone: 'Pacific/Fiji',
    };
    await h.app.services.stores.load([...sample, fiji]);
    const t = h.telegram.traveller(9301, { language_code: 'en' });
    await t.shareLocation(-16.8, -179.95);
    expect(t.last().text).toMatch(/Taveuni Corner · \d+(\.\d)? km/);
    expect(t.last().text).not.toContain('Kuta');
  });
});
