import { createHmac, timingSafeEqual } from 'node:crypto';
import { AiraloClient, type AiraloClientOptions } from './airalo-client.js';
import {
  ProviderRateLimitedError,
  ProviderUnavailableError,
  type LineInfo,
  type Package,
  type ProviderGateway,
  type TopUpRequest,
  type TopUpStatus,
  type Usage,
} from './gateway.js';

export type AiraloOptions = AiraloClientOptions & { webhookSecret: string };

/** Airalo's low-data and expiry notifications. */
export const LOW_DATA_LEVELS = ['75%', '90%', '3days', '1days'] as const;
export type LowDataLevel = (typeof LOW_DATA_LEVELS)[number];
export type LowDataNotification = { iccid: string; level: LowDataLevel; remainingPercentage: number | null };

type AiraloPackage = {
  id: string;
  price: number;
  net_price?: number;
  amount: number;
  day: number;
  is_unlimited: boolean;
  title: string;
  data?: string;
};
type AiraloOrder = { id: number | string; code?: string; description?: string | null; package_id?: string };
type AiraloUsage = {
  remaining: number;
  total: number;
  expired_at: string | null;
  is_unlimited: boolean;
  status: Usage['status'];
};

const USD = 'USD';
const toMinor = (price: number) => Math.round(price * 100);
/** Kuota's reference in an order's description, where it is looked up before any retry. */
export const orderDescription = (reference: string) => `kuota:${reference}`;

/**
 * An eSIM partner adapter in the style of Airalo's partner API (v2): top-ups per ICCID, usage,
 * and signed low-data webhooks. Its top-up order takes no idempotency key, so after a timeout or
 * a 5xx the adapter looks for Kuota's reference in the order list before it buys again.
 * One-time codes are the partner extension (`/v2/partner/otp`) resellers contract separately,
 * as with the Digiflazz-style adapter: Airalo itself sends none.
 */
export class AiraloGateway implements ProviderGateway {
  readonly name = 'airalo';
  readonly client: AiraloClient;

  constructor(private readonly options: AiraloOptions) {
    this.client = new AiraloClient(options);
  }

  async lookupLine(identifier: string, kind: 'msisdn' | 'iccid'): Promise<LineInfo | null> {
    if (kind !== 'iccid') return null;
    const usage = await this.usage(identifier, kind);
    return usage && { carrier: 'esim', planCode: null, expiresAt: usage.expiresAt };
  }

  async sendCode(identifier: string): Promise<{ reference: string }> {
    const answer = await this.client.request<{ otp_ref: string }>('POST', '/v2/partner/otp', {
      iccid: identifier,
      cmd: 'send',
    });
    if (answer.status !== 200 || !answer.data?.otp_ref)
      throw new ProviderUnavailableError(`otp send failed (${answer.status})`);
    return { reference: answer.data.otp_ref };
  }

  async checkCode(reference: string, code: string): Promise<boolean> {
    const answer = await this.client.request('POST', '/v2/partner/otp', {
      otp_ref: reference,
      otp: code,
      cmd: 'check',
    });
    return answer.status === 200;
  }

  /** Airalo's package list (every country and operator), flattened; the cost is net_price. */
  /** Every package, page by page (100 countries a page, 50 pages at most); `onPage` hears of each page read. */
  async listPackages(
    _carrier?: string,
    options: { onPage?: (page: number, packages: number) => void } = {},
  ): Promise<Package[]> {
    const packages: Package[] = [];
    for (let page = 1; page <= 50; page++) {
      const answer = await this.client.request<Array<{ operators?: Array<{ packages?: AiraloPackage[] }> }>>(
        'GET',
        `/v2/packages?limit=100&page=${page}`,
      );
      const countries = answer.data ?? [];
      for (const country of countries)
        for (const operator of country.operators ?? [])
          for (const p of operator.packages ?? []) packages.push(toPackage(p));
      options.onPage?.(page, packages.length);
      if (countries.length < 100) break;
    }
    return packages;
  }

  /** The top-up packages this eSIM can take. */
  async topUpPackages(iccid: string, kind: 'msisdn' | 'iccid' = 'iccid'): Promise<Package[] | null> {
    if (kind !== 'iccid') return null;
    const answer = await this.client.request<AiraloPackage[]>('GET', `/v2/sims/${encodeURIComponent(iccid)}/topups`);
    if (answer.status === 404 || answer.status === 422) return [];
    return (answer.data ?? []).map(toPackage);
  }

