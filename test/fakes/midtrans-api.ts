import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, sendJson } from './http.js';

export const FAKE_SERVER_KEY = 'SB-Mid-server-kuotaFakeKey0123456789';

type Method =
  | 'qris'
  | 'gopay'
  | 'shopeepay'
  | 'bca_va'
  | 'bni_va'
  | 'bri_va'
  | 'echannel'
  | 'permata_va'
  | 'indomaret'
  | 'alfamart'
  | 'credit_card';

export type FakeSnap = {
  orderId: string;
  grossAmount: number;
  enabledPayments: string[];
  expiry: { start_time?: string; unit: string; duration: number };
  finishUrl?: string;
  token: string;
  /** Set once the traveller picks a method on the page: Midtrans has a transaction from then on. */
  transaction?: FakeTransaction;
};

export type FakeTransaction = {
  order_id: string;
  transaction_id: string;
  transaction_status: string;
  fraud_status?: string;
  gross_amount: string;
  currency: 'IDR';
  payment_type: string;
  transaction_time: string;
  expiry_time?: string;
  va_numbers?: { bank: string; va_number: string }[];
  permata_va_number?: string;
  bill_key?: string;
  biller_code?: string;
  payment_code?: string;
  store?: string;
  refunds: { refund_key: string; refund_amount: number }[];
};

export type Notification = Record<string, unknown>;

/**
 * The status code a notification carries for a state: 200, 201, 202, as in the sample notifications of
 * "HTTP(S) Notification / Webhooks" (https://docs.midtrans.com/docs/https-notification-webhooks) and the
 * 2xx table of "Code 2xx" (https://docs.midtrans.com/reference/code-statuses).
 */
const NOTIFICATION_CODE: Record<string, string> = {
  capture: '200',
  settlement: '200',
  refund: '200',
  partial_refund: '200',
  pending: '201',
  deny: '202',
  cancel: '202',
  expire: '202',
};
/** The status API's codes differ: an expired transaction is 407 there ("Code 4xx", https://docs.midtrans.com/reference/code-4xx). */
const STATUS_API_CODE: Record<string, string> = { ...NOTIFICATION_CODE, expire: '407', deny: '202', cancel: '200' };
/**
 * "Refund Transaction" (https://docs.midtrans.com/reference/refund-transaction): "supported only for
 * credit_card, gopay, shopeepay, dana, ovo, QRIS, kredivo and akulaku" (those Kuota offers are here), and
 * "Shopeepay and OVO does not support partial refund at the moment".
 */
const REFUNDABLE = new Set(['credit_card', 'gopay', 'shopeepay', 'qris']);
const WHOLE_REFUND_ONLY = new Set(['shopeepay']);

const jakarta = (at: Date) => new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

/**
 * Midtrans Snap and Core API on loopback, from docs.midtrans.com, reached through Kuota's real adapter.
 * Tests act as the traveller on the Snap page (choose a method, pay, let it expire) and the fake
 * POSTs the signed notifications Midtrans would, to `notificationUrl`; `held` keeps them back
 * instead, for tests that deliver them twice or out of order.
 */
export class FakeMidtrans {
  readonly snaps = new Map<string, FakeSnap>();
  readonly requests: Array<{ method: string; path: string; body: unknown }> = [];
  notificationUrl: string | null = null;
  /** Every route answers 503, as when Midtrans is down. */
  down = false;
  /**
   * Refunds are refused as Midtrans refuses them (412 in the body of an HTTP 200, as the "Error (Invalid
   * Refund)" sample of https://docs.midtrans.com/reference/refund-transaction), e.g. past the refund window.
   */
  refuseRefunds = false;
  /** Notifications are kept here instead of sent. */
  hold = false;
  readonly held: Notification[] = [];
  readonly delivered: Array<{ body: Notification; status: number }> = [];
  /** The fake's own clock, so "paid hours later" follows the harness. */
  now: () => Date = () => new Date();

  private constructor(
    readonly url: string,
    private readonly closeServer: () => Promise<void>,
    readonly serverKey: string,
  ) {}

  static async start(serverKey = FAKE_SERVER_KEY): Promise<FakeMidtrans> {
    const routes: { fake?: FakeMidtrans } = {};
    const server = await listen((req, body, res) => routes.fake!.route(req, body, res));
    routes.fake = new FakeMidtrans(server.url, server.close, serverKey);
    return routes.fake;
  }

  close(): Promise<void> {
    return this.closeServer();
  }

