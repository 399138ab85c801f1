import { listen, sendJson } from './http.js';

/** A place the fake knows, as an operator would type its address. */
export type FakePlace = { address: string; lat: number; lon: number; name: string };

/**
 * A local Nominatim. `GET /search?q=…&format=jsonv2&limit=1` answers as Nominatim's Search API
 * (https://nominatim.org/release-docs/latest/api/Search/) with the jsonv2 place fields of its Output page
 * (https://nominatim.org/release-docs/latest/api/Output/): an array, coordinates as strings, the address as
 * `display_name`; an empty array when nothing matches. `down` answers 503, as an overloaded server does.
 */
export class FakeNominatim {
  /** Every request: its query and the User-Agent it came with (the usage policy asks for one). */
  readonly requests: Array<{ q: string; format: string | null; limit: string | null; userAgent: string }> = [];
  down = false;

  private constructor(
    readonly url: string,
    readonly close: () => Promise<void>,
    private readonly places: FakePlace[],
  ) {}

  static async start(places: FakePlace[]): Promise<FakeNominatim> {
    const holder: { fake?: FakeNominatim } = {};
    const server = await listen((req, _body, res) =>
      holder.fake!.handle(req.url ?? '/', req.headers['user-agent'], res),
    );
    const fake = new FakeNominatim(server.url, server.close, places);
    holder.fake = fake;
    return fake;
  }

  private handle(path: string, userAgent: string | undefined, res: import('node:http').ServerResponse): void {
    const url = new URL(path, 'http://nominatim.local');
    if (url.pathname !== '/search') return sendJson(res, 404, { error: 'not found' });
    const q = url.searchParams.get('q') ?? '';
    this.requests.push({
      q,
      format: url.searchParams.get('format'),
      limit: url.searchParams.get('limit'),
      userAgent: userAgent ?? '',
    });
    if (this.down) return sendJson(res, 503, { error: 'Service Unavailable' });
    const words = (s: string) =>
      s
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim();
    const matches = this.places.filter((p) => words(q).includes(words(p.address)));
    const limit = Number(url.searchParams.get('limit') ?? 10);
    sendJson(
      res,
      200,
      matches.slice(0, limit).map((p, i) => ({
        place_id: 100_000 + i,
        licence: 'Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright',
        osm_type: 'node',
        osm_id: 200_000 + i,
        lat: String(p.lat),
        lon: String(p.lon),
        category: 'shop',
        type: 'mobile_phone',
        place_rank: 30,
        importance: 0.1,
        addresstype: 'shop',
        name: p.name.split(',')[0],
        display_name: p.name,
        boundingbox: [String(p.lat - 0.0001), String(p.lat + 0.0001), String(p.lon - 0.0001), String(p.lon + 0.0001)],
      })),
    );
  }
}
