import { describe, expect, it } from 'vitest';
import {
  calendarDaysUntil,
  extendExpiry,
  formatDateTime,
  formatRelative,
  formatRelativeDays,
} from '../../src/domain/expiry.js';

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

  it('writes a Japanese number against its unit, and other languages as Intl spaces them', () => {
    // Intl writes "3 日後"; Japanese copy never puts a space between a number and its unit.
    expect(formatRelativeDays(3, 'ja')).toBe('3日後');
    expect(formatRelativeDays(-3, 'ja')).toBe('3日前');
    expect(formatRelativeDays(14, 'ja')).toBe('14日後');
    expect(formatRelativeDays(1, 'ja')).toBe('明日');
    expect(formatRelative(5, 'hour', 'ja')).toBe('5時間後');
    expect(formatRelative(20, 'minute', 'ja')).toBe('20分後');
    // Chinese and Korean keep Intl's own spacing, as their copy does ("3天后", "3 天後", "3일 후").
    expect(formatRelativeDays(3, 'zh-CN')).toBe('3天后');
    expect(formatRelativeDays(3, 'zh-TW')).toBe('3 天後');
    expect(formatRelativeDays(3, 'ko')).toBe('3일 후');
    expect(formatRelative(5, 'hour', 'ko')).toBe('5시간 후');
    expect(formatRelativeDays(3, 'en')).toBe('in 3 days');
    expect(formatRelative(5, 'hour', 'en')).toBe('in 5 hours');
    for (const locale of ['id', 'ms', 'th', 'ru'])
      expect(formatRelativeDays(3, locale)).toBe(new Intl.RelativeTimeFormat(locale).format(3, 'day'));
  });
});
