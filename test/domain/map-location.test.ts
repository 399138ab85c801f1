import { describe, expect, it } from 'vitest';
import { parseMapLocation } from '../../src/domain/map-location.js';

const at = (lat: number, lng: number) => ({ ok: true, point: { lat, lng } });

describe('a store placed from a pasted map link or coordinates', () => {
  it('reads the links of Google Maps, OpenStreetMap and Apple Maps, geo: links and plain coordinates', () => {
    expect(parseMapLocation('-6.1935, 106.8230')).toEqual(at(-6.1935, 106.823));
    expect(parseMapLocation('-8.7184 115.1686')).toEqual(at(-8.7184, 115.1686));
    expect(
      parseMapLocation(
        'https://www.google.com/maps/place/Kuta+Beach/@-8.7180,115.1680,17z/data=!3m1!4b1!4m6!3m5!1s0x0:0x0!8m2!3d-8.7184!4d115.1686',
      ),
    ).toEqual(at(-8.7184, 115.1686));
    expect(parseMapLocation('https://www.google.com/maps/@-6.2000,106.8166,15z')).toEqual(at(-6.2, 106.8166));
    expect(parseMapLocation('https://maps.google.com/?q=-6.1935%2C106.8230')).toEqual(at(-6.1935, 106.823));
    expect(
      parseMapLocation('https://www.openstreetmap.org/?mlat=-6.1935&mlon=106.8230#map=18/-6.1935/106.8230'),
    ).toEqual(at(-6.1935, 106.823));
    expect(parseMapLocation('https://www.openstreetmap.org/#map=16/-8.6500/115.2167')).toEqual(at(-8.65, 115.2167));
    expect(parseMapLocation('https://maps.apple.com/?ll=-6.1935,106.8230&q=Thamrin')).toEqual(at(-6.1935, 106.823));
    expect(parseMapLocation('geo:-6.1935,106.8230')).toEqual(at(-6.1935, 106.823));
  });

  it('says a short link hides the place, and refuses what holds no place on Earth', () => {
    expect(parseMapLocation('https://maps.app.goo.gl/AbCdEf123')).toEqual({ ok: false, reason: 'short_link' });
    for (const junk of ['Jl. Thamrin 1, Jakarta', '95, 106', '-6.19, 190', '0, 0', 'https://example.com/', ''])
      expect(parseMapLocation(junk), junk).toEqual({ ok: false, reason: 'unreadable' });
  });
});
