import { randomInt } from 'node:crypto';
/**
 * An order's life. Payment and fulfilment events arrive late, twice or out of order,
 * so every move is checked against this table and a move that is not allowed changes nothing.
 */
export const ORDER_STATES = [
  'draft',
  'awaiting_payment',
  'paid',
  'topping_up',
  'fulfilled',
  'refunding',
  'refunded',
  'payment_failed',
  'expired',
  'canceled',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

const MOVES: Record<OrderState, readonly OrderState[]> = {
  // paid: a Stars invoice is paid straight from the summary, with no link step in between.
  draft: ['awaiting_payment', 'canceled', 'expired', 'paid'],
  // A completed Checkout Session always wins over a late "expired" seen first.
  // draft: an off-session auto-renew attempt the bank refused hands the order back to the Pay button.
  awaiting_payment: ['paid', 'payment_failed', 'expired', 'canceled', 'draft'],
  expired: ['paid'],
  canceled: ['paid'],
  payment_failed: ['paid'],
  // refunded: refunded in Stripe's Dashboard (charge.refunded), whatever Kuota was doing with the order.
  paid: ['topping_up', 'refunding', 'refunded'],
  topping_up: ['fulfilled', 'refunding', 'refunded'],
  refunding: ['refunded'],
  // refunding: the operator's refund of an applied top-up.
  fulfilled: ['refunding', 'refunded'],
  refunded: [],
};

export function canMove(from: OrderState, to: OrderState): boolean {
  return MOVES[from].includes(to);
}

/** The states an order may be in for the given move, for conditional updates. */
export function statesThatCanMoveTo(to: OrderState): OrderState[] {
  return ORDER_STATES.filter((s) => MOVES[s].includes(to));
}

/** Paid for, whatever became of it since. */
export const SETTLED_STATES: readonly OrderState[] = ['paid', 'topping_up', 'fulfilled', 'refunding', 'refunded'];
/** Money given back, or on its way back. */
export const REFUND_STATES: readonly OrderState[] = ['refunding', 'refunded'];
/** Not paid yet, and still open to a payment from its own Pay button or an off-session charge. */
export const OPEN_STATES: readonly OrderState[] = ['draft', 'awaiting_payment'];
/** Paid, and waiting for the provider or for fulfilment to start: the sweep and the console watch these. */
export const UNFINISHED_STATES: readonly OrderState[] = ['paid', 'topping_up'];
/** Never paid: old ones may be deleted by housekeeping. */
export const ABANDONED_STATES: readonly OrderState[] = ['draft', 'canceled'];

export function isSettled(state: string): boolean {
  return SETTLED_STATES.includes(state as OrderState);
}

/**
 * The one rule for giving an order's money back, whoever asks (the chat's /refund, the console, an
 * automatic refund). A top-up in flight may still succeed at the provider: refunding it then would
 * let the traveller keep both, so the operator waits for the provider's answer or marks it failed first.
 * A disputed payment is held by Stripe while the card's bank decides: refunding it as well would pay
 * the traveller twice if the bank sides with them, so the operator answers the dispute instead.
 */
export type RefundCheck =
  'refundable' | 'top_up_in_flight' | 'already_refunded' | 'refund_under_way' | 'not_paid' | 'disputed';
export function refundCheck(state: string, disputed: boolean): RefundCheck {
  if (state === 'refunding') return 'refund_under_way';
  if (state === 'refunded') return 'already_refunded';
  if (!isSettled(state)) return 'not_paid';
  if (disputed) return 'disputed';
  if (state === 'topping_up') return 'top_up_in_flight';
  return 'refundable';
}
/** The states an operator's refund may start from (see refundCheck). */
export const REFUNDABLE_STATES: readonly OrderState[] = ORDER_STATES.filter(
  (s) => refundCheck(s, false) === 'refundable',
);

/** Whether a payment's dispute is still open, from the kinds of its ledger rows (a won dispute is reversed). */
export function disputeOpen(ledgerKinds: readonly string[]): boolean {
  const count = (kind: string) => ledgerKinds.filter((k) => k === kind).length;
  return count('dispute') > count('dispute_reversal');
}

/** A short order number a traveller can read out to support. */
export function orderNumber(orderId: string): string {
  return `KU-${orderId.slice(-8).toUpperCase()}`;
}

/**
 * A new order's id with its number, so the number is stored with the order (Order.number, what a
 * search looks up). The id keeps the cuid shape older orders have: "c", the time and 16 random
 * characters in base36, so the number's 8 characters are random.
 */
export function newOrderIdentity(at = Date.now()): { id: string; number: string } {
  let random = '';
  for (let i = 0; i < 16; i++) random += randomInt(36).toString(36);
  const id = `c${at.toString(36).padStart(8, '0')}${random}`;
  return { id, number: orderNumber(id) };
}
