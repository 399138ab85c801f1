import type { Logger } from '../logger.js';

/** Work started after an answer was sent (a top-up after its webhook): a failure is logged, stop() waits for what is under way. */
export function createBackground(logger: Logger) {
  const underWay = new Set<Promise<void>>();
  return {
    run(what: string, context: Record<string, unknown>, work: () => Promise<unknown>, then?: () => void): void {
      const task: Promise<void> = work()
        .then(
          () => undefined,
          (err: unknown) => logger.error({ err, ...context }, `${what} failed`),
        )
        .finally(() => {
          underWay.delete(task);
          then?.();
        });
      underWay.add(task);
    },
    async settle(): Promise<void> {
      await Promise.allSettled([...underWay]);
    },
  };
}
