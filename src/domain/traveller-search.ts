import { parseSearch } from './console.js';

/** What an operator typed in the travellers' search box. */
export type TravellerSearch =
  /** Digits: a Telegram id, or the tail of a number or an ICCID (both are looked up). */
  | { kind: 'digits'; digits: string; telegramId: bigint | null }
  /** Words or an @username: looked for in the name and username Telegram gave, lower-cased. */
  | { kind: 'name'; text: string }
  | { kind: 'none' };

/** The key a traveller's name is searched by: their name and @username, lower-cased in any script. */
export function nameKey(name: string | null, username: string | null): string | null {
  const key = [name, username ? `@${username}` : null].filter(Boolean).join(' ').toLowerCase();
  return key || null;
}

export function parseTravellerSearch(input: string): TravellerSearch {
  const text = input.trim();
  const digits = parseSearch(text);
  if (digits.kind === 'digits') return digits;
  // Two letters at least: one letter would match nearly everyone.
  return text.replace(/^@/, '').length >= 2 ? { kind: 'name', text: text.toLowerCase() } : { kind: 'none' };
}
