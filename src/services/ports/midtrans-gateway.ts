import type { MidtransMethod } from '../../domain/midtrans.js';

/** One Snap payment page for one order: Kuota's order id is Midtrans's order_id. */
export type SnapRequest = {
  orderId: string;
  amountIdr: number;
  methods: MidtransMethod[];
  /** The order's own expiry: the page and every code it hands out stop being payable then. */
  expiresAt: Date;
  /** Where the page sends the traveller back; never a proof of payment. */
  finishUrl: string;
};

export type SnapPage = { token: string; url: string };

export type SnapResult =
  | { ok: true; page: SnapPage }
  /** Midtrans refused the request (a 4xx with `error_messages`), e.g. the order id was taken by an earlier page. */
  | { ok: false; reason: 'refused'; messages: string[] }
  /** Midtrans did not answer, or answered 5xx: the traveller may try again or pick another way. */
  | { ok: false; reason: 'unavailable' };

/** What Midtrans says about one transaction, from a notification or from the status API. */
export type MidtransTransaction = {
  orderId: string;
  transactionId: string | null;
  transactionStatus: string;
  fraudStatus: string | null;
  /** The code in the body: it differs between a notification and the API for the same state. */
  statusCode: string;
  /** As Midtrans wrote it ("35000.00"): the signature covers this exact text. */
  grossAmount: string;
  amountIdr: number;
  paymentType: string;
  method: MidtransMethod | null;
  /** What the traveller pays to: the virtual account number, the Mandiri bill key, the minimarket code. */
  payTo: { vaNumber?: string; billerCode?: string; billKey?: string; paymentCode?: string; bank?: string } | null;
  /** When Midtrans stops taking the pending payment, when it says so. */
  expiresAt: Date | null;
};

/** A notification whose signature matched: its transaction, and the raw code the signature covered. */
export type NotificationCheck =
  | { ok: true; transaction: MidtransTransaction }
  /** A field missing or of the wrong type or range: named, for the 4xx. */
  | { ok: false; reason: 'invalid'; field: string }
  | { ok: false; reason: 'bad_signature' };

export type RefundRequest = {
  /** Midtrans's order_id, or the transaction_id, which Midtrans takes in its place. */
  orderId: string;
  /** One per refund: Midtrans answers a repeat with the same refund (a second partial refund needs a new key). */
  refundKey: string;
  amountIdr: number;
  reason: string;
};

export type RefundResult =
  | { ok: true; transactionStatus: string; refundedIdr: number }
  /** Midtrans refused it, in the body of an HTTP 200 or in a 4xx: the code and message it gave. */
  | { ok: false; statusCode: string; message: string };

export interface MidtransGateway {
  createPage(request: SnapRequest): Promise<SnapResult>;
  /** The status API. null: 404, no transaction yet (Snap makes one only once the traveller picks a method). Throws when Midtrans cannot answer. */
  status(orderId: string): Promise<MidtransTransaction | null>;
  refund(request: RefundRequest): Promise<RefundResult>;
  /** Stops a pending payment; false when Midtrans has nothing to expire (none yet, or it settled). */
  expire(orderId: string): Promise<boolean>;
  /** Checks a notification's body: every field, then its signature_key, in constant time. */
  checkNotification(body: unknown): NotificationCheck;
}
