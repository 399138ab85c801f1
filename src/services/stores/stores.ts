import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Db } from '../../adapters/db/client.js';
import { CARRIERS } from '../../domain/msisdn.js';
import { sameJson } from '../../domain/same-json.js';
import { distanceKm, parseTime, searchBox, WEEKDAYS, type GeoPoint, type WeeklyHours } from '../../domain/stores.js';
import { readCsv, SEPARATOR_NAMES } from './csv.js';
import { isTimeZone } from '../users.js';

const span = z.string().transform((s, ctx) => {
  const trimmed = s.trim().toLowerCase();
  if (trimmed === 'closed' || trimmed === '') return null;
  const m = /^(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})$/.exec(trimmed);
  if (!m || parseTime(m[1]!) === null || parseTime(m[2]!) === null) {
    ctx.addIssue({ code: 'custom', message: `"${s}" is not opening hours (use 09:00-21:00 or closed)` });
    return z.NEVER;
  }
  return [m[1]!, m[2]!] as [string, string];
});

const storeEntry = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'must be lowercase letters, digits and dashes'),
  name: z.string().min(1).max(80),
  city: z.string().min(1).max(40),
  lat: z.coerce.number().min(-90, 'latitude must be between -90 and 90').max(90, 'latitude must be between -90 and 90'),
  lng: z.coerce
    .number()
    .min(-180, 'longitude must be between -180 and 180')
    .max(180, 'longitude must be between -180 and 180'),
  address: z.string().min(1).max(200),
  timezone: z.string().refine(isTimeZone, 'is not a timezone name such as Asia/Jakarta'),
  hours: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, span])) as Record<(typeof WEEKDAYS)[number], typeof span>),
  carriers: z.array(z.enum(CARRIERS)).min(1),
  sells: z.array(z.enum(['sim', 'topup', 'esim'])).min(1),
  phone: z.string().max(30).optional(),
});

export type StoreEntry = z.infer<typeof storeEntry>;

/** Farther than this, a store is not "near" the traveller: the city list serves them better. */
export const NEARBY_KM = 100;
export type StoreView = Omit<StoreEntry, 'hours'> & { hours: WeeklyHours; distanceKm?: number };

