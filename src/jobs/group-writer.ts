/**
 * Collects items and writes them together: when `maxItems` are waiting or `maxDelayMs` after the
 * first. Each add() settles when its group is written, so a caller knows its own item is stored.
 *
 * One write is under way at a time; what arrives meanwhile goes in the next, up to `maxPerWrite`
 * items a statement. A slow database then gets fewer, larger writes instead of more of them
 * competing for its connections: on a loaded PostgreSQL, 20 writes a second of 50 rows each held
 * each sent row 1–5 s before it was marked (bench:wave's DeliveryStats), and the sends with it.
 */
export function createGroupWriter<T>(
  write: (items: T[]) => Promise<unknown>,
  options: { maxItems: number; maxDelayMs: number; maxPerWrite?: number },
) {
  const maxPerWrite = Math.max(options.maxItems, options.maxPerWrite ?? options.maxItems);
  let waiting: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  let timer: NodeJS.Timeout | null = null;
  let writing = false;

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (writing || !waiting.length) return;
    const group = waiting.slice(0, maxPerWrite);
    waiting = waiting.slice(group.length);
    writing = true;
    write(group.map((g) => g.item))
      .then(
        () => group.forEach((g) => g.resolve()),
        (error) => group.forEach((g) => g.reject(error)),
      )
      .finally(() => {
        writing = false;
        // What gathered during the write goes at once: it has waited a write's time already.
        flush();
      });
  }

  return {
    add(item: T): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (writing) return;
        if (waiting.length >= options.maxItems) flush();
        else timer ??= setTimeout(flush, options.maxDelayMs);
      });
    },
    flush,
  };
}
