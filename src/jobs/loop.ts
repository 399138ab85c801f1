import type { RepeatedLog } from '../observe/repeated.js';

/** Runs `tick` again and again, `intervalMs` apart when idle, until stopped; stop() waits for the tick under way. */
export function startLoop(name: string, tick: () => Promise<number>, intervalMs: number, failed: RepeatedLog) {
  let running = true;
  let wake: (() => void) | undefined;
  const done = (async () => {
    while (running) {
      let handled = 0;
      try {
        handled = await tick();
      } catch (error) {
        // During a database outage this fails every interval: one line a minute, with the count.
        failed(`loop:${name}`, { err: error, loop: name }, 'loop tick failed');
      }
      if (handled === 0 && running)
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, intervalMs).unref();
        });
    }
  })();
  return {
    async stop() {
      running = false;
      wake?.();
      await done;
    },
    /** Ask for a tick now (after something was queued) instead of waiting out the interval. */
    poke() {
      wake?.();
    },
  };
}
