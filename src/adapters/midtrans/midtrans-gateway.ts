import { z } from 'zod';
import type { Logger } from '../../logger.js';
import type {
  MidtransGateway,
  MidtransTransaction,
  NotificationCheck,
  RefundRequest,
  RefundResult,
  SnapRequest,
  SnapResult,
} from '../../services/ports/midtrans-gateway.js';
import { rupiahOf } from '../../domain/midtrans.js';
import { signatureMatches } from './signature.js';
import { faultyField, toTransaction, transactionSchema } from './transaction.js';

export type MidtransOptions = {
  serverKey: string;
  /** Core API: https://api.midtrans.com (production) or https://api.sandbox.midtrans.com. */
  apiUrl: string;
  /** Snap: https://app.midtrans.com (production) or https://app.sandbox.midtrans.com. */
  snapUrl: string;
  now: () => Date;
  logger: Logger;
  timeoutMs?: number;
};

const snapAnswer = z.object({ token: z.string().min(1).max(200), redirect_url: z.url() });
const snapRefusal = z.object({ error_messages: z.array(z.string()).optional() });
const coreAnswer = z.object({ status_code: z.string(), status_message: z.string().optional() }).loose();
const refundAnswer = z.object({ transaction_status: z.string(), refund_amount: z.string().optional() }).loose();

/** Midtrans's own wall clock (Jakarta, UTC+7): "2026-12-07 10:00:00 +0700", as Snap's expiry.start_time wants it. */
function jakartaStamp(at: Date): string {
  const local = new Date(at.getTime() + 7 * 3_600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)} +0700`;
}

/**
 * Midtrans over its documented HTTP API. The official `midtrans-client` package is not used: its
 * base URLs are static properties of its ApiConfig class (lib/apiConfig.js), chosen only by
 * `isProduction`, so pointing it at a local fake means rewriting a process-wide global.
 */
export class MidtransHttpGateway implements MidtransGateway {
  private readonly auth: string;

  constructor(private readonly options: MidtransOptions) {
    this.auth = `Basic ${Buffer.from(`${options.serverKey}:`).toString('base64')}`;
  }

  private async call(base: string, path: string, method: 'GET' | 'POST', body?: unknown) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: this.auth,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
    });
    const json: unknown = await response.json().catch(() => null);
    return { status: response.status, json };
  }

  async createPage(request: SnapRequest): Promise<SnapResult> {
    const minutes = Math.max(1, Math.ceil((request.expiresAt.getTime() - this.options.now().getTime()) / 60_000));
    const body = {
      transaction_details: { order_id: request.orderId, gross_amount: request.amountIdr },
      enabled_payments: request.methods,
      expiry: { start_time: jakartaStamp(this.options.now()), unit: 'minute', duration: minutes },
      callbacks: { finish: request.finishUrl },
    };
    let answer;
    try {
      answer = await this.call(this.options.snapUrl, '/snap/v1/transactions', 'POST', body);
    } catch (err) {
      this.options.logger.warn({ err, orderId: request.orderId }, 'Midtrans Snap did not answer');
      return { ok: false, reason: 'unavailable' };
    }
    if (answer.status >= 500) return { ok: false, reason: 'unavailable' };
    const page = snapAnswer.safeParse(answer.json);
    if (answer.status < 300 && page.success)
      return { ok: true, page: { token: page.data.token, url: page.data.redirect_url } };
    const refusal = snapRefusal.safeParse(answer.json);
    const messages = refusal.success ? (refusal.data.error_messages ?? []) : [];
    this.options.logger.warn(
      { orderId: request.orderId, status: answer.status, messages },
      'Midtrans Snap refused the page',
    );
    return { ok: false, reason: 'refused', messages };
  }

  async status(orderId: string): Promise<MidtransTransaction | null> {
    const answer = await this.call(this.options.apiUrl, `/v2/${encodeURIComponent(orderId)}/status`, 'GET');
    const code = coreAnswer.safeParse(answer.json);
    // 404 in the HTTP status or only in the body: Snap made no transaction yet (no method picked).
    if (answer.status === 404 || (code.success && code.data.status_code === '404')) return null;
    if (answer.status >= 300 || !code.success) throw new Error(`Midtrans status answered HTTP ${answer.status}`);
    const parsed = transactionSchema.safeParse(answer.json);
    if (!parsed.success)
      throw new Error(
        `Midtrans status answered an unreadable ${faultyField(parsed.error)} (code ${code.data.status_code})`,
      );
    return toTransaction(parsed.data);
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const answer = await this.call(this.options.apiUrl, `/v2/${encodeURIComponent(request.orderId)}/refund`, 'POST', {
      refund_key: request.refundKey,
      amount: request.amountIdr,
      reason: request.reason,
    });
    if (answer.status >= 500) throw new Error(`Midtrans refund answered HTTP ${answer.status}`);
    const code = coreAnswer.safeParse(answer.json);
    if (!code.success) throw new Error(`Midtrans refund answered HTTP ${answer.status} with no status_code`);
    // Refusals come back as HTTP 200 too, with the code only in the body.
    if (code.data.status_code !== '200')
      return { ok: false, statusCode: code.data.status_code, message: code.data.status_message ?? '' };
    const refund = refundAnswer.safeParse(answer.json);
    const refunded = refund.success && refund.data.refund_amount ? rupiahOf(refund.data.refund_amount) : null;
    return {
      ok: true,
      transactionStatus: refund.success ? refund.data.transaction_status : 'refund',
      refundedIdr: refunded ?? request.amountIdr,
    };
  }

  async expire(orderId: string): Promise<boolean> {
    const answer = await this.call(this.options.apiUrl, `/v2/${encodeURIComponent(orderId)}/expire`, 'POST');
    if (answer.status >= 500) throw new Error(`Midtrans expire answered HTTP ${answer.status}`);
    const code = coreAnswer.safeParse(answer.json);
    // "Expire transaction": 407 is the code of an expired transaction, in the answer to expire as in status.
    return code.success && code.data.status_code === '407';
  }

  checkNotification(body: unknown): NotificationCheck {
    const parsed = transactionSchema.safeParse(body);
    if (!parsed.success) return { ok: false, reason: 'invalid', field: faultyField(parsed.error) };
    if (!parsed.data.signature_key) return { ok: false, reason: 'invalid', field: 'signature_key' };
    if (!signatureMatches(parsed.data, this.options.serverKey)) return { ok: false, reason: 'bad_signature' };
    return { ok: true, transaction: toTransaction(parsed.data) };
  }
}
