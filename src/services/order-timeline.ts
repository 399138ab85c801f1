import type { Db, Tx } from '../adapters/db/client.js';

/** The steps of an order's life the operator sees on its timeline. */
export type OrderEventKind =
  | 'drafted'
  | 'checkout_created'
  | 'payment_paid'
  | 'payment_failed'
  | 'payment_expired'
  | 'topup_requested'
  | 'topup_status'
  | 'refund_started'
  | 'refunded'
  | 'message_queued'
  | 'operator_retry'
  | 'operator_refund'
  | 'operator_resend_receipt';

export type OrderEventEntry = {
  orderId: string;
  kind: OrderEventKind;
  detail?: Record<string, unknown>;
  /** The order's traveller, when the caller has it: the step is then one INSERT, not a transaction that reads the order back. */
  travellerId?: string;
};

/** A step as its watchers see it: with the traveller whose order it is (their id, never their number). */
export type OrderStep = (OrderEventEntry | { orderId: string; kind: 'receipt_sent'; detail?: undefined }) & {
  travellerId: string;
};

/**
 * Told of every step written to a timeline (and of receipts sent): the operator's log line and the
 * metrics follow the same steps as the console's timeline. Registered by each running app.
 */
const stepWatchers = new Set<(step: OrderStep) => void>();
export function watchOrderSteps(watcher: (step: OrderStep) => void) {
  stepWatchers.add(watcher);
  return () => void stepWatchers.delete(watcher);
}
export function orderStepDone(step: OrderStep): void {
  for (const watcher of stepWatchers) watcher(step);
}

export type TimelineEntry = { at: string; kind: OrderEventKind; detail: Record<string, unknown> | null };

/**
 * Writes one step of an order's timeline. It is a record for people, never a source of truth:
 * a failure to write it is logged by the caller's transaction, and reading the order itself
 * always says where it stands.
 */
export async function recordOrderEvent(db: Tx | Db, entry: OrderEventEntry): Promise<void> {
  const { travellerId, ...step } = entry;
  const data = { orderId: step.orderId, kind: step.kind, detail: (step.detail ?? undefined) as object | undefined };
  if (travellerId !== undefined) {
    await db.orderEvent.create({ data, select: { id: true } });
    orderStepDone({ ...step, travellerId });
    return;
  }
  const written = await db.orderEvent.create({ data, select: { order: { select: { userId: true } } } });
  orderStepDone({ ...step, travellerId: written.order.userId });
}

/** Records without making the caller's step fail: the timeline never blocks money or messages. */
export async function noteOrderEvent(
  db: Tx | Db,
  entry: OrderEventEntry,
  onError: (error: unknown) => void = () => undefined,
): Promise<void> {
  try {
    await recordOrderEvent(db, entry);
  } catch (error) {
    onError(error);
  }
}

/** The order's steps, oldest first. */
export async function orderTimeline(db: Db, orderId: string): Promise<TimelineEntry[]> {
  const events = await db.orderEvent.findMany({ where: { orderId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  return events.map((e) => ({
    at: e.createdAt.toISOString(),
    kind: e.kind as OrderEventKind,
    detail: (e.detail as Record<string, unknown> | null) ?? null,
  }));
}
