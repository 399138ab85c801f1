import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { nominatimGeocoder } from '../../src/adapters/geocoder/nominatim.js';
import { FakeNominatim } from '../fakes/nominatim-api.js';

const KUTA = { address: 'Jl. Legian 88', lat: -8.7107, lon: 115.1702, name: 'Jalan Legian 88, Kuta, Bali, Indonesia' };
const UBUD = {
  address: 'Jl. Raya Ubud 1',
  lat: -8.5069,
  lon: 115.2625,
  name: 'Jalan Raya Ubud 1, Ubud, Bali, Indonesia',
};

describe('the Nominatim geocoder', () => {
  let fake: FakeNominatim;
  afterEach(() => fake.close());
  const geocoder = (spacingMs: number) =>
    nominatimGeocoder({
      baseUrl: fake.url,
      userAgent: 'Kuota-bot (test)',
      logger: pino({ level: 'silent' }),
      spacingMs,
    });

  it('asks one address at a time, at most once per spacing, and each address once', async () => {
    fake = await FakeNominatim.start([KUTA, UBUD]);
    const g = geocoder(300);
    const started = Date.now();
    const [kuta, ubud] = await Promise.all([g.find('Jl. Legian 88'), g.find('Jl. Raya Ubud 1')]);
    expect(kuta).toEqual({ kind: 'found', lat: -8.7107, lng: 115.1702, name: KUTA.name });
    expect(ubud).toMatchObject({ kind: 'found', lat: -8.5069 });
    // The second request waited out the spacing the usage policy asks for.
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(await g.find('  jl. legian   88 ')).toEqual(kuta);
    expect(fake.requests.map((r) => r.q)).toEqual(['Jl. Legian 88', 'Jl. Raya Ubud 1']);
    expect(fake.requests.every((r) => r.userAgent === 'Kuota-bot (test)')).toBe(true);
  });

  it('answers none for an unknown address, and unreachable (not remembered) for an error or a closed server', async () => {
    fake = await FakeNominatim.start([KUTA]);
    const g = geocoder(0);
    expect(await g.find('Nowhere 1')).toEqual({ kind: 'none' });
    fake.down = true;
    expect(await g.find('Jl. Legian 88')).toEqual({ kind: 'unreachable' });
    fake.down = false;
    expect(await g.find('Jl. Legian 88')).toMatchObject({ kind: 'found' });
    await fake.close();
    expect(await g.find('Jl. Raya Ubud 1')).toEqual({ kind: 'unreachable' });
  });
});
