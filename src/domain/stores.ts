import { dateTimeFormat } from './intl-formats.js';
/** Partner stores: distance, and whether one is open now in its own timezone. */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** Opening and closing as "HH:MM"; null when closed that day. A closing time before the opening one runs past midnight. */
export type WeeklyHours = Record<Weekday, [string, string] | null>;

export type GeoPoint = { lat: number; lng: number };

export function parseTime(hhmm: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm) ?? (hhmm === '24:00' ? [hhmm, '24', '00'] : null);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Great-circle distance in kilometres. */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

function localDayAndMinute(at: Date, timeZone: string): { day: number; minute: number } {
  const parts = dateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  const day = WEEKDAYS.indexOf(get('weekday').toLowerCase().slice(0, 3) as Weekday);
  return { day, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** Open at `at`, in the store's own timezone; a shift past midnight counts on the next day too. */
export function isOpen(hours: WeeklyHours, timeZone: string, at: Date): boolean {
  const { day, minute } = localDayAndMinute(at, timeZone);
  const today = hours[WEEKDAYS[day]!];
  if (today) {
    const [open, close] = [parseTime(today[0])!, parseTime(today[1])!];
    if (close > open ? minute >= open && minute < close : minute >= open) return true;
  }
  const yesterday = hours[WEEKDAYS[(day + 6) % 7]!];
  if (yesterday) {
    const [open, close] = [parseTime(yesterday[0])!, parseTime(yesterday[1])!];
    if (close <= open && minute < close) return true;
  }
  return false;
}

/** Today's hours in the store's timezone, for display. */
export function hoursToday(hours: WeeklyHours, timeZone: string, at: Date): [string, string] | null {
  return hours[WEEKDAYS[localDayAndMinute(at, timeZone).day]!];
}

export type SearchBox = {
  lat: [number, number];
  /** null: every longitude (near a pole, or a radius half the globe wide) */ lng: Array<[number, number]> | null;
};

/**
 * A box around `point` that holds every place within `radiusKm`. Longitudes wrap at ±180°, so a box
 * that crosses the antimeridian is two ranges.
 */
export function searchBox(point: GeoPoint, radiusKm: number): SearchBox {
  const dLat = radiusKm / 111.2;
  const lat: [number, number] = [Math.max(-90, point.lat - dLat), Math.min(90, point.lat + dLat)];
  const widest = Math.max(Math.abs(lat[0]), Math.abs(lat[1]));
  if (widest >= 89.9) return { lat, lng: null };
  const dLng = radiusKm / (111.2 * Math.cos((widest * Math.PI) / 180));
  if (dLng >= 180) return { lat, lng: null };
  const [lo, hi] = [point.lng - dLng, point.lng + dLng];
  if (lo < -180)
    return {
      lat,
      lng: [
        [lo + 360, 180],
        [-180, hi],
      ],
    };
  if (hi > 180)
    return {
      lat,
      lng: [
        [lo, 180],
        [-180, hi - 360],
      ],
    };
  return { lat, lng: [[lo, hi]] };
}
