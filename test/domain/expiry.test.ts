import { describe, expect, it } from 'vitest';
import { calendarDaysUntil, extendExpiry, formatDateTime } from '../../src/domain/expiry.js';

const DAY = 86_400_000;

describe('expiry', () => {
  const now = new Date('2026-11-24T15:00:00Z');

  it('extends a running plan from its expiry, and a lapsed one from now', () => {
    const running = new Date('2026-11-26T00:00:00Z');
    expect(extendExpiry(running, now, 7)).toEqual(new Date(running.getTime() + 7 * DAY));
    expect(extendExpiry(new Date('2026-11-01T00:00:00Z'), now, 7)).toEqual(new Date(now.getTime() + 7 * DAY));
    expect(extendExpiry(null, now, 1)).toEqual(new Date(now.getTime() + DAY));
  });

  it("counts calendar days in the traveller's timezone, not UTC", () => {
    // 15:00 UTC is 22:00 in Jakarta and 23:00 in Shanghai; 17:30 UTC the next day is past midnight in both.
    const expires = new Date('2026-11-25T17:30:00Z');
    expect(calendarDaysUntil(expires, now, 'Asia/Jakarta')).toBe(2);
    expect(calendarDaysUntil(expires, now, 'UTC')).toBe(1);
    expect(calendarDaysUntil(expires, now, 'America/Los_Angeles')).toBe(1);
  });

  it("shows the same instant as each traveller's local time", () => {
    const at = new Date('2026-12-01T16:30:00Z');
    expect(formatDateTime(at, 'en', 'Asia/Jakarta')).toContain('11:30');
    expect(formatDateTime(at, 'en', 'Asia/Jakarta')).toContain('Dec 1');
    expect(formatDateTime(at, 'zh-CN', 'Asia/Shanghai')).toContain('2026年12月2日');
    expect(formatDateTime(at, 'id', 'Asia/Jakarta')).toContain('1 Des 2026');
  });

  it('writes a Vietnamese date in numbers, day first, as Vietnamese banks and wallets print it', () => {
    const at = new Date('2026-12-01T16:30:00Z');
    expect(formatDateTime(at, 'vi', 'Asia/Jakarta')).toBe('23:30 01/12/2026');
    // Just past midnight is 00:05 on the next day, never 24:05.
    expect(formatDateTime(new Date('2026-12-01T17:05:00Z'), 'vi', 'Asia/Jakarta')).toBe('00:05 02/12/2026');
    expect(formatDateTime(at, 'vi', 'Asia/Jakarta')).not.toContain('thg');
    // Every other language keeps its own medium date.
    expect(formatDateTime(at, 'en', 'Asia/Jakarta')).toContain('Dec 1, 2026');
  });
});