  private authorised(req: IncomingMessage): boolean {
    return req.headers.authorization === `Basic ${Buffer.from(`${this.serverKey}:`).toString('base64')}`;
  }

  private async route(req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.url).pathname;
    const body: unknown = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    this.requests.push({ method: req.method ?? '', path, body });
    if (this.down) return sendJson(res, 503, { status_code: '503', status_message: 'Service Unavailable' });
    if (req.method === 'POST' && path === '/snap/v1/transactions') return this.createSnap(req, body, res);
    const core = /^\/v2\/([^/]+)\/(status|refund|expire)$/.exec(path);
    // The fake's own plumbing, not Midtrans's: an unknown path is 404, a wrong method 405, `down` 503.
    if (!core) return sendJson(res, 404, { status_code: '404', status_message: 'Not Found' });
    // Core API answers an unknown key in the body of an HTTP 401 ("Code 4xx": 401, https://docs.midtrans.com/reference/code-4xx).
    if (!this.authorised(req))
      return sendJson(res, 401, {
        status_code: '401',
        status_message: 'Unknown Merchant server_key/id',
      });
    // "Refund Transaction", "Get Transaction Status", "Expire Transaction" (addresses on each route below):
    // the path names the order_id or the transaction_id.
    const named = decodeURIComponent(core[1]!);
    const orderId =
      [...this.snaps.values()].find((snap) => snap.transaction?.transaction_id === named)?.orderId ?? named;
    if (core[2] === 'status' && req.method === 'GET') return this.statusOf(orderId, res);
    if (core[2] === 'refund' && req.method === 'POST') return this.refund(orderId, body, res);
    if (core[2] === 'expire' && req.method === 'POST') return this.expireByApi(orderId, res);
    return sendJson(res, 405, { status_code: '405', status_message: 'Method Not Allowed' });
  }

  /**
   * Snap: "Backend Integration", POST /snap/v1/transactions (https://docs.midtrans.com/reference/backend-integration);
   * its refusals are `error_messages` in the body, as that page's samples show.
   */
  private createSnap(req: IncomingMessage, body: any, res: ServerResponse): void {
    if (!this.authorised(req))
      return sendJson(res, 401, {
        error_messages: ['Access denied due to unauthorized transaction, please check client or server key'],
      });
    const details = body?.transaction_details;
    const errors: string[] = [];
    if (typeof details?.order_id !== 'string' || !/^[A-Za-z0-9_~.-]{1,50}$/.test(details.order_id))
      errors.push('transaction_details.order_id is invalid');
    if (!Number.isInteger(details?.gross_amount) || details.gross_amount < 1)
      errors.push('transaction_details.gross_amount must be an integer and at least 1');
    // Snap's expiry: a unit of day, hour or minute (the "expiry" object of https://docs.midtrans.com/reference/backend-integration);
    // a code handed out lives at least 20 seconds and at most 180 days (https://docs.midtrans.com/reference/bca-virtual-account,
    // https://docs.midtrans.com/reference/indomaret-1). The Snap page's own page_expiry is not checked: Kuota does not send it.
    const expiry = body?.expiry as { unit?: unknown; duration?: unknown } | undefined;
    if (expiry !== undefined) {
      const minutes = { day: 1440, days: 1440, hour: 60, hours: 60, minute: 1, minutes: 1 }[String(expiry.unit)];
      const duration = Number(expiry.duration);
      if (!minutes) errors.push('expiry.unit must be one of day, hour, minute');
      else if (!Number.isInteger(duration) || duration < 1 || duration * minutes > 180 * 1440)
        errors.push('expiry.duration must be between 20 seconds and 180 days');
    }
    if (errors.length) return sendJson(res, 400, { error_messages: errors });
    if (this.snaps.has(details.order_id))
      return sendJson(res, 400, { error_messages: ['transaction_details.order_id has already been taken'] });
    const token = randomBytes(16).toString('hex');
    this.snaps.set(details.order_id, {
      orderId: details.order_id,
      grossAmount: details.gross_amount,
      enabledPayments: body.enabled_payments ?? [],
      expiry: body.expiry,
      finishUrl: body.callbacks?.finish,
      token,
    });
    sendJson(res, 201, { token, redirect_url: `${this.url}/snap/v4/redirection/${token}` });
  }

  /** "Get Transaction Status" (https://docs.midtrans.com/reference/get-transaction-status): 404 until the traveller picked a method on the Snap page. */
  private statusOf(orderId: string, res: ServerResponse): void {
    const tx = this.snaps.get(orderId)?.transaction;
    if (!tx) return sendJson(res, 404, { status_code: '404', status_message: "Transaction doesn't exist." });
    sendJson(res, 200, this.body(tx, STATUS_API_CODE));
  }

  /**
   * "Refund Transaction" (https://docs.midtrans.com/reference/refund-transaction): refusals in the body of
   * an HTTP 200, with the page's codes: 412 "Merchant cannot modify the status of the transaction" for a
   * method or a state that cannot be refunded (only a settled transaction is: "If transaction's status is
   * still Pending, Authorize or Capture please use Cancel API instead"), 414 "Refund request is rejected
   * due to invalid amount" for an amount that is not a whole number from 1 to what is left to refund.
   * (The "Code 4xx" page words 414 as the merchant's insufficient funds; the refund page is the one followed.)
   * A partial ShopeePay refund is refused: the page says it is not supported but names no code, so the fake
   * gives the invalid-amount one. The same refund_key again is the same refund, as the page says of a retry.
   */
  private refund(orderId: string, body: any, res: ServerResponse): void {
    const tx = this.snaps.get(orderId)?.transaction;
    if (!tx) return sendJson(res, 404, { status_code: '404', status_message: "Transaction doesn't exist." });
    const key = String(body?.refund_key ?? '');
    const earlier = tx.refunds.find((r) => r.refund_key === key);
    if (earlier)
      return sendJson(res, 200, {
        ...this.body(tx, STATUS_API_CODE),
        refund_amount: `${earlier.refund_amount}.00`,
        refund_key: key,
      });
    const refused = (code: string, message: string) =>
      sendJson(res, 200, { status_code: code, status_message: message });
    if (!REFUNDABLE.has(tx.payment_type) || this.refuseRefunds)
      return refused('412', 'Merchant cannot modify the status of the transaction');
    if (!['settlement', 'partial_refund'].includes(tx.transaction_status))
      return refused('412', 'Merchant cannot modify the status of the transaction');
    const paid = Number(tx.gross_amount.split('.')[0]);
    const already = tx.refunds.reduce((s, r) => s + r.refund_amount, 0);
    const amount = body?.amount === undefined ? paid - already : Number(body.amount);
    const invalidAmount = () => refused('414', 'Refund request is rejected due to invalid amount');
    if (!Number.isInteger(amount) || amount < 1 || amount > paid - already) return invalidAmount();
    if (WHOLE_REFUND_ONLY.has(tx.payment_type) && amount !== paid) return invalidAmount();
    tx.refunds.push({ refund_key: key, refund_amount: amount });
    tx.transaction_status = already + amount === paid ? 'refund' : 'partial_refund';
    sendJson(res, 200, { ...this.body(tx, STATUS_API_CODE), refund_amount: `${amount}.00`, refund_key: key });
    this.notifyLater(orderId);
  }

  /** "Expire Transaction" (https://docs.midtrans.com/reference-link/expire-transaction): only a pending transaction (else 412); its answer carries 407. */
  private expireByApi(orderId: string, res: ServerResponse): void {
    const tx = this.snaps.get(orderId)?.transaction;
    if (!tx) return sendJson(res, 404, { status_code: '404', status_message: "Transaction doesn't exist." });
    if (tx.transaction_status !== 'pending')
      return sendJson(res, 200, {
        status_code: '412',
        status_message: 'Merchant cannot modify the status of the transaction',
      });
    tx.transaction_status = 'expire';
    sendJson(res, 200, this.body(tx, STATUS_API_CODE));
    this.notifyLater(orderId);
  }

  private body(tx: FakeTransaction, codes: Record<string, string>): Notification {
    const { refunds: _refunds, ...rest } = tx;
    const statusCode = codes[tx.transaction_status] ?? '200';
    return { ...rest, status_code: statusCode, signature_key: this.sign(tx.order_id, statusCode, tx.gross_amount) };
  }

  sign(orderId: string, statusCode: string, grossAmount: string): string {
    return createHash('sha512')
      .update(orderId + statusCode + grossAmount + this.serverKey)
      .digest('hex');
  }

  /** The notification Midtrans would send now for this order. */
  notificationFor(orderId: string): Notification {
    const tx = this.snaps.get(orderId)?.transaction;
    if (!tx) throw new Error(`no transaction for ${orderId}`);
    return this.body(tx, NOTIFICATION_CODE);
  }

  /** Midtrans notifies after it answered the API call that changed the transaction. */
  private notifyLater(orderId: string): void {
    setImmediate(() => void this.notify(orderId).catch(() => undefined));
  }

  /** POSTs the order's notification (or keeps it when `hold` is on). */
  notify(orderId: string): Promise<number | null> {
    const body = this.notificationFor(orderId);
    if (this.hold) {
      this.held.push(body);
      return Promise.resolve(null);
    }
    return this.deliver(body);
  }

  /**
   * Sends one notification as Midtrans does ("HTTP(S) Notification / Webhooks",
   * https://docs.midtrans.com/docs/https-notification-webhooks): a JSON POST, signed in its body's
   * signature_key and not in a header; Midtrans retries any non-2xx later. One connection per
   * notification: one sent while Kuota is still answering another (a refund's, during the settlement
   * that asked for it) would otherwise leave a kept-alive socket that holds the app's server.close()
   * open until its keep-alive timeout.
   */
  async deliver(body: Notification): Promise<number> {
    if (!this.notificationUrl) throw new Error('the fake has no notification URL');
    const response = await fetch(this.notificationUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', connection: 'close' },
      body: JSON.stringify(body),
      redirect: 'manual',
    });
    this.delivered.push({ body, status: response.status });
    return response.status;
  }

  /**
   * The traveller picks a method on the Snap page: the transaction exists (pending) from now on, with the
   * fields of the pending samples on https://docs.midtrans.com/reference/bri-virtual-account-1 (va_numbers),
   * https://docs.midtrans.com/reference-link/permata-virtual-account (permata_va_number),
   * https://docs.midtrans.com/reference/mandiri-bill-payment-1 (bill_key, biller_code) and
   * https://docs.midtrans.com/reference/alfamart-1, https://docs.midtrans.com/reference/indomaret-1 (store, payment_code).
   */
  async choose(orderId: string, method: Method): Promise<FakeTransaction> {
    const snap = this.snaps.get(orderId);
    if (!snap) throw new Error(`no Snap page for ${orderId}`);
    if (snap.enabledPayments.length && !snap.enabledPayments.includes(method))
      throw new Error(`${method} is not on the page for ${orderId}`);
    const now = this.now();
    const expiresAt = new Date(now.getTime() + snap.expiry.duration * 60_000);
    const number = String(Math.floor(Math.random() * 1e11)).padStart(11, '0');
    const tx: FakeTransaction = {
      order_id: orderId,
      transaction_id: randomBytes(16).toString('hex'),
      transaction_status: 'pending',
      gross_amount: `${snap.grossAmount}.00`,
      currency: 'IDR',
      payment_type: method,
      transaction_time: jakarta(now),
      expiry_time: jakarta(expiresAt),
      refunds: [],
    };
    if (method.endsWith('_va') && method !== 'permata_va') {
      tx.payment_type = 'bank_transfer';
      tx.va_numbers = [{ bank: method.replace('_va', ''), va_number: `8${number}` }];
    } else if (method === 'permata_va') {
      tx.payment_type = 'bank_transfer';
      tx.permata_va_number = `8778${number.slice(0, 12)}`;
    } else if (method === 'echannel') {
      tx.bill_key = number.slice(0, 11);
      tx.biller_code = '70012';
    } else if (method === 'indomaret' || method === 'alfamart') {
      tx.payment_type = 'cstore';
      tx.store = method;
      tx.payment_code = number.slice(0, 14);
    }
    snap.transaction = tx;
    await this.notify(orderId);
    return tx;
  }

  private transactionOf(orderId: string): FakeTransaction {
    const tx = this.snaps.get(orderId)?.transaction;
    if (!tx) throw new Error(`no transaction for ${orderId}`);
    return tx;
  }

  /** The traveller pays: settlement (a card: capture, accepted), as in https://docs.midtrans.com/docs/transaction-status-cycle. */
  async pay(orderId: string): Promise<void> {
    const tx = this.transactionOf(orderId);
    if (tx.payment_type === 'credit_card') {
      tx.transaction_status = 'capture';
      tx.fraud_status = 'accept';
    } else tx.transaction_status = 'settlement';
    await this.notify(orderId);
  }

  /** The code ran out before anyone paid it. */
  async lapse(orderId: string): Promise<void> {
    this.transactionOf(orderId).transaction_status = 'expire';
    await this.notify(orderId);
  }

  /** A Mandiri bill payment reversed after settlement: "can change from SETTLEMENT to DENY" (https://docs.midtrans.com/reference/mandiri-bill-payment-1). */
  async reverse(orderId: string): Promise<void> {
    this.transactionOf(orderId).transaction_status = 'deny';
    await this.notify(orderId);
  }
}
