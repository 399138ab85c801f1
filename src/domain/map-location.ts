import type { GeoPoint } from './stores.js';

/**
 * A store's place from what an operator pastes: coordinates ("-6.1935, 106.8230") or the address bar of
 * Google Maps, OpenStreetMap or Apple Maps, or a geo: link. A short link (maps.app.goo.gl) hides its
 * coordinates behind a redirect that only the map site can follow, so it is answered as such.
 */
export type MapLocation = { ok: true; point: GeoPoint } | { ok: false; reason: 'short_link' | 'unreadable' };

const NUMBER = String.raw`(-?\d{1,3}(?:\.\d+)?)`;
const PATTERNS: RegExp[] = [
  // Google Maps' pin of a place (more exact than the view's centre after @).
  new RegExp(String.raw`!3d${NUMBER}!4d${NUMBER}`),
  new RegExp(String.raw`[?&](?:q|query|ll|center|destination|daddr|sll)=(?:loc:)?${NUMBER}(?:,|%2C)\s*${NUMBER}`, 'i'),
  new RegExp(String.raw`@${NUMBER},${NUMBER}`),
  // OpenStreetMap: a marker, or the view.
  new RegExp(String.raw`mlat=${NUMBER}&mlon=${NUMBER}`),
  new RegExp(String.raw`#map=\d+(?:\.\d+)?/${NUMBER}/${NUMBER}`),
  new RegExp(String.raw`^geo:${NUMBER},${NUMBER}`, 'i'),
  new RegExp(String.raw`^${NUMBER}\s*[,;\s]\s*${NUMBER}$`),
];

export function parseMapLocation(input: string): MapLocation {
  const text = input.trim();
  if (/^(https?:\/\/)?(maps\.app\.goo\.gl|goo\.gl\/maps|g\.co\/kgs)\b/i.test(text))
    return { ok: false, reason: 'short_link' };
  for (const pattern of PATTERNS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const lat = Number(m[1]);
    const lng = Number(m[2]);
    if (Math.abs(lat) <= 90 && Math.abs(lng) <= 180 && !(lat === 0 && lng === 0))
      return { ok: true, point: { lat, lng } };
  }
  return { ok: false, reason: 'unreadable' };
}

/** The place on OpenStreetMap, for the operator to check the pin before saving. */
export const osmLink = (p: GeoPoint) =>
  `https://www.openstreetmap.org/?mlat=${p.lat}&mlon=${p.lng}#map=18/${p.lat}/${p.lng}`;
