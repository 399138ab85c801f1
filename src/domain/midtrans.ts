import { allPrices } from './plan-prices.js';

/**
 * Midtrans Snap's methods and statuses in Kuota's words: pure, so the adapter, the settlement and the
 * summary read one table. Checked against Midtrans's own pages (December 2026):
 * - Bank transfer (virtual accounts): "By default, default expiry time for bank transfer is 24 hours
 *   unless specified by merchant (min 20s, max 180 days)": docs.midtrans.com/reference/bca-virtual-account-1.
 * - Indomaret and Alfamart: the same 24 hours, min 20 s, max 180 days:
 *   docs.midtrans.com/reference/indomaret-1 and docs.midtrans.com/reference/alfamart-1.
 * - A Snap page lives 24 hours by default, at least 5 minutes and at most 7 days:
 *   docs.midtrans.com/reference-link/expire-a-snap-session.
 * - Amount limits, in rupiah: Midtrans's own table, "Is there a minimum and maximum transaction value
 *   that I can charge with Midtrans?",
 *   https://docs.midtrans.com/docs/is-there-a-minimum-and-maximum-transaction-value-that-i-can-charge-with-midtrans
 *   (page dated 2026-03-30; read 2026-12-07 in the Markdown copy docs.midtrans.com/llms.txt serves, as
 *   mirrored on GitHub in naelrudd/midtrans-docs-llm-agents: the live page could not be loaded from here).
 *   Minimum 1 for QRIS, GoPay, ShopeePay, Mandiri bill, BRI, BNI and Permata VA and Alfamart; 10,000
 *   for BCA VA, Indomaret and cards. Maximum 10,000,000 for QRIS; 20,000,000 for GoPay and ShopeePay
 *   (a verified wallet; 2,000,000 unverified, which only the traveller's app knows); 5,000,000 for
 *   Indomaret; 2,500,000 for Alfamart, as a traveller pays it in cash at the counter (5,000,000 is
 *   Alfamart's cashless figure); 999,999,999 for cards. The virtual accounts' own maxima are 9,999,999,999
 *   (Permata) to 50,000,000,000 (Mandiri bill) or none (BNI): Kuota keeps 999,999,999, below them all.
 *   The page warns that the issuer, and Midtrans itself per merchant, may set a lower maximum.
 * - Pending times (`pendingMinutes`, the profile's pendingMs) are Midtrans's own default for each
 *   method, read 2026-12-08:
 *   - bank transfer 24 h and Alfamart and Indomaret 24 h: the pages above, and "By default the
 *     transaction will expire within 24 hours" for a virtual account in docs.midtrans.com/reference/code-statuses;
 *   - GoPay and QRIS 15 minutes: "By default expiry for GoPay transaction is 15 minutes. However this
 *     can be customized by sending additional JSON parameter", docs.midtrans.com/docs/gopay-qris-pos-integration
 *     (the same in the GoPay FAQ, which names Snap's `expiry` as that parameter);
 *   - cards 10 minutes, not the 60 written here before: a card payment is pending only while its 3-D
 *     Secure step is open, and "Transaction will expire within 10 minutes" (code-statuses, 201);
 *   - ShopeePay's 5 minutes is not in Midtrans's text: docs.midtrans.com/docs/default-expiry-time-for-each-payment-method
 *     gives it only as an image, not checked here.
 * - Which bound applies: Kuota sends Snap's transaction `expiry` (not only `page_expiry`) equal to the
 *   order's own expiry (CHECKOUT_EXPIRES_MINUTES, 30 to 1,440 minutes; adapters/midtrans), and that
 *   "custom expiry" replaces each method's default. So a payment started on Kuota's page stays pending
 *   until the order expires, whatever the method: never the 24 h of a virtual account or a minimarket
 *   code past the order, and longer than QRIS's 15 minutes when the order allows it. The defaults
 *   above are what each method takes without Kuota's expiry: the README's Payment methods table
 *   shows them, and a test holds it to them.
 */
export const MIDTRANS_METHODS = [
  'qris',
  'gopay',
  'shopeepay',
  'bca_va',
  'bni_va',
  'bri_va',
  'echannel',
  'permata_va',
  'indomaret',
  'alfamart',
  'credit_card',
] as const;
export type MidtransMethod = (typeof MIDTRANS_METHODS)[number];

/** How the traveller pays: at once in an app, by bank transfer to a number, or in cash at a shop counter. */
export type MethodKind = 'instant' | 'bank_transfer' | 'minimarket' | 'card';

export type MethodTerms = {
  kind: MethodKind;
  /** Smallest and largest payment Midtrans takes by this method, in rupiah. */
  minIdr: number;
  maxIdr: number;
  /** Midtrans refunds it through POST /v2/{order_id}/refund; otherwise the operator pays it back by hand. */
  refundByApi: boolean;
  /** The longest the payment may stay pending, in minutes. */
  pendingMinutes: number;
};

