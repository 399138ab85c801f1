import { describe, expect, it } from 'vitest';
import { canMove, statesThatCanMoveTo } from '../../src/domain/order-state.js';
import { afterWrongCode, canTryCode } from '../../src/domain/otp-policy.js';

describe('order states', () => {
  it('lets a payment settle an order that expired or failed meanwhile, never a finished one', () => {
    expect(statesThatCanMoveTo('paid').sort()).toEqual(['awaiting_payment', 'canceled', 'draft', 'expired', 'payment_failed']);
    expect(canMove('fulfilled', 'paid')).toBe(false);
    expect(canMove('refunded', 'topping_up')).toBe(false);
  });

  it('never expires a paid order', () => {
    expect(canMove('paid', 'expired')).toBe(false);
    expect(canMove('topping_up', 'expired')).toBe(false);
  });
});

describe('one-time code policy', () => {
  const now = new Date('2026-11-24T10:00:00Z');
  const fresh = { expiresAt: new Date(now.getTime() + 60_000), attempts: 0, lockedUntil: null, verifiedAt: null };

  it('locks for 15 minutes at the fifth wrong code', () => {
    let state = fresh;
    for (let i = 1; i <= 4; i++) {
      const next = afterWrongCode(state, now);
      expect(next).toEqual({ attempts: i, lockedUntil: null, triesLeft: 5 - i });
      state = { ...state, attempts: next.attempts };
    }
    const last = afterWrongCode(state, now);
    expect(last.lockedUntil).toEqual(new Date(now.getTime() + 15 * 60_000));
    expect(canTryCode({ ...state, lockedUntil: last.lockedUntil }, now)).toBe('locked');
  });

  it('refuses an expired or used code', () => {
    expect(canTryCode({ ...fresh, expiresAt: now }, now)).toBe('expired');
    expect(canTryCode({ ...fresh, verifiedAt: now }, now)).toBe('already_used');
  });
});
