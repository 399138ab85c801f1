import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/bot/i18n.js';
import { clockRange, clockTime, dateTime, expiry, list, relativeTime, type Locale } from '../../src/bot/format.js';

const DAY = 86_400_000;

describe("formatting in the reader's language", async () => {
  const i18n = await createI18n();
  const locale = (language: string, timezone = 'Asia/Jakarta'): Locale => ({
    t: i18n.getFixedT(language),
    language,
    timezone,
  });

  it('joins lists as each language joins them, not with ", "', () => {
    const items = ['SIM', 'top-up', 'eSIM'];
    expect(list(locale('en'), items)).toBe('SIM, top-up, and eSIM');
    expect(list(locale('id'), items)).toBe('SIM, top-up, dan eSIM');
    expect(list(locale('zh-CN'), items)).toBe('SIM、top-up和eSIM');
    expect(list(locale('ru'), items)).toBe('SIM, top-up и eSIM');
    expect(list(locale('ja'), items)).toBe('SIM、top-up、eSIM');
    expect(list(locale('en'), ['AXIS'])).toBe('AXIS');
  });

  it('writes Korean times with 오전 and 오후, as Korean readers do', () => {
    expect(clockTime(locale('ko'), 9)).toBe('오전 9:00');
    expect(clockTime(locale('ko'), 22)).toBe('오후 10:00');
    expect(dateTime(locale('ko', 'UTC'), '2026-01-05T14:30:00Z')).toContain('오후 2:30');
    expect(dateTime(locale('ko', 'UTC'), '2026-01-05T14:30:00Z')).not.toMatch(/AM|PM/);
  });

  it('writes quiet hours and opening hours through Intl', () => {
    expect(clockRange(locale('en'), [22, 0], [7, 0])).toBe('10:00 PM–7:00 AM');
    expect(clockRange(locale('ru'), [22, 0], [7, 0])).toBe('22:00–07:00');
    expect(clockRange(locale('id'), [22, 0], [7, 0])).toBe('22.00–07.00');
    expect(clockRange(locale('ja'), [9, 0], [21, 30])).toBe('9:00〜21:30');
    expect(clockRange(locale('ko'), [22, 0], [7, 0])).toBe('오후 10:00~오전 7:00');
  });

  it('keeps a Vietnamese relative day in lower case mid-sentence', () => {
    const now = new Date('2026-01-05T03:00:00Z');
    const tomorrow = new Date(now.getTime() + DAY);
    expect(relativeTime(locale('vi'), tomorrow, now)).toBe('ngày mai');
    expect(expiry(locale('vi'), tomorrow.toISOString(), now)).toMatch(/\(ngày mai\)$/);
    expect(
      i18n.getFixedT('vi')('reminder.expiring', {
        name: 'Mẹ',
        when: relativeTime(locale('vi'), tomorrow, now),
        date: '6/1',
      }),
    ).toContain('sẽ hết hạn ngày mai');
    // Languages whose relative days are already lower case are left alone.
    expect(relativeTime(locale('en'), tomorrow, now)).toBe('tomorrow');
  });

  it('reminds a Japanese reader in 「3日後」, with no space between the number and the unit', () => {
    const now = new Date('2026-01-05T03:00:00Z');
    const later = (ms: number) => new Date(now.getTime() + ms);
    expect(relativeTime(locale('ja'), later(3 * DAY), now)).toBe('3日後');
    expect(relativeTime(locale('ja'), later(5 * 3_600_000), now)).toBe('5時間後');
    expect(relativeTime(locale('ja'), later(20 * 60_000), now)).toBe('20分後');
    expect(expiry(locale('ja'), later(3 * DAY).toISOString(), now)).toContain('3日後');
    expect(relativeTime(locale('ko'), later(3 * DAY), now)).toBe('3일 후');
    expect(relativeTime(locale('zh-CN'), later(3 * DAY), now)).toBe('3天后');
    expect(relativeTime(locale('en'), later(3 * DAY), now)).toBe('in 3 days');
  });
});
