/**
 * Collects items and writes them together: when `maxItems` are waiting or `maxDelayMs` after the
 * first. Each add() settles when its group is written, so a caller knows its own item is stored.
 */
export function createGroupWriter<T>(
  write: (items: T[]) => Promise<unknown>,
  options: { maxItems: number; maxDelayMs: number },
) {
  let waiting: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  let timer: NodeJS.Timeout | null = null;

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    const group = waiting;
    waiting = [];
    if (!group.length) return;
    write(group.map((g) => g.item)).then(
      () => group.forEach((g) => g.resolve()),
      (error) => group.forEach((g) => g.reject(error)),
    );
  }

  return {
    add(item: T): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (waiting.length >= options.maxItems) flush();
        else timer ??= setTimeout(flush, options.maxDelayMs);
      });
    },
    flush,
  };
}
