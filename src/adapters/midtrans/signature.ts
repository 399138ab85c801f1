import { createHash } from 'node:crypto';
import { sameSecret } from '../same-secret.js';

/**
 * Midtrans's notification signature (docs.midtrans.com, "Verifying Notification Authenticity"): hex
 * SHA-512 of order_id + status_code + gross_amount + server key, over the exact strings in the body.
 * Midtrans sends it in the body, never in a header, and its Node client has no helper that checks it.
 */
export function midtransSignature(
  p: { order_id: string; status_code: string; gross_amount: string },
  serverKey: string,
): string {
  return createHash('sha512')
    .update(p.order_id + p.status_code + p.gross_amount + serverKey, 'utf8')
    .digest('hex');
}

export function signatureMatches(
  p: { order_id: string; status_code: string; gross_amount: string; signature_key?: string },
  serverKey: string,
): boolean {
  return sameSecret(p.signature_key, midtransSignature(p, serverKey));
}
