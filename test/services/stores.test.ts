import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distanceKm, isOpen, searchBox, type WeeklyHours } from '../../src/domain/stores.js';
import { parseStoreFile, StoreFileError } from '../../src/services/stores/stores.js';

const every = (span: [string, string] | null): WeeklyHours => ({
  sun: span,
  mon: span,
  tue: span,
  wed: span,
  thu: span,
  fri: span,
  sat: span,
});
const dir = mkdtempSync(path.join(tmpdir(), 'kuota-stores-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('partner stores', () => {
  it('loads the sample file, which says it is sample data', () => {
    const stores = parseStoreFile('data/stores.sample.json');
    expect(stores.length).toBeGreaterThan(4);
    expect(stores.map((s) => s.city)).toContain('Bali');
  });

  it('reads a CSV file the operator keeps in a spreadsheet', () => {
    const file = write(
      'stores.csv',
      [
        'id,name,city,lat,lng,address,timezone,carriers,sells,mon,tue,wed,thu,fri,sat,sun,phone',
        'mdn-1,"Toko Medan, Pusat",Medan,3.5952,98.6722,"Jl. Ahmad Yani 1, Medan",Asia/Jakarta,axis;xl,sim;topup,09:00-21:00,09:00-21:00,09:00-21:00,09:00-21:00,09:00-21:00,10:00-22:00,closed,',
      ].join('\n'),
    );
    const [store] = parseStoreFile(file);
    expect(store).toMatchObject({
      id: 'mdn-1',
      name: 'Toko Medan, Pusat',
      lat: 3.5952,
      carriers: ['axis', 'xl'],
      hours: { sun: null, sat: ['10:00', '22:00'] },
    });
  });

  it('names the bad row and field: coordinates out of range, hours that do not parse, an unknown timezone', () => {
    const file = write(
      'bad.csv',
      [
        'id,name,city,lat,lng,address,timezone,carriers,sells,mon,tue,wed,thu,fri,sat,sun',
        'ok-1,A,Medan,3.5,98.6,Addr,Asia/Jakarta,axis,sim,09:00-21:00,09:00-21:00,09:00-21:00,09:00-21:00,09:00-21:00,09:00-21:00,closed',
        'bad-1,B,Medan,93.5,98.6,Addr,Asia/Jakarta,axis,sim,9am-9pm,09:00-21:00,09:00-21:00,09:00-21:00,09:00-21:00,09:00-21:00,closed',
        'bad-2,C,Medan,3.5,98.6,Addr,Mars/Olympus,axis,sim,09:00-21:00,09:00-21:00,09:00-21:00,09:00-21:00,09:00-21:00,09:00-21:00,closed',
      ].join('\n'),
    );
    try {
      parseStoreFile(file);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StoreFileError);
      const problems = (error as StoreFileError).problems.join('\n');
      expect(problems).toContain('row 3 (bad-1).lat: latitude must be between -90 and 90');
      expect(problems).toContain('row 3 (bad-1).hours.mon: "9am-9pm" is not opening hours');
      expect(problems).toContain('row 4 (bad-2).timezone: is not a timezone name');
      expect(problems).not.toContain('ok-1');
    }
  });

  it('knows whether a store is open now in its own timezone, including hours past midnight', () => {
    const at = (iso: string) => new Date(iso);
    expect(isOpen(every(['09:00', '21:00']), 'Asia/Makassar', at('2026-11-24T02:00:00Z'))).toBe(true); // 10:00 in Bali
    expect(isOpen(every(['09:00', '21:00']), 'Asia/Makassar', at('2026-11-24T14:00:00Z'))).toBe(false); // 22:00 in Bali
    expect(isOpen(every(['09:00', '21:00']), 'Asia/Jakarta', at('2026-11-24T13:30:00Z'))).toBe(true); // 20:30 in Jakarta
    expect(isOpen(every(['06:00', '02:00']), 'Asia/Jakarta', at('2026-11-24T18:30:00Z'))).toBe(true); // 01:30, yesterday's shift
    expect(isOpen(every(['06:00', '02:00']), 'Asia/Jakarta', at('2026-11-24T20:00:00Z'))).toBe(false); // 03:00
    expect(isOpen({ ...every(['09:00', '21:00']), tue: null }, 'Asia/Jakarta', at('2026-11-24T05:00:00Z'))).toBe(false); // Tuesday, closed
    expect(isOpen(every(['00:00', '24:00']), 'Asia/Makassar', at('2026-11-24T19:00:00Z'))).toBe(true);
  });

  it('measures distance on the globe', () => {
    expect(distanceKm({ lat: 51.5074, lng: -0.1278 }, { lat: 48.8566, lng: 2.3522 })).toBeCloseTo(344, -1); // London – Paris
    expect(distanceKm({ lat: -8.718, lng: 115.169 }, { lat: -8.718, lng: 115.169 })).toBe(0);
  });
});

describe('the search box around a traveller', () => {
  it('wraps at the antimeridian, and covers every longitude near a pole', () => {
    expect(searchBox({ lat: -16.8, lng: -179.95 }, 100).lng).toEqual([
      [expect.closeTo(179.11, 1), 180],
      [-180, expect.closeTo(-179.01, 1)],
    ]);
    expect(searchBox({ lat: 0, lng: 179.9 }, 100).lng).toEqual([
      [expect.closeTo(179.0, 1), 180],
      [-180, expect.closeTo(-179.2, 1)],
    ]);
    expect(searchBox({ lat: 89.5, lng: 10 }, 100).lng).toBeNull();
    const box = searchBox({ lat: 40.7, lng: -74 }, 100);
    expect(box.lng).toHaveLength(1);
    expect(distanceKm({ lat: 40.7, lng: -74 }, { lat: 40.7, lng: box.lng![0]![1] })).toBeGreaterThanOrEqual(99);
  });
});
