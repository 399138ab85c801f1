import { z } from 'zod';

/**
 * Every kind of message the outbox sends, with its payload: `enqueue` takes only these, and the renderer must
 * have one entry per kind (its table is typed by this union). A stored payload is parsed back through the same
 * schema when it is sent, never cast.
 */
const order = z.object({ orderId: z.string() });
const money = { amountMinor: z.number().int(), currency: z.string() };

export const OUTBOX_MESSAGE = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('receipt'), payload: order }),
  z.object({
    kind: z.literal('refunded'),
    payload: order.extend({ reason: z.string().optional() }),
  }),
  z.object({ kind: z.literal('order_expired'), payload: order }),
  z.object({ kind: z.literal('payment_failed'), payload: order }),
  /** renewal: a subscription renewed itself (nobody tapped Pay). */
  z.object({ kind: z.literal('payment_received'), payload: order.extend({ renewal: z.boolean().optional() }) }),
  /** The order's summary message, edited to its new state. */
  z.object({ kind: z.literal('order_update'), payload: order }),
  z.object({
    kind: z.literal('card_refunded_paid_twice'),
    payload: order.extend({ amountMinor: z.number().int().optional(), currency: z.string().optional() }),
  }),
  /** A second payment for an order already paid: refunded, or owed back by hand (owed). */
  z.object({
    kind: z.literal('payment_refunded_paid_twice'),
    payload: order.extend({
      amountMinor: z.number().int().optional(),
      currency: z.string().optional(),
      owed: z.boolean().optional(),
    }),
  }),
  /** A new eSIM's QR code and install buttons, then its installation steps; sent again on request (never a second order). */
  z.object({ kind: z.literal('esim_delivery'), payload: order }),
  z.object({ kind: z.literal('esim_steps'), payload: order }),
  /** A paid new eSIM the partner has not delivered yet. */
  z.object({ kind: z.literal('esim_on_its_way'), payload: order }),
  /** A new eSIM still not installed some hours after delivery: the install buttons once more. */
  z.object({ kind: z.literal('esim_not_installed'), payload: order }),
  /** A new eSIM's first connection, with the data the partner reported then: said once. */
  z.object({
    kind: z.literal('esim_first_use'),
    payload: order.extend({
      remainingMb: z.number().int().nullable(),
      totalMb: z.number().int().nullable(),
      unlimited: z.boolean(),
      expiresAt: z.string().nullable(),
    }),
  }),
  /** A Midtrans code to pay (virtual account, Mandiri bill, minimarket): how, where and by when. */
  z.object({
    kind: z.literal('midtrans_pending'),
    payload: order.extend({
      method: z.string().nullable(),
      payTo: z.object({
        vaNumber: z.string().optional(),
        bank: z.string().optional(),
        billerCode: z.string().optional(),
        billKey: z.string().optional(),
        paymentCode: z.string().optional(),
      }),
      amountIdr: z.number().int(),
      expiresAt: z.string().nullable(),
    }),
  }),
  z.object({
    kind: z.literal('dispute_opened'),
    payload: z.object({ disputeId: z.string(), orderId: z.string().nullable(), ...money, reason: z.string() }),
  }),
  z.object({ kind: z.literal('autorenew_card_saved'), payload: z.object({ lineId: z.string() }) }),
  z.object({
    kind: z.literal('autorenew_over_cap'),
    payload: z.object({ chargeId: z.string(), spentMinor: z.number().int() }),
  }),
  z.object({
    kind: z.literal('autorenew_action_required'),
    payload: z.object({
      chargeId: z.string(),
      reason: z.string(),
      final: z.boolean().optional(),
      attempt: z.number().int().optional(),
    }),
  }),
  z.object({
    kind: z.literal('autorenew_failed'),
    payload: z.object({ chargeId: z.string(), reason: z.string(), lineId: z.string().optional() }),
  }),
  z.object({ kind: z.literal('autorenew_monthly'), payload: z.object({ month: z.string() }) }),
  z.object({
    kind: z.literal('low_data'),
    payload: z.object({ lineId: z.string(), threshold: z.number(), period: z.string().nullable() }),
  }),
  z.object({
    kind: z.literal('reminder'),
    payload: z.object({ lineId: z.string(), expiresAt: z.string(), window: z.string() }),
  }),
  z.object({ kind: z.literal('notice'), payload: z.object({ noticeId: z.string() }) }),
  /** One message an operator wrote to this traveller from the console. */
  z.object({ kind: z.literal('operator_message'), payload: z.object({ text: z.string() }) }),
  z.object({ kind: z.literal('stars_refunded'), payload: z.object({ chargeId: z.string() }) }),
  z.object({ kind: z.literal('stars_subscribed'), payload: z.object({ lineId: z.string(), stars: z.number().int() }) }),
  z.object({
    kind: z.literal('operator_balance_low'),
    payload: z.object({ ...money, thresholdMinor: z.number().int(), provider: z.string().optional() }),
  }),
  /** To each operator: the provider applied a top-up of an order already refunded. */
  z.object({ kind: z.literal('topup_after_refund'), payload: order }),
  z.object({ kind: z.literal('operator_reconciliation'), payload: z.object({ issueId: z.string() }) }),
  z.object({
    kind: z.literal('operator_partner'),
    payload: z.object({
      key: z.string(),
      vars: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
      money: z.object(money).optional(),
    }),
  }),
]);

export type OutboxMessage = z.infer<typeof OUTBOX_MESSAGE>;
export type OutboxKind = OutboxMessage['kind'];
export type OutboxPayload<K extends OutboxKind> = Extract<OutboxMessage, { kind: K }>['payload'];

/** A stored row whose payload no longer fits its kind: logged whole and marked failed by the outbox worker. */
export class UnreadableOutboxMessage extends Error {
  constructor(
    readonly kind: string,
    readonly payload: unknown,
    readonly issues: string,
  ) {
    super(`outbox ${kind} payload does not fit its kind: ${issues}`);
    this.name = 'UnreadableOutboxMessage';
  }
}

export function readOutboxMessage(row: { kind: string; payload: unknown }): OutboxMessage {
  const parsed = OUTBOX_MESSAGE.safeParse({ kind: row.kind, payload: row.payload });
  if (!parsed.success) throw new UnreadableOutboxMessage(row.kind, row.payload, parsed.error.message);
  return parsed.data;
}
