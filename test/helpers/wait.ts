/**
 * How long a test waits for a condition before it fails: expect.poll's budget (vitest.config.ts) and a traveller's
 * waitFor's. Long enough for a loaded 2-core CI machine; a condition met early still ends the wait at once.
 */
export const WAIT_MS = 20_000;

/**
 * Waits until `check` holds, looking every `interval` ms (25 by default) for up to 20 s, and fails naming `what`
 * if it never does: a slow machine makes the test slower, never red. `check` may act as well as look (run a
 * job's tick, move a clock); it is called again only once its last call has ended.
 */
export async function until(
  check: () => unknown,
  { what = 'the condition', interval = 25 }: { what?: string | (() => string); interval?: number } = {},
): Promise<void> {
  const end = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > end)
      throw new Error(`waited ${WAIT_MS / 1000} s for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}