const DAY = 24 * 60;
export const METHOD_TERMS: Record<MidtransMethod, MethodTerms> = {
  qris: { kind: 'instant', minIdr: 1, maxIdr: 10_000_000, refundByApi: true, pendingMinutes: 15 },
  gopay: { kind: 'instant', minIdr: 1, maxIdr: 20_000_000, refundByApi: true, pendingMinutes: 15 },
  shopeepay: { kind: 'instant', minIdr: 1, maxIdr: 20_000_000, refundByApi: true, pendingMinutes: 5 },
  bca_va: { kind: 'bank_transfer', minIdr: 10_000, maxIdr: 999_999_999, refundByApi: false, pendingMinutes: DAY },
  bni_va: { kind: 'bank_transfer', minIdr: 1, maxIdr: 999_999_999, refundByApi: false, pendingMinutes: DAY },
  bri_va: { kind: 'bank_transfer', minIdr: 1, maxIdr: 999_999_999, refundByApi: false, pendingMinutes: DAY },
  echannel: { kind: 'bank_transfer', minIdr: 1, maxIdr: 999_999_999, refundByApi: false, pendingMinutes: DAY },
  permata_va: { kind: 'bank_transfer', minIdr: 1, maxIdr: 999_999_999, refundByApi: false, pendingMinutes: DAY },
  indomaret: { kind: 'minimarket', minIdr: 10_000, maxIdr: 5_000_000, refundByApi: false, pendingMinutes: DAY },
  alfamart: { kind: 'minimarket', minIdr: 1, maxIdr: 2_500_000, refundByApi: false, pendingMinutes: DAY },
  credit_card: { kind: 'card', minIdr: 10_000, maxIdr: 999_999_999, refundByApi: true, pendingMinutes: 10 },
};

/**
 * Midtrans's order_id for an attempt at paying a Kuota order. Midtrans takes one transaction per
 * order_id ("order_id has already been taken"), so the first page has Kuota's order id itself and
 * each later attempt (the traveller picked another method) its own: `<order id>-<attempt>`. Order ids
 * are letters and digits only, so the dash cannot be part of one.
 */
export function midtransOrderId(orderId: string, attempt: number): string {
  return attempt <= 1 ? orderId : `${orderId}-${attempt}`;
}

/** Kuota's order id in a Midtrans order_id (see midtransOrderId). */
export function kuotaOrderId(midtransOrderId: string): string {
  return midtransOrderId.replace(/-\d+$/, '');
}

/** The order's price in rupiah, among the prices frozen at the summary; null when the traveller was never offered rupiah. */
export function frozenRupiah(order: Parameters<typeof allPrices>[0]): number | null {
  return allPrices(order).find((p) => p.currency === 'IDR')?.amountMinor ?? null;
}

export function isMidtransMethod(value: string): value is MidtransMethod {
  return (MIDTRANS_METHODS as readonly string[]).includes(value);
}

/**
 * A notification's or the status API's `payment_type` names the family (bank_transfer, cstore), not
 * the method Snap offered: the bank or the store is in the body. null when it names nothing Kuota offers.
 */
export function methodOfPayment(p: {
  payment_type: string;
  va_numbers?: { bank: string }[];
  permata_va_number?: string;
  store?: string;
}): MidtransMethod | null {
  switch (p.payment_type) {
    case 'qris':
    case 'gopay':
    case 'shopeepay':
    case 'credit_card':
    case 'echannel':
      return p.payment_type;
    case 'bank_transfer': {
      if (p.permata_va_number) return 'permata_va';
      const bank = p.va_numbers?.[0]?.bank;
      const method = `${bank}_va`;
      return isMidtransMethod(method) ? method : null;
    }
    case 'cstore':
      return p.store === 'indomaret' || p.store === 'alfamart' ? p.store : null;
    default:
      return null;
  }
}

/** What a Midtrans transaction status means for the order. */
export type MidtransOutcome =
  /** Money taken: settle the order. */
  | 'paid'
  /** Waiting for the traveller (a code to pay, an app to confirm), or a card held for review. */
  | 'pending'
  /** Refused or cancelled: no money moved. */
  | 'failed'
  | 'expired'
  | 'refunded'
  | 'partially_refunded';

/**
 * Midtrans's "Transaction Status Cycle": `capture` is money only when the fraud check accepted it
 * (a `challenge` waits for the merchant's decision); `settlement` is money, even if a Mandiri bill
 * payment may still turn into `deny` within a minute (the later notification then says so); null for
 * a status Midtrans does not document, which Kuota refuses to guess about.
 */
export function outcomeOf(transactionStatus: string, fraudStatus?: string | null): MidtransOutcome | null {
  switch (transactionStatus) {
    case 'settlement':
      return 'paid';
    case 'capture':
      return fraudStatus === 'accept' || fraudStatus === undefined || fraudStatus === null ? 'paid' : 'pending';
    case 'pending':
    case 'authorize':
      return 'pending';
    case 'deny':
    case 'cancel':
    case 'failure':
      return 'failed';
    case 'expire':
      return 'expired';
    case 'refund':
      return 'refunded';
    case 'partial_refund':
      return 'partially_refunded';
    default:
      return null;
  }
}

/** Midtrans's `gross_amount` ("35000.00") as whole rupiah; null when it is not a non-negative amount in whole rupiah. */
export function rupiahOf(grossAmount: string): number | null {
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(grossAmount);
  if (!match) return null;
  if (match[2] && Number(match[2]) !== 0) return null;
  return Number(match[1]);
}
