import { newOrderIdentity } from '../../domain/order-state.js';

/**
 * A renewal's order, as a draft at the plan's price: the off-session charge, a Stars subscription's
 * first payment and each of its renewals all start from one, and settle it through the one settle path.
 */
export function renewalOrderData(r: {
  userId: string;
  lineId: string;
  plan: { id: string; priceMinor: number; currency: string };
  previousExpiresAt: Date | null;
  /** The price in Stars, frozen (a Stars subscription's). */
  starsAmount?: number;
}) {
  return {
    ...newOrderIdentity(),
    userId: r.userId,
    lineId: r.lineId,
    planId: r.plan.id,
    amountMinor: r.plan.priceMinor,
    currency: r.plan.currency,
    state: 'draft' as const,
    source: 'auto_renew' as const,
    previousExpiresAt: r.previousExpiresAt,
    ...(r.starsAmount !== undefined && { starsAmount: r.starsAmount }),
  };
}
