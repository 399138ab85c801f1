/**
 * "Something was queued for delivery": services, webhooks and the console call queued(), and the
 * delivery loop listens once it has started. It replaces the late-bound poke callbacks, so a part
 * can be built before the loop exists.
 */
export function createOutboxSignal() {
  const listeners = new Set<() => void>();
  return {
    queued(): void {
      for (const listener of listeners) listener();
    },
    listen(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type OutboxSignal = ReturnType<typeof createOutboxSignal>;
