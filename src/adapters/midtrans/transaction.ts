import { z } from 'zod';
import { methodOfPayment, rupiahOf } from '../../domain/midtrans.js';
import type { MidtransTransaction } from '../../services/ports/midtrans-gateway.js';

// Midtrans order ids: up to 50 of letters, digits, -, _, ~ and . ("Transaction Details" in the Snap docs).
const orderId = z.string().regex(/^[A-Za-z0-9_~.-]{1,50}$/);
const text = (max: number) => z.string().min(1).max(max);

/**
 * A transaction as the notification and the status API carry it (docs.midtrans.com, "HTTP(S)
 * Notification / Webhooks" and "Get Transaction Status"). Only what Kuota reads is checked; anything
 * else Midtrans adds is left alone.
 */
export const transactionSchema = z.object({
  order_id: orderId,
  transaction_id: text(64).optional(),
  transaction_status: z.string().regex(/^[a-z_]{1,32}$/),
  fraud_status: z.string().max(32).optional().nullable(),
  status_code: z.string().regex(/^\d{3}$/),
  gross_amount: z.string().refine((s) => rupiahOf(s) !== null, 'is not an amount in whole rupiah (35000.00)'),
  currency: z.literal('IDR').optional(),
  payment_type: z.string().regex(/^[a-z_]{1,32}$/),
  signature_key: z
    .string()
    .regex(/^[0-9a-f]{128}$/)
    .optional(),
  va_numbers: z
    .array(z.object({ bank: text(16), va_number: text(32) }))
    .max(4)
    .optional(),
  permata_va_number: text(32).optional(),
  bill_key: text(32).optional(),
  biller_code: text(16).optional(),
  payment_code: text(32).optional(),
  store: text(32).optional(),
  expiry_time: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    .optional(),
});

export type TransactionBody = z.infer<typeof transactionSchema>;

/** The first field zod found fault with, as a dotted path: what the 4xx names. */
export function faultyField(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
}

/** Midtrans writes its times in Jakarta's time (UTC+7, no daylight saving) without saying so. */
function jakartaTime(local: string | undefined): Date | null {
  if (!local) return null;
  const at = new Date(`${local.replace(' ', 'T')}+07:00`);
  return Number.isNaN(at.getTime()) ? null : at;
}

export function toTransaction(body: TransactionBody): MidtransTransaction {
  const va = body.va_numbers?.[0];
  const payTo = va
    ? { vaNumber: va.va_number, bank: va.bank }
    : body.permata_va_number
      ? { vaNumber: body.permata_va_number, bank: 'permata' }
      : body.bill_key
        ? { billKey: body.bill_key, billerCode: body.biller_code }
        : body.payment_code
          ? { paymentCode: body.payment_code }
          : null;
  return {
    orderId: body.order_id,
    transactionId: body.transaction_id ?? null,
    transactionStatus: body.transaction_status,
    fraudStatus: body.fraud_status ?? null,
    statusCode: body.status_code,
    grossAmount: body.gross_amount,
    amountIdr: rupiahOf(body.gross_amount) ?? 0,
    paymentType: body.payment_type,
    method: methodOfPayment(body),
    payTo,
    expiresAt: jakartaTime(body.expiry_time),
  };
}
