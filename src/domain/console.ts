// Pure rules of the operator's console: report periods, what a search box holds, margins.

export type Period = 'today' | '7d' | '30d';
export const PERIODS: readonly Period[] = ['today', '7d', '30d'];

/** The timezone's offset from UTC at `at`, in ms (positive east of Greenwich). */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = wallClock(at, timeZone);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** Midnight of `at`'s day in `timeZone`, as an instant. */
export function startOfDay(at: Date, timeZone: string): Date {
  const { year, month, day } = wallClock(at, timeZone);
  return new Date(Date.UTC(year, month - 1, day) - zoneOffsetMs(at, timeZone));
}

/** What a wall clock in `timeZone` reads at `at`. */
function wallClock(at: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
  );
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
}

/** Where a period starts: today is the operator's calendar day, the others count back whole days from it. */
export function periodStart(period: Period, now: Date, timeZone: string): Date {
  const today = startOfDay(now, timeZone);
  const days = period === 'today' ? 0 : period === '7d' ? 6 : 29;
  return new Date(today.getTime() - days * 86_400_000);
}

export type SearchQuery =
  | { kind: 'order'; suffix: string }
  /** Digits: the tail of a line's number, and perhaps a Telegram id (both are looked up). */
  | { kind: 'digits'; digits: string; telegramId: bigint | null }
  | { kind: 'none' };

/**
 * What an operator typed in the search box: an order number (KU-1A2B3C4D, with or without KU-),
 * or digits: a Telegram id, or the last digits (4 or more) of a line. Phone forms (+62…, 08…) are
 * reduced to the digits stored for the line.
 */
export function parseSearch(input: string): SearchQuery {
  const text = input.trim();
  const order = /^(?:KU-?)?([0-9a-z]{8})$/i.exec(text);
  if (order && (/^KU/i.test(text) || /[a-z]/i.test(order[1]!)))
    return { kind: 'order', suffix: order[1]!.toLowerCase() };
  const digits = text.replace(/^tg:/i, '').replace(/[\s\-()+.]/g, '');
  if (/^\d{4,20}$/.test(digits)) {
    // Lines are stored as 62…: a local 08… number matches by everything after its 0.
    const tail = digits.startsWith('0') ? digits.slice(1) : digits;
    return {
      kind: 'digits',
      digits: tail,
      telegramId: digits.length <= 15 && !digits.startsWith('0') ? BigInt(digits) : null,
    };
  }
  return { kind: 'none' };
}

/** Margin of a plan over its wholesale cost, in the plan's minor units; null when the cost is unknown or in another currency. */
export function margin(
  price: { amountMinor: number; currency: string },
  cost: { amountMinor: number; currency: string } | null,
): { amountMinor: number; belowCost: boolean; percent: number } | null {
  if (!cost || cost.currency !== price.currency) return null;
  const amountMinor = price.amountMinor - cost.amountMinor;
  return {
    amountMinor,
    belowCost: amountMinor < 0,
    percent: price.amountMinor ? Math.round((amountMinor / price.amountMinor) * 1000) / 10 : 0,
  };
}
