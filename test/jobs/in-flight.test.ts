import { describe, expect, it } from 'vitest';
import { InFlightLimit } from '../../src/jobs/in-flight.js';

describe('how many sends wait for Telegram at once', () => {
  it('keeps enough in flight for 1,000 a second over a 40 ms round trip, where 16 would hold it to 400', () => {
    const limit = new InFlightLimit(1000, 16, 256);
    for (let i = 0; i < 50; i++) limit.held(40);
    expect(limit.current).toBeGreaterThanOrEqual(40);
    expect(limit.current * (1000 / 40)).toBeGreaterThan(1000);
  });

  it('keeps 16 for a nearby server or a slow rate, and never more than the ceiling that bounds a kill', () => {
    const near = new InFlightLimit(1000, 16, 256);
    for (let i = 0; i < 50; i++) near.held(2);
    expect(near.current).toBe(16);
    const free = new InFlightLimit(30, 16, 30);
    for (let i = 0; i < 50; i++) free.held(80);
    expect(free.current).toBe(16);
    const far = new InFlightLimit(1000, 16, 100);
    for (let i = 0; i < 50; i++) far.held(400);
    expect(far.current).toBe(100);
  });

  it('follows the round trip as it changes, not only the first answer', () => {
    const limit = new InFlightLimit(1000, 16, 256);
    limit.held(2);
    for (let i = 0; i < 60; i++) limit.held(60);
    expect(limit.current).toBeGreaterThanOrEqual(80);
  });
});
