import { describe, expect, it } from 'vitest';
import { methodOfPayment, outcomeOf, type MidtransOutcome } from '../../src/domain/midtrans.js';

/**
 * Midtrans's statuses as its "Transaction Status Cycle" (https://docs.midtrans.com/docs/transaction-status-cycle)
 * and "Refund Transaction" (https://docs.midtrans.com/reference/refund-transaction) name them, and what
 * each means for a Kuota order.
 */
describe('what a Midtrans transaction status means for the order', () => {
  it.each<[string, string | null | undefined, MidtransOutcome | null]>([
    // A card captured: money only when the fraud check accepted it; a challenge waits for the merchant.
    ['capture', 'accept', 'paid'],
    ['capture', 'challenge', 'pending'],
    ['capture', undefined, 'paid'],
    ['capture', null, 'paid'],
    ['settlement', undefined, 'paid'],
    ['settlement', 'accept', 'paid'],
    ['pending', undefined, 'pending'],
    ['authorize', 'accept', 'pending'],
    ['deny', undefined, 'failed'],
    ['deny', 'deny', 'failed'],
    ['cancel', undefined, 'failed'],
    ['failure', undefined, 'failed'],
    ['expire', undefined, 'expired'],
    ['refund', undefined, 'refunded'],
    ['partial_refund', 'accept', 'partially_refunded'],
    // Chargebacks are left to reconciliation and the operator; a status Midtrans never named is not guessed at.
    ['chargeback', undefined, null],
    ['partial_chargeback', undefined, null],
    ['paid', undefined, null],
    ['', undefined, null],
  ])('%s (fraud_status %s) is %s', (status, fraud, outcome) => {
    expect(outcomeOf(status, fraud)).toBe(outcome);
  });
});

describe('which method a notification names', () => {
  it.each<[Parameters<typeof methodOfPayment>[0], string | null]>([
    [{ payment_type: 'qris' }, 'qris'],
    [{ payment_type: 'gopay' }, 'gopay'],
    [{ payment_type: 'shopeepay' }, 'shopeepay'],
    [{ payment_type: 'credit_card' }, 'credit_card'],
    [{ payment_type: 'echannel' }, 'echannel'],
    [{ payment_type: 'bank_transfer', va_numbers: [{ bank: 'bca' }] }, 'bca_va'],
    [{ payment_type: 'bank_transfer', va_numbers: [{ bank: 'bni' }] }, 'bni_va'],
    [{ payment_type: 'bank_transfer', va_numbers: [{ bank: 'bri' }] }, 'bri_va'],
    [{ payment_type: 'bank_transfer', permata_va_number: '8778001234567890' }, 'permata_va'],
    [{ payment_type: 'bank_transfer', va_numbers: [{ bank: 'cimb' }] }, null],
    [{ payment_type: 'cstore', store: 'indomaret' }, 'indomaret'],
    [{ payment_type: 'cstore', store: 'alfamart' }, 'alfamart'],
    [{ payment_type: 'cstore', store: 'lawson' }, null],
    [{ payment_type: 'akulaku' }, null],
  ])('%o is %s', (payment, method) => {
    expect(methodOfPayment(payment)).toBe(method);
  });
});
