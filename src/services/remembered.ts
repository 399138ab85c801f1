import type { RecordChanges } from './ports/record-changes.js';
export type { RecordChanges };

/**
 * Records kept in memory under their change keys: the oldest dropped first beyond `maxEntries`, each
 * kept at most `ttlMs` (a bound on staleness should a change ever go unheard).
 */
export function createRemembered<V>(options: { maxEntries?: number; ttlMs?: number } = {}) {
  const maxEntries = options.maxEntries ?? 20_000;
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const entries = new Map<string, { value: V; until: number }>();
  // Counts what was forgotten: a record read before a change was heard is not kept.
  let epoch = 0;
  return {
    get epoch() {
      return epoch;
    },
    get(key: string): V | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.until > Date.now()) return entry.value;
      entries.delete(key);
      return undefined;
    },
    /** `readAt`: the epoch when the value was read; a value read before a change is not kept. */
    set(key: string, value: V, readAt: number): void {
      if (readAt !== epoch) return;
      entries.delete(key);
      entries.set(key, { value: Object.freeze(value), until: Date.now() + ttlMs });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
    forget(key: string): void {
      epoch++;
      entries.delete(key);
    },
    forgetAll(): void {
      epoch++;
      entries.clear();
    },
  };
}
