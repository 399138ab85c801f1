import { describe, expect, it } from 'vitest';
import { dueWindow, inQuietHours, parseWindows, quietHoursEnd, reminderSendAt } from '../../src/domain/reminders.js';
import { SendPacer } from '../../src/jobs/send-pacer.js';

const H = 3_600_000;
const windows = parseWindows('3d,1d,3h');

describe('reminder windows', () => {
  const now = new Date('2026-11-24T03:00:00Z');
  const at = (ms: number) => new Date(now.getTime() + ms);

  it('picks the smallest window the time left falls into', () => {
    expect(dueWindow(at(80 * H), now, windows)).toBeNull();
    expect(dueWindow(at(72 * H), now, windows)).toBe('3d');
    expect(dueWindow(at(30 * H), now, windows)).toBe('3d');
    expect(dueWindow(at(24 * H), now, windows)).toBe('1d');
    expect(dueWindow(at(2 * H), now, windows)).toBe('3h');
    expect(dueWindow(at(-H), now, windows)).toBe('expired');
    expect(dueWindow(at(-48 * H), now, windows)).toBeNull();
  });

  it('reads the configured windows and refuses nonsense', () => {
    expect(parseWindows('1d, 6h,3d').map((w) => w.name)).toEqual(['3d', '1d', '6h']);
    expect(() => parseWindows('tomorrow')).toThrow(/not a reminder window/);
  });
});

describe('quiet hours', () => {
  const traveller = { timezone: 'Asia/Jakarta', quietStart: 22, quietEnd: 8 };

  it('wraps around midnight', () => {
    expect(inQuietHours(23, 22, 8)).toBe(true);
    expect(inQuietHours(3, 22, 8)).toBe(true);
    expect(inQuietHours(8, 22, 8)).toBe(false);
    expect(inQuietHours(13, 12, 14)).toBe(true);
    expect(inQuietHours(13, 0, 0)).toBe(false);
  });

  it('holds a reminder at 23:30 in Jakarta until 08:00 there', () => {
    const now = new Date('2026-11-24T16:30:00Z'); // 23:30 WIB
    expect(quietHoursEnd(now, 'Asia/Jakarta', 22, 8)).toEqual(new Date('2026-11-25T01:00:00Z')); // 08:00 WIB
    expect(reminderSendAt(now, new Date('2026-11-27T00:00:00Z'), traveller)).toEqual(new Date('2026-11-25T01:00:00Z'));
  });

  it('sends at once when the plan would lapse before quiet hours end', () => {
    const now = new Date('2026-11-24T16:30:00Z');
    expect(reminderSendAt(now, new Date('2026-11-24T19:00:00Z'), traveller)).toEqual(now);
  });

  it("uses the traveller's own timezone: 23:30 in Jakarta is 00:30 in Shanghai", () => {
    const now = new Date('2026-11-24T16:30:00Z');
    expect(quietHoursEnd(now, 'Asia/Shanghai', 22, 8)).toEqual(new Date('2026-11-25T00:00:00Z'));
    expect(quietHoursEnd(now, 'Europe/London', 22, 8)).toBeNull();
  });
});

describe('the send pacer', () => {
  it('spaces messages evenly at the overall rate and one a second per chat', () => {
    const pacer = new SendPacer(25);
    const slots = Array.from({ length: 50 }, (_, i) => pacer.reserve(i, 0));
    const gaps = slots.slice(1).map((at, i) => at - slots[i]!);
    // Never faster than 25 a second, and on average no more than 4% below it (24 in any second).
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(40);
    expect(slots[49]! / 49).toBeLessThanOrEqual(1000 / 24 + 0.001);
    const again = pacer.reserve(0, 0);
    expect(again).toBeGreaterThanOrEqual(1100);
  });

  it('lets a late send catch up a little of the schedule, never more', () => {
    const pacer = new SendPacer(100);
    const first = pacer.reserve(1, 1000);
    expect(first).toBe(950); // at once
    expect(pacer.reserve(2, 1000)).toBeCloseTo(950 + 1000 / 97, 6);
    // Half a second late: only 50 ms of it is made up.
    expect(pacer.reserve(3, 1500)).toBe(1450);
  });

  it('never lets a second hold the limit at Telegram, however the sender stalls, catches up, leaves late or waits for answers', () => {
    for (const rate of [30, 1000]) {
      const pacer = new SendPacer(rate);
      // Each message may reach Telegram anywhere between leaving and its answer.
      const spans: Array<[number, number]> = [];
      let waiting: number[] = []; // when the answers come
      let clock = 0;
      let nextStall = 100;
      let nextLate = 500;
      while (spans.length < rate * 5) {
        // Every 100 ms the event loop is 12 ms late, as a busy process's would be.
        if (clock >= nextStall) {
          clock += 12;
          nextStall += 100;
        }
        waiting.sort((a, b) => a - b);
        while (waiting.length && waiting[0]! <= clock) pacer.landed(waiting.shift()!);
        if (waiting.length >= Math.min(16, pacer.maxInFlight)) {
          clock = waiting[0]!;
          continue;
        }
        const i = spans.length;
        const at = pacer.reserve(i, clock);
        // Once a second a timer fires 30 ms after its slot; answers take 2 to 25 ms.
        const late = clock >= nextLate ? 30 : 0;
        if (late) nextLate += 1000;
        const left = Math.max(clock, at) + late;
        pacer.departed();
        const answered = left + 2 + ((i * 37) % 24);
        waiting = [...waiting, answered];
        spans.push([left, answered]);
        clock = left;
      }
      // The worst case: every message that could arrive inside one second does.
      let most = 0;
      for (const [start] of spans) {
        let count = 0;
        for (const [left, answered] of spans) if (answered >= start && left < start + 1000) count++;
        most = Math.max(most, count);
      }
      expect(most, `at ${rate}/s`).toBeLessThanOrEqual(rate);
      // …while keeping close to the rate.
      expect(spans.length / (spans.at(-1)![0] / 1000), `at ${rate}/s`).toBeGreaterThan(rate * 0.95);
    }
  });

  it('waits out a 429', () => {
    const pacer = new SendPacer(30);
    pacer.pause(5000);
    expect(pacer.reserve(1, 0)).toBe(5000);
  });
});
