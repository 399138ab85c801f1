/**
 * An order's life. Payment and fulfilment events arrive late, twice or out of order,
 * so every move is checked against this table and a move that is not allowed changes nothing.
 */
export const ORDER_STATES = ['draft', 'awaiting_payment', 'paid', 'topping_up', 'fulfilled', 'refunding', 'refunded', 'payment_failed', 'expired', 'canceled'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

const MOVES: Record<OrderState, readonly OrderState[]> = {
  draft: ['awaiting_payment', 'canceled', 'expired'],
  // A completed Checkout Session always wins over a late "expired" seen first.
  // draft: an off-session auto-renew attempt the bank refused hands the order back to the Pay button.
  awaiting_payment: ['paid', 'payment_failed', 'expired', 'canceled', 'draft'],
  expired: ['paid'],
  canceled: ['paid'],
  payment_failed: ['paid'],
  // paid, fulfilled → refunding: an operator's refund (a top-up they gave up on, or a traveller's complaint).
  paid: ['topping_up', 'refunding'],
  topping_up: ['fulfilled', 'refunding'],
  refunding: ['refunded'],
  fulfilled: ['refunding'],
  refunded: [],
};

export function canMove(from: OrderState, to: OrderState): boolean {
  return MOVES[from].includes(to);
}

/** The states an order may be in for the given move, for conditional updates. */
export function statesThatCanMoveTo(to: OrderState): OrderState[] {
  return ORDER_STATES.filter((s) => MOVES[s].includes(to));
}

export function isSettled(state: OrderState): boolean {
  return ['paid', 'topping_up', 'fulfilled', 'refunding', 'refunded'].includes(state);
}

/** A short order number a traveller can read out to support. */
export function orderNumber(orderId: string): string {
  return `KU-${orderId.slice(-8).toUpperCase()}`;
}
