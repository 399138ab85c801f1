import { dateTimeFormat } from './intl-formats.js';
/** When a line's expiry is worth a message, and which one. */

export type ReminderWindow = { name: string; beforeMs: number };

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "3d,1d,3h" → windows, largest first. */
export function parseWindows(spec: string): ReminderWindow[] {
  const windows = spec.split(',').map((part) => {
    const m = /^\s*(\d+)\s*([mhd])\s*$/.exec(part);
    if (!m) throw new Error(`"${part.trim()}" is not a reminder window (use e.g. 3d, 1d, 3h)`);
    return { name: `${m[1]}${m[2]}`, beforeMs: Number(m[1]) * UNIT_MS[m[2]!]! };
  });
  return windows.sort((a, b) => b.beforeMs - a.beforeMs);
}

export const EXPIRED = 'expired';
/** An expiry older than this gets no "expired" message: it was long before Kuota knew the line. */
export const EXPIRED_LOOKBACK_MS = 86_400_000;

/**
 * The one reminder due now: the smallest window the time left falls into, so a line found late
 * (after downtime) gets the reminder that fits, not every one it missed.
 */
export function dueWindow(expiresAt: Date, now: Date, windows: ReminderWindow[]): string | null {
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return -left <= EXPIRED_LOOKBACK_MS ? EXPIRED : null;
  let due: string | null = null;
  for (const w of windows) if (left <= w.beforeMs) due = w.name;
  return due;
}

export function reminderKey(lineId: string, expiresAt: Date, window: string): string {
  return `reminder:${lineId}:${expiresAt.getTime()}:${window}`;
}

/** The traveller's wall-clock hour and minute at `at`. */
function localTime(at: Date, timeZone: string): { hour: number; minute: number } {
  const parts = dateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  return {
    hour: Number(parts.find((p) => p.type === 'hour')!.value),
    minute: Number(parts.find((p) => p.type === 'minute')!.value),
  };
}

export function inQuietHours(hour: number, quietStart: number, quietEnd: number): boolean {
  if (quietStart === quietEnd) return false;
  return quietStart < quietEnd ? hour >= quietStart && hour < quietEnd : hour >= quietStart || hour < quietEnd;
}

/** When quiet hours end, if `now` is inside them; null otherwise. */
export function quietHoursEnd(now: Date, timeZone: string, quietStart: number, quietEnd: number): Date | null {
  const { hour, minute } = localTime(now, timeZone);
  if (!inQuietHours(hour, quietStart, quietEnd)) return null;
  const minutesUntil = ((quietEnd - hour + 24) % 24) * 60 - minute;
  return new Date(now.getTime() + minutesUntil * 60_000 - (now.getTime() % 60_000));
}

/** Now, or at the end of quiet hours, unless the plan would lapse before then. */
export function reminderSendAt(
  now: Date,
  expiresAt: Date,
  user: { timezone: string; quietStart: number; quietEnd: number },
): Date {
  const end = quietHoursEnd(now, user.timezone, user.quietStart, user.quietEnd);
  if (!end || expiresAt <= end) return now;
  return end;
}
