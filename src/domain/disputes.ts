/**
 * A Stripe dispute's status (https://docs.stripe.com/api/disputes/object#dispute_object-status):
 * warning_* is an inquiry, before any chargeback; needs_response and warning_needs_response wait for an
 * answer by evidence_details.due_by; won, lost, warning_closed and prevented are over.
 */
export const DISPUTE_STATUSES = [
  'warning_needs_response',
  'warning_under_review',
  'warning_closed',
  'needs_response',
  'under_review',
  'won',
  'lost',
  'prevented',
] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

const CLOSED = new Set(['warning_closed', 'won', 'lost', 'prevented']);
/** Decided by the card's bank: nothing Stripe sends afterwards reopens it. */
const DECIDED = new Set(['won', 'lost', 'prevented']);

export function disputeClosed(status: string): boolean {
  return CLOSED.has(status);
}

/** Waiting for the operator's answer in Stripe, with evidence_details.due_by running. */
export function disputeNeedsResponse(status: string): boolean {
  return status === 'needs_response' || status === 'warning_needs_response';
}

/**
 * Whether an event about a dispute (at: the event's `created`) replaces what is stored: Stripe sends
 * events at least once and in no set order, so an older one arriving late changes nothing. Stripe's
 * timestamps are whole seconds, so on a tie a closed dispute stays closed; one won or lost never reopens.
 */
export function disputeEventSupersedes(
  stored: { status: string; eventAt: Date },
  incoming: { status: string; at: Date },
): boolean {
  if (incoming.at.getTime() < stored.eventAt.getTime()) return false;
  if (DECIDED.has(stored.status) && !disputeClosed(incoming.status)) return false;
  // Two events of one second: the one further along the dispute's course is the later.
  if (incoming.at.getTime() === stored.eventAt.getTime()) return progress(incoming.status) >= progress(stored.status);
  return true;
}

/** How far along its course a dispute is: an inquiry, then a chargeback, then under review, then closed. */
function progress(status: string): number {
  if (disputeClosed(status)) return 4;
  return ['warning_needs_response', 'warning_under_review', 'needs_response', 'under_review'].indexOf(status);
}
