import { describe, expect, it } from 'vitest';
import { canMove, statesThatCanMoveTo } from '../../src/domain/order-state.js';
import { canTryCode } from '../../src/domain/otp-policy.js';

describe('order states', () => {
  it('lets a payment settle an order that expired or failed meanwhile, never a finished one', () => {
    expect(statesThatCanMoveTo('paid').sort()).toEqual([
      'awaiting_payment',
      'canceled',
      'draft',
      'expired',
      'payment_failed',
    ]);
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
  const fresh = { expiresAt: new Date(now.getTime() + 60_000), verifiedAt: null };

  it('refuses an expired or used code', () => {
    expect(canTryCode({ ...fresh, expiresAt: now }, now)).toBe('expired');
    expect(canTryCode({ ...fresh, verifiedAt: now }, now)).toBe('already_used');
  });
});
