import { z } from 'zod';
import type { Logger } from '../../logger.js';
import type { GeocodeResult, Geocoder } from '../../services/ports/geocoder.js';

/**
 * A place as Nominatim's `/search` answers with `format=jsonv2` (https://nominatim.org/release-docs/latest/api/Search/,
 * fields in https://nominatim.org/release-docs/latest/api/Output/): coordinates as strings, the full address as
 * `display_name`. Only what Kuota reads is checked.
 */
const places = z.array(z.object({ lat: z.coerce.number(), lon: z.coerce.number(), display_name: z.string() }));

/** How many addresses are remembered: a form is searched a few times, never thousands. */
const CACHE_SIZE = 500;

/**
 * OpenStreetMap's Nominatim, or any server with its API. The public one's usage policy
 * (https://operations.osmfoundation.org/policies/nominatim/) asks for an identifying User-Agent, at most one
 * request a second and results cached: requests here wait their turn one second apart, and each address is asked once.
 */
export function nominatimGeocoder(options: {
  baseUrl: string;
  userAgent: string;
  logger: Logger;
  /** Milliseconds between two requests (policy: 1,000). */
  spacingMs?: number;
  timeoutMs?: number;
}): Geocoder {
  const spacing = options.spacingMs ?? 1000;
  const cache = new Map<string, GeocodeResult>();
  let turn = Promise.resolve();
  let last = 0;

  /** Runs `ask` once the previous request is `spacing` ms old: one request at a time, one a second. */
  const inTurn = <T>(ask: () => Promise<T>): Promise<T> => {
    const mine = turn.then(async () => {
      const wait = last + spacing - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      last = Date.now();
      return ask();
    });
    turn = mine.then(
      () => undefined,
      () => undefined,
    );
    return mine;
  };

  const ask = async (address: string): Promise<GeocodeResult> => {
    const url = new URL('search', options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    url.search = new URLSearchParams({ q: address, format: 'jsonv2', limit: '1' }).toString();
    try {
      const response = await fetch(url, {
        headers: { 'user-agent': options.userAgent, accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      if (!response.ok) {
        options.logger.warn({ status: response.status }, 'geocoder answered an error');
        return { kind: 'unreachable' };
      }
      const found = places.parse(await response.json())[0];
      return found ? { kind: 'found', lat: found.lat, lng: found.lon, name: found.display_name } : { kind: 'none' };
    } catch (error) {
      options.logger.warn({ err: error }, 'geocoder unreachable');
      return { kind: 'unreachable' };
    }
  };

  return {
    async find(address) {
      const key = address.trim().replace(/\s+/g, ' ').toLowerCase();
      const known = cache.get(key);
      if (known) return known;
      const result = await inTurn(() => ask(address.trim()));
      // A failure is not remembered: the next press asks again.
      if (result.kind !== 'unreachable') {
        if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(key, result);
      }
      return result;
    },
  };
}
