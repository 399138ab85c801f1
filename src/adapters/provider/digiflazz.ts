import { createHash, createHmac } from 'node:crypto';
import { sameSecret } from '../same-secret.js';
import { toLocalForm } from '../../domain/msisdn.js';
import {
  ProviderUnavailableError,
  type LineInfo,
  type Package,
  type ProviderGateway,
  type TopUpRequest,
  type TopUpStatus,
} from '../../services/ports/provider-gateway.js';

export type DigiflazzOptions = {
  baseUrl: string;
  username: string;
  apiKey: string;
  webhookSecret: string;
  testing?: boolean;
  fetch?: typeof fetch;
  timeoutMs?: number;
};

/** The fields Digiflazz puts under `data` in answers and callbacks. */
export type DigiflazzTransaction = {
  ref_id: string;
  customer_no: string;
  buyer_sku_code: string;
  message: string;
  status: 'Sukses' | 'Pending' | 'Gagal';
  rc: string;
  sn?: string;
  price?: number;
};

// rc codes where the same request may succeed later (balance, maintenance, timeouts).
const RETRYABLE_RC = new Set(['44', '45', '53', '55', '58', '62', '99']);

/**
 * A wholesale adapter in the style of Digiflazz's buyer API: JSON POSTs to one base URL,
 * answers wrapped in `data`, top-ups signed md5(username + apiKey + ref_id) and idempotent by ref_id.
 * Line look-up and one-time codes are the partner extension (`/inquiry-line`, `/otp`) resellers
 * contract separately: Digiflazz itself has none.
 */
export class DigiflazzGateway implements ProviderGateway {
  readonly name = 'digiflazz';
  private readonly fetch: typeof fetch;

  constructor(private readonly options: DigiflazzOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  private sign(suffix: string): string {
    return createHash('md5')
      .update(this.options.username + this.options.apiKey + suffix)
      .digest('hex');
  }

  private async post<T>(path: string, body: Record<string, unknown>): Promise<T> {
    let response: Response;
    try {
      response = await this.fetch(`${this.options.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new ProviderUnavailableError(`provider unreachable: ${(error as Error).message}`, { cause: error });
    }
    if (response.status >= 500) throw new ProviderUnavailableError(`provider answered ${response.status}`);
    const json = (await response.json().catch(() => null)) as { data?: T } | null;
    if (!json || json.data === undefined)
      throw new ProviderUnavailableError(`provider answered ${response.status} without data`);
    return json.data;
  }

  async lookupLine(identifier: string, kind: 'msisdn' | 'iccid'): Promise<LineInfo | null> {
    const customer_no = kind === 'msisdn' ? toLocalForm(identifier) : identifier;
    const data = await this.post<{
      rc: string;
      operator?: string;
      plan_code?: string | null;
      expired_at?: string | null;
    }>('/inquiry-line', {
      username: this.options.username,
      customer_no,
      sign: this.sign(customer_no),
    });
    if (data.rc !== '00') return null;
    return {
      carrier: (data.operator ?? 'unknown').toLowerCase(),
      planCode: data.plan_code ?? null,
      expiresAt: data.expired_at ? new Date(data.expired_at) : null,
    };
  }

  async sendCode(identifier: string, kind: 'msisdn' | 'iccid'): Promise<{ reference: string }> {
    const customer_no = kind === 'msisdn' ? toLocalForm(identifier) : identifier;
    const data = await this.post<{ rc: string; otp_ref: string }>('/otp', {
      username: this.options.username,
      customer_no,
      cmd: 'send',
      sign: this.sign(customer_no),
    });
    if (data.rc !== '00') throw new ProviderUnavailableError(`otp send failed rc=${data.rc}`);
    return { reference: data.otp_ref };
  }

  async checkCode(reference: string, code: string): Promise<boolean> {
    const data = await this.post<{ rc: string }>('/otp', {
      username: this.options.username,
      otp_ref: reference,
      otp: code,
      cmd: 'check',
      sign: this.sign(reference),
    });
    return data.rc === '00';
  }

  async listPackages(carrier: string): Promise<Package[]> {
    const data = await this.post<
      Array<{
        buyer_sku_code: string;
        brand: string;
        price: number;
        buyer_product_status: boolean;
        seller_product_status: boolean;
      }>
    >('/price-list', { cmd: 'prepaid', username: this.options.username, sign: this.sign('pricelist') });
    return data
      .filter((p) => p.brand.toLowerCase() === carrier.toLowerCase())
      .map((p) => ({
        sku: p.buyer_sku_code,
        priceMinor: p.price,
        currency: 'IDR',
        available: p.buyer_product_status && p.seller_product_status,
      }));
  }

  /** Digiflazz's cek-saldo: the deposit, in rupiah. */
  async balance(): Promise<{ amountMinor: number; currency: string }> {
    const data = await this.post<{ deposit?: number; rc?: string }>('/cek-saldo', {
      cmd: 'deposit',
      username: this.options.username,
      sign: this.sign('depo'),
    });
    if (typeof data.deposit !== 'number') throw new ProviderUnavailableError(`cek-saldo answered rc=${data.rc ?? '?'}`);
    return { amountMinor: Math.round(data.deposit), currency: 'IDR' };
  }

  async topUp(request: TopUpRequest): Promise<TopUpStatus> {
    return toStatus(await this.post<DigiflazzTransaction>('/transaction', this.transactionBody(request)));
  }

  /** Digiflazz answers a repeat of the same body and ref_id with the transaction's current status. */
  async topUpStatus(request: TopUpRequest): Promise<TopUpStatus> {
    return this.topUp(request);
  }

  private transactionBody(request: TopUpRequest) {
    return {
      username: this.options.username,
      buyer_sku_code: request.sku,
      customer_no: request.kind === 'msisdn' ? toLocalForm(request.identifier) : request.identifier,
      ref_id: request.reference,
      sign: this.sign(request.reference),
      ...(this.options.testing ? { testing: true } : {}),
    };
  }

  /** Checks a callback's X-Hub-Signature (sha1=hex HMAC of the raw body) and reads it. */
  parseCallback(
    rawBody: Buffer,
    signatureHeader: string | undefined,
  ): { reference: string; status: TopUpStatus } | null {
    const expected = `sha1=${createHmac('sha1', this.options.webhookSecret).update(rawBody).digest('hex')}`;
    if (!sameSecret(signatureHeader, expected)) return null;
    const data = parseJson(rawBody)?.data;
    if (!data || typeof data.ref_id !== 'string' || !data.ref_id) return null;
    return { reference: data.ref_id, status: toStatus(data) };
  }
}

function parseJson(raw: Buffer): { data?: DigiflazzTransaction } | null {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return value && typeof value === 'object' ? value : null;
  } catch {
    return null;
  }
}

export function toStatus(data: DigiflazzTransaction): TopUpStatus {
  if (data.status === 'Sukses') return { status: 'success', providerRef: data.sn || data.ref_id, expiresAt: null };
  if (data.status === 'Pending') return { status: 'pending', providerRef: data.sn || null };
  // 49: ref_id already used with other data; the original transaction stands, so it is not ours to retry.
  return {
    status: 'failed',
    providerRef: data.sn || null,
    reason: `rc ${data.rc}: ${data.message}`,
    retryable: RETRYABLE_RC.has(data.rc),
  };
}
