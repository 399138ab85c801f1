import { createHash, timingSafeEqual } from 'node:crypto';

// A signature or secret someone sent, compared with the one expected in constant time. Both are hashed
// first, so any input (another length, non-ASCII, empty) is just "not the same" rather than a crash.
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected)) && given === expected;
}