export class StoreFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`The store file has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const CSV_COLUMNS = ['id', 'name', 'city', 'lat', 'lng', 'address', 'timezone', 'carriers', 'sells', ...WEEKDAYS];
/** A list in one cell: "axis;xl" in a comma-separated file, "axis,xl" or "axis xl" in a semicolon-separated one. */
const cellList = (cell: string | undefined) =>
  (cell ?? '')
    .split(/[;,|\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
/** Excel on Indonesian (and most European) settings writes -8,4964 for -8.4964. */
const decimal = (cell: string | undefined) => (cell ?? '').trim().replace(/^(-?\d+),(\d+)$/, '$1.$2');

function csvRows(path: string, text: string): Array<{ label: string; row: unknown }> {
  const read = readCsv(text);
  if (!read.ok) throw new StoreFileError([`${path}: ${read.problem}`]);
  const first = read.rows[0]?.cells ?? {};
  const missing = CSV_COLUMNS.filter((c) => !(c in first));
  if (read.rows.length && missing.length)
    throw new StoreFileError([
      `${path}: the header has no column ${missing.map((c) => `"${c}"`).join(', ')} ` +
        `(columns separated by ${SEPARATOR_NAMES[read.separator]}s: ${Object.keys(first).join(', ')})`,
    ]);
  return read.rows.map(({ line, cells }) => ({
    label: `row ${line}`,
    row: {
      ...cells,
      lat: decimal(cells.lat),
      lng: decimal(cells.lng),
      carriers: cellList(cells.carriers),
      sells: cellList(cells.sells),
      hours: Object.fromEntries(WEEKDAYS.map((d) => [d, cells[d] ?? ''])),
      phone: cells.phone || undefined,
    },
  }));
}

/** JSON ({ "stores": [...] }) or CSV (a header row; hours as mon..sun columns; separated by commas, semicolons or tabs). */
export function parseStoreFile(path: string): StoreEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new StoreFileError([`${path}: ${(error as Error).message}`]);
  }
  let entries: Array<{ label: string; row: unknown }>;
  if (path.endsWith('.csv')) entries = csvRows(path, text);
  else {
    try {
      const stores = (JSON.parse(text) as { stores?: unknown[] }).stores ?? [];
      entries = stores.map((row, i) => ({ label: `stores[${i}]`, row }));
    } catch (error) {
      throw new StoreFileError([`${path}: not valid JSON (${(error as Error).message})`]);
    }
  }
  const rows = entries.map((e) => e.row);
  const label = (i: number) => entries[i]!.label;
  const problems: string[] = [];
  const stores: StoreEntry[] = [];
  rows.forEach((row, i) => {
    const parsed = storeEntry.safeParse(row);
    const id = (row as { id?: string }).id;
    if (parsed.success) stores.push(parsed.data);
    else
      for (const issue of parsed.error.issues)
        problems.push(`${label(i)}${id ? ` (${id})` : ''}.${issue.path.join('.')}: ${issue.message}`);
  });
  const seen = new Set<string>();
  for (const s of stores) {
    if (seen.has(s.id)) problems.push(`${s.id}: the id is used twice`);
    seen.add(s.id);
  }
  if (!rows.length) problems.push(`${path}: no stores`);
  if (problems.length) throw new StoreFileError(problems);
  return stores;
}

/** What loading `entries` would change (stores added, changed field by field, switched off); nothing is written. */
export async function storeChanges(
  db: Db,
  entries: StoreEntry[],
): Promise<{
  added: string[];
  changed: Array<{ code: string; fields: string[] }>;
  switchedOff: string[];
  unchanged: number;
}> {
  const current = new Map((await db.store.findMany()).map((s) => [s.id, s]));
  const added: string[] = [];
  const changed: Array<{ code: string; fields: string[] }> = [];
  for (const e of entries) {
    const s = current.get(e.id);
    if (!s) {
      added.push(e.id);
      continue;
    }
    const now = { ...e, phone: e.phone ?? null, active: true };
    const fields = (Object.keys(now) as Array<keyof typeof now>).filter((k) => k !== 'id' && !sameJson(s[k], now[k]));
    if (fields.length) changed.push({ code: e.id, fields });
  }
  const ids = new Set(entries.map((e) => e.id));
  const switchedOff = [...current.values()].filter((s) => s.active && !ids.has(s.id)).map((s) => s.id);
  return { added, changed, switchedOff, unchanged: entries.length - added.length - changed.length };
}

export function createStoreService(deps: { db: Db }) {
  const { db } = deps;
  const toView = (s: {
    id: string;
    name: string;
    city: string;
    lat: number;
    lng: number;
    address: string;
    timezone: string;
    hours: unknown;
    carriers: unknown;
    sells: unknown;
    phone: string | null;
  }): StoreView => ({
    id: s.id,
    name: s.name,
    city: s.city,
    lat: s.lat,
    lng: s.lng,
    address: s.address,
    timezone: s.timezone,
    hours: s.hours as WeeklyHours,
    carriers: s.carriers as StoreView['carriers'],
    sells: s.sells as StoreView['sells'],
    phone: s.phone ?? undefined,
  });

  return {
    async load(entries: StoreEntry[]): Promise<{ loaded: number; deactivated: number }> {
      const ids = entries.map((e) => e.id);
      return db.$transaction(async (tx) => {
        // As the catalog: new stores in one statement, changed ones one by one.
        const stored = new Set(
          (await tx.store.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((x) => x.id),
        );
        const rows = entries.map((e) => ({
          id: e.id,
          name: e.name,
          city: e.city,
          lat: e.lat,
          lng: e.lng,
          address: e.address,
          timezone: e.timezone,
          hours: e.hours,
          carriers: e.carriers,
          sells: e.sells,
          phone: e.phone ?? null,
          active: true,
        }));
        const added = rows.filter((row) => !stored.has(row.id));
        if (added.length) await tx.store.createMany({ data: added });
        for (const { id, ...data } of rows.filter((row) => stored.has(row.id)))
          await tx.store.update({ where: { id }, data });
        const { count } = await tx.store.updateMany({
          where: { id: { notIn: ids }, active: true },
          data: { active: false },
        });
        return { loaded: entries.length, deactivated: count };
      });
    },
    /** The nearest stores within `maxKm` (nearest first); none when the closest is farther than that. */
    async near(point: GeoPoint, limit = 5, maxKm = NEARBY_KM): Promise<StoreView[]> {
      const box = searchBox(point, maxKm);
      const lng = box.lng ? { OR: box.lng.map(([gte, lte]) => ({ lng: { gte, lte } })) } : {};
      return (await db.store.findMany({ where: { active: true, lat: { gte: box.lat[0], lte: box.lat[1] }, ...lng } }))
        .map((s) => ({ ...toView(s), distanceKm: distanceKm(point, s) }))
        .filter((s) => s.distanceKm <= maxKm)
        .sort((a, b) => a.distanceKm - b.distanceKm)
        .slice(0, limit);
    },
    /** A long city name arrives cut (callback data holds 64 bytes): it is found by its beginning. */
    async inCity(city: string, limit = 8): Promise<StoreView[]> {
      const exact = (
        await db.store.findMany({ where: { active: true, city }, orderBy: { name: 'asc' }, take: limit })
      ).map(toView);
      if (exact.length || !city) return exact;
      return (
        await db.store.findMany({
          where: { active: true, city: { startsWith: city } },
          orderBy: { name: 'asc' },
          take: limit,
        })
      ).map(toView);
    },
    async cities(): Promise<string[]> {
      return (
        await db.store.findMany({
          where: { active: true },
          distinct: ['city'],
          select: { city: true },
          orderBy: { city: 'asc' },
        })
      ).map((s) => s.city);
    },
    async get(id: string): Promise<StoreView | null> {
      const s = await db.store.findFirst({ where: { id, active: true } });
      return s ? toView(s) : null;
    },
    async isEmpty(): Promise<boolean> {
      return (await db.store.count()) === 0;
    },
  };
}

export type StoreService = ReturnType<typeof createStoreService>;
