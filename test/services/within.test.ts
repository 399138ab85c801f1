import { describe, expect, it } from 'vitest';
import { within } from '../../src/services/within.js';

describe('waiting for a provider within a limit', () => {
  it('gives the answer when it comes in time, the fallback when it does not, and lets the slow call finish', async () => {
    expect(await within(Promise.resolve('fresh'), 1000, 'cached')).toBe('fresh');
    let finished = false;
    const slow = new Promise<string>((resolve) =>
      setTimeout(() => {
        finished = true;
        resolve('fresh');
      }, 200),
    );
    expect(await within(slow, 10, 'cached')).toBe('cached');
    await slow;
    expect(finished).toBe(true);
  });
});