  async topUp(request: TopUpRequest): Promise<TopUpStatus> {
    let answer;
    try {
      answer = await this.client.request<AiraloOrder>('POST', '/v2/orders/topups', {
        package_id: request.sku,
        iccid: request.identifier,
        description: orderDescription(request.reference),
      });
    } catch (error) {
      // Refused before it was taken: nothing was bought, and the sweep asks again later.
      if (error instanceof ProviderRateLimitedError)
        return { status: 'failed', providerRef: null, reason: error.message, retryable: true };
      if (!(error instanceof ProviderUnavailableError)) throw error;
      // No answer, or a 5xx: the order may exist. Until it is found, it is pending, never bought again blindly.
      return (await this.findTopUp(request).catch(() => null)) ?? { status: 'pending', providerRef: null };
    }
    if (answer.status === 200 || answer.status === 201)
      return { status: 'success', providerRef: orderRef(answer.data), expiresAt: null };
    return {
      status: 'failed',
      providerRef: null,
      reason: `Airalo ${answer.status}: ${answer.message ?? 'refused'}`,
      retryable: false,
    };
  }

  /** Looks for Kuota's reference first; only an order that is not there is placed (again). */
  async topUpStatus(request: TopUpRequest): Promise<TopUpStatus> {
    return (await this.findTopUp(request)) ?? this.topUp(request);
  }

  private async findTopUp(request: TopUpRequest): Promise<TopUpStatus | null> {
    const description = orderDescription(request.reference);
    const query = new URLSearchParams({
      'filter[iccid]': request.identifier,
      'filter[description]': description,
      limit: '50',
    });
    const answer = await this.client.request<AiraloOrder[]>('GET', `/v2/orders?${query}`);
    if (answer.status !== 200) throw new ProviderUnavailableError(`order list answered ${answer.status}`);
    // The filter may match by substring: only the exact reference is ours.
    const order = (answer.data ?? []).find((o) => o.description === description);
    return order ? { status: 'success', providerRef: orderRef(order), expiresAt: null } : null;
  }

  async usage(identifier: string, kind: 'msisdn' | 'iccid'): Promise<Usage | null> {
    if (kind !== 'iccid') return null;
    const answer = await this.client.request<AiraloUsage>('GET', `/v2/sims/${encodeURIComponent(identifier)}/usage`);
    if (answer.status === 404 || answer.status === 422) return null;
    if (answer.status !== 200 || !answer.data) throw new ProviderUnavailableError(`usage answered ${answer.status}`);
    const u = answer.data;
    // For unlimited plans Airalo sends 0 for remaining and total: they mean nothing.
    return {
      remainingMb: u.is_unlimited ? null : u.remaining,
      totalMb: u.is_unlimited ? null : u.total,
      unlimited: u.is_unlimited,
      expiresAt: u.expired_at ? new Date(`${u.expired_at.replace(' ', 'T')}Z`) : null,
      status: u.status,
    };
  }

  pushesLowData(kind: 'msisdn' | 'iccid'): boolean {
    return kind === 'iccid';
  }

  /**
   * Checks the `airalo-signature` header (hex HMAC-SHA512 of the raw body with the partner secret)
   * in constant time, whatever arrives, and reads the notification; null for anything else.
   */
  parseWebhook(rawBody: Buffer, signature: unknown): LowDataNotification | null {
    if (typeof signature !== 'string' || !/^[0-9a-f]{128}$/i.test(signature.trim())) return null;
    const expected = createHmac('sha512', this.options.webhookSecret).update(rawBody).digest();
    if (!timingSafeEqual(Buffer.from(signature.trim(), 'hex'), expected)) return null;
    let body: { iccid?: unknown; level?: unknown; remaining_percentage?: unknown };
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return null;
    }
    if (!body || typeof body.iccid !== 'string' || !LOW_DATA_LEVELS.includes(body.level as LowDataLevel)) return null;
    return {
      iccid: body.iccid,
      level: body.level as LowDataLevel,
      remainingPercentage: typeof body.remaining_percentage === 'number' ? body.remaining_percentage : null,
    };
  }
}

function toPackage(p: AiraloPackage): Package {
  return {
    sku: p.id,
    priceMinor: toMinor(p.net_price ?? p.price),
    currency: USD,
    available: true,
    minRetailMinor: toMinor(p.price),
    title: p.title,
    dataMb: p.is_unlimited ? null : p.amount,
    validityDays: p.day,
  };
}

function orderRef(order: AiraloOrder | null): string {
  return String(order?.code ?? order?.id ?? 'airalo');
}
