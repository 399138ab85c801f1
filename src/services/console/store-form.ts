import { osmLink, parseMapLocation } from '../../domain/map-location.js';
import { CARRIERS } from '../../domain/msisdn.js';
import { parseTime, WEEKDAYS, type GeoPoint, type Weekday, type WeeklyHours } from '../../domain/stores.js';
import { isTimeZone } from '../users.js';

export const STORE_SELLS = ['sim', 'topup', 'esim'] as const;

/** A partner store as its form holds it: text as typed, so a refused form comes back as the operator left it. */
export type StoreForm = {
  id: string;
  name: string;
  city: string;
  address: string;
  /** A map link or coordinates, as pasted; a stored store shows its coordinates. */
  location: string;
  timezone: string;
  phone: string;
  hours: Record<Weekday, { opens: string; closes: string; closed: boolean }>;
  carriers: string[];
  sells: string[];
  active: boolean;
};

export type StoreRecord = {
  id: string;
  name: string;
  city: string;
  address: string;
  lat: number;
  lng: number;
  timezone: string;
  phone: string | null;
  hours: WeeklyHours;
  carriers: string[];
  sells: string[];
  active: boolean;
};

export type StoreProblem =
  | 'code_format'
  | 'code_taken'
  | 'required'
  | 'name_too_long'
  | 'location'
  | 'short_link'
  | 'timezone'
  | 'time'
  | 'choose_one';
export type StoreProblems = Record<string, StoreProblem>;

/** The fields as they are stored (and audited), read from a form; each problem against its field. */
export function readStoreForm(f: StoreForm): { ok: true; store: StoreRecord } | { ok: false; problems: StoreProblems } {
  const problems: StoreProblems = {};
  const id = f.id.trim();
  if (!/^[a-z0-9][a-z0-9-]{1,40}$/.test(id)) problems.id = 'code_format';
  const line = (field: 'name' | 'city' | 'address', max: number) => {
    const v = f[field].trim();
    if (!v) problems[field] = 'required';
    else if (v.length > max) problems[field] = 'name_too_long';
    return v;
  };
  const [name, city, address] = [line('name', 80), line('city', 40), line('address', 200)];
  const place = parseMapLocation(f.location);
  if (!place.ok) problems.location = place.reason === 'short_link' ? 'short_link' : 'location';
  if (!isTimeZone(f.timezone)) problems.timezone = 'timezone';
  const hours = Object.fromEntries(
    WEEKDAYS.map((d) => {
      const h = f.hours[d];
      if (h.closed) return [d, null];
      const [opens, closes] = [h.opens.trim(), h.closes.trim()];
      if (parseTime(opens) === null || parseTime(closes) === null) problems[`hours.${d}`] = 'time';
      return [d, [opens, closes]];
    }),
  ) as WeeklyHours;
  const carriers = CARRIERS.filter((c) => f.carriers.includes(c));
  if (!carriers.length) problems.carriers = 'choose_one';
  const sells = STORE_SELLS.filter((s) => f.sells.includes(s));
  if (!sells.length) problems.sells = 'choose_one';
  const phone = f.phone.trim();
  if (phone.length > 30) problems.phone = 'name_too_long';
  if (Object.keys(problems).length || !place.ok) return { ok: false, problems };
  return {
    ok: true,
    store: {
      id,
      name,
      city,
      address,
      ...place.point,
      timezone: f.timezone,
      phone: phone || null,
      hours,
      carriers,
      sells,
      active: f.active,
    },
  };
}

const where = (p: GeoPoint) => `${p.lat}, ${p.lng}`;

/** The form of a stored store, or a blank one (Jakarta's timezone, open 09:00–21:00 every day) for a new store. */
export function storeFormOf(s: StoreRecord | null): StoreForm {
  const hours = Object.fromEntries(
    WEEKDAYS.map((d) => {
      const h = s ? s.hours[d] : ['09:00', '21:00'];
      return [d, h ? { opens: h[0], closes: h[1], closed: false } : { opens: '', closes: '', closed: true }];
    }),
  ) as StoreForm['hours'];
  if (!s)
    return {
      id: '',
      name: '',
      city: '',
      address: '',
      location: '',
      timezone: 'Asia/Jakarta',
      phone: '',
      hours,
      carriers: [],
      sells: [],
      active: true,
    };
  return {
    id: s.id,
    name: s.name,
    city: s.city,
    address: s.address,
    location: where(s),
    timezone: s.timezone,
    phone: s.phone ?? '',
    hours,
    carriers: s.carriers,
    sells: s.sells,
    active: s.active,
  };
}

/** Where the form's pasted place is, for a "check the pin" link; null when it does not read as a place. */
export function formPlaceLink(f: StoreForm): string | null {
  const place = parseMapLocation(f.location);
  return place.ok ? osmLink(place.point) : null;
}
