import { describe, expect, it } from 'vitest';
import { crossedThreshold, lowDataKey, usedPercent, validityWarning } from '../../src/domain/usage.js';

describe('data usage', () => {
  it('is a share of the plan used, unknown for unlimited plans or missing amounts', () => {
    expect(usedPercent({ remainingMb: 1280, totalMb: 5120, unlimited: false })).toBe(75);
    expect(usedPercent({ remainingMb: 0, totalMb: 5120, unlimited: false })).toBe(100);
    expect(usedPercent({ remainingMb: null, totalMb: null, unlimited: true })).toBeNull();
    expect(usedPercent({ remainingMb: 10, totalMb: 0, unlimited: false })).toBeNull();
  });

  it('warns at the highest threshold reached', () => {
    expect(crossedThreshold(74.9, [75, 90])).toBeNull();
    expect(crossedThreshold(75, [75, 90])).toBe(75);
    expect(crossedThreshold(96, [90, 75])).toBe(90);
    expect(crossedThreshold(null, [75, 90])).toBeNull();
  });

  it('keys a warning by line, plan period and threshold', () => {
    expect(lowDataKey('l1', new Date(1000), 90)).toBe('lowdata:l1:1000:90');
    expect(lowDataKey('l1', null, 75)).toBe('lowdata:l1:open:75');
  });

  it('tells the traveller when a line has no days left, or the new plan would not extend it', () => {
    const now = new Date('2026-11-25T00:00:00Z');
    expect(validityWarning(new Date('2026-11-24T00:00:00Z'), new Date('2026-12-01T00:00:00Z'), now)).toBe(
      'no_days_left',
    );
    expect(validityWarning(new Date('2026-12-10T00:00:00Z'), new Date('2026-12-01T00:00:00Z'), now)).toBe(
      'no_extension',
    );
    expect(validityWarning(new Date('2026-11-30T00:00:00Z'), new Date('2026-12-07T00:00:00Z'), now)).toBeNull();
    expect(validityWarning(null, new Date('2026-12-07T00:00:00Z'), now)).toBeNull();
  });
});
