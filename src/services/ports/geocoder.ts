/** What an address search answers: the first place found, none, or that the service could not be asked. */
export type GeocodeResult =
  { kind: 'found'; lat: number; lng: number; name: string } | { kind: 'none' } | { kind: 'unreachable' };

/** Coordinates for a typed address, for the partner store form; the adapter speaks a geocoding service. */
export interface Geocoder {
  find(address: string): Promise<GeocodeResult>;
}
