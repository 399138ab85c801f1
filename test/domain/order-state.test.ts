import { describe, expect, it } from 'vitest';
import {
  canMove,
  disputeOpen,
  REFUNDABLE_STATES,
  refundCheck,
  statesThatCanMoveTo,
} from '../../src/domain/order-state.js';
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

describe('the one refund rule', () => {
  it('refunds a paid or completed order, never one whose top-up is still with the provider', () => {
    expect([...REFUNDABLE_STATES].sort()).toEqual(['fulfilled', 'paid']);
    expect(refundCheck('topping_up', false)).toBe('top_up_in_flight');
    expect(refundCheck('refunding', false)).toBe('refund_under_way');
    expect(refundCheck('refunded', false)).toBe('already_refunded');
    for (const unpaid of ['draft', 'awaiting_payment', 'expired', 'canceled', 'payment_failed'])
      expect(refundCheck(unpaid, false)).toBe('not_paid');
    // Every refundable state may move to "refunding" in the table.
    for (const s of REFUNDABLE_STATES) expect(canMove(s, 'refunding')).toBe(true);
  });

  it('refuses a disputed payment in every paid state, until the dispute is reversed', () => {
    for (const s of ['paid', 'topping_up', 'fulfilled']) expect(refundCheck(s, true)).toBe('disputed');
    expect(refundCheck('refunded', true)).toBe('already_refunded');
    expect(disputeOpen(['payment', 'dispute'])).toBe(true);
    expect(disputeOpen(['payment', 'dispute', 'dispute_reversal'])).toBe(false);
    expect(disputeOpen(['payment', 'refund'])).toBe(false);
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
