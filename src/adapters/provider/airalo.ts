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
} from '../../services/ports/provider-gateway.js';
import { figure, MAX_DATA_MB, PartnerDataError } from './partner-figures.js';
import { airaloEsimSeller } from './airalo-esims.js';
import type { EsimSeller } from '../../services/ports/esim-sales.js';

export type AiraloOptions = AiraloClientOptions & { webhookSecret: string };

/** The low-data and expiry levels Airalo documents; another level is stored and logged, never refused. */
export const LOW_DATA_LEVELS = ['75%', '90%', '3days', '1days'] as const;
export type LowDataLevel = (typeof LOW_DATA_LEVELS)[number];

/** What a signed notification says, read and range-checked; `invalid` names the field that was junk. */
export type PartnerNotification =
  | { kind: 'bad_signature' }
  | { kind: 'invalid'; field: string; detail: string }
  | {
      kind: 'low_data';
      iccid: string;
      level: string;
      known: boolean;
      remainingPercentage: number | null;
      packageName: string | null;
    }
  | { kind: 'credit_limit'; message: string; remaining: number };

/** A top-up the partner refused with its documented code (11: the partner's credit ran out). */
export type PartnerRefusal = { code: number | null; reason: string; status: number };
export const INSUFFICIENT_CREDIT = 11;

export type OptInType = 'webhook_low_data' | 'webhook_credit_limit';
export type OptIn = { type: string; contactPoint: string; levels: number[] | null };

type AiraloPackage = {
  id: string;
  type?: string;
  price: unknown;
  net_price?: unknown;
  amount: unknown;
  day: unknown;
  is_unlimited: boolean;
  title: string;
  data?: string;
};
type AiraloOperator = {
  id?: number | string;
  title?: string;
  packages?: AiraloPackage[];
  countries?: Array<{ country_code?: unknown }>;
  activation_policy?: unknown;
};
type AiraloCountry = { slug?: string; operators?: AiraloOperator[] };
type AiraloOrder = { id: number | string; code?: string; description?: string | null; package_id?: string };
type AiraloUsage = {
  remaining: unknown;
  total: unknown;
  expired_at: string | null;
  is_unlimited: boolean;
  status: Usage['status'];
};

const USD = 'USD';
const toMinor = (price: number) => Math.round(price * 100);
/** Kuota's reference in an order's description, where it is looked up before any retry. */
export const orderDescription = (reference: string) => `kuota:${reference}`;
/** Packages are listed 100 countries a page; the walk stops at meta.last_page, or at an empty page. */
const PAGE_SIZE = 100;
const MAX_PAGES = 200;
const PRICE_MAX = 100_000;

/**
 * An eSIM partner adapter for Airalo's Partner API v2: packages (eSIMs and their top-ups), top-ups
 * per ICCID, usage, the partner's balance, notification opt-ins and signed notifications. Its
 * top-up order takes no idempotency key, so after a timeout or a 5xx the adapter looks for Kuota's
 * reference in the order list before it buys again. Airalo sends no one-time codes: an eSIM is
 * claimed with a code the operator issues (services/claim-codes.ts). Every figure it sends is
 * range-checked here (partner-figures.ts).
 */
export class AiraloGateway implements ProviderGateway {
  readonly name = 'airalo';
  readonly client: AiraloClient;
  private readonly refusalListeners: Array<(refusal: PartnerRefusal) => void> = [];
  private readonly successListeners: Array<() => void> = [];

  readonly orderEsim: EsimSeller['orderEsim'];
  readonly installSteps: EsimSeller['installSteps'];
  readonly refundEsim: EsimSeller['refundEsim'];

  constructor(private readonly options: AiraloOptions) {
    this.client = new AiraloClient(options);
    const seller = airaloEsimSeller(this.client);
    this.orderEsim = seller.orderEsim;
    this.installSteps = seller.installSteps;
    this.refundEsim = seller.refundEsim;
  }

  /** Called with every refused top-up (code and reason), e.g. to tell the operators credit ran out. */
  onRefusal(listener: (refusal: PartnerRefusal) => void): void {
    this.refusalListeners.push(listener);
  }

  /** Called when a top-up goes through (a credit incident is over). */
  onTopUp(listener: () => void): void {
    this.successListeners.push(listener);
  }

  async lookupLine(identifier: string, kind: 'msisdn' | 'iccid'): Promise<LineInfo | null> {
    if (kind !== 'iccid') return null;
    const usage = await this.usage(identifier, kind);
    return usage && { carrier: 'esim', planCode: null, expiresAt: usage.expiresAt };
  }

  /** Ownership of a partner eSIM is proved by a claim code, not a code sent to it. */
  linkProof(kind: 'msisdn' | 'iccid'): 'code' | 'claim' {
    return kind === 'iccid' ? 'claim' : 'code';
  }

  async sendCode(): Promise<{ reference: string }> {
    throw new ProviderUnavailableError('Airalo sends no one-time codes: eSIMs are claimed with a claim code');
  }

  async checkCode(): Promise<boolean> {
    return false;
  }

  /**
   * "Get packages" with include=topup, every page: eSIM packages and the top-ups for them, each tied
   * to its operator. Page 1's `data` is an array; from page 2 on it is an object keyed by index.
   */
  async listPackages(
    _carrier?: string,
    options: { onPage?: (page: number, packages: number) => void } = {},
  ): Promise<Package[]> {
    const packages: Package[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const answer = await this.client.request<AiraloCountry[] | Record<string, AiraloCountry>>(
        'GET',
        `/v2/packages?include=topup&limit=${PAGE_SIZE}&page=${page}`,
      );
      if (answer.status !== 200) throw new ProviderUnavailableError(`package list answered ${answer.status}`);
      const data = answer.data;
      const countries = Array.isArray(data) ? data : data && typeof data === 'object' ? Object.values(data) : [];
      for (const country of countries)
        for (const operator of country?.operators ?? [])
          for (const p of operator.packages ?? []) packages.push(toPackage(p, operator));
      options.onPage?.(page, packages.length);
      const meta = answer.body?.meta as { last_page?: unknown } | undefined;
      const lastPage = typeof meta?.last_page === 'number' ? meta.last_page : null;
      if (!countries.length || (lastPage !== null ? page >= lastPage : countries.length < PAGE_SIZE)) break;
    }
    return packages;
  }

  /** The top-up packages this eSIM can take. */
  async topUpPackages(iccid: string, kind: 'msisdn' | 'iccid' = 'iccid'): Promise<Package[] | null> {
    if (kind !== 'iccid') return null;
    const answer = await this.client.request<AiraloPackage[]>('GET', `/v2/sims/${encodeURIComponent(iccid)}/topups`);
    if (answer.status === 404 || answer.status === 422) return [];
    if (answer.status !== 200) throw new ProviderUnavailableError(`top-up packages answered ${answer.status}`);
    return (Array.isArray(answer.data) ? answer.data : []).map((p) => toPackage({ type: 'topup', ...p }, null));
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
    if (answer.status === 200 || answer.status === 201) {
      for (const listener of this.successListeners) listener();
      return { status: 'success', providerRef: orderRef(answer.data), expiresAt: null };
    }
    const reason = answer.reason ?? answer.message ?? 'refused';
    const refusal: PartnerRefusal = { code: answer.code, reason, status: answer.status };
    for (const listener of this.refusalListeners) listener(refusal);
    return {
      status: 'failed',
      providerRef: null,
      reason: `Airalo ${answer.status}${answer.code !== null ? ` code ${answer.code}` : ''}: ${reason}`,
      retryable: false,
      partnerCode: answer.code,
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
    const answer = await this.client.request<AiraloOrder[]>('GET', `/v2/orders?${query.toString()}`);
    if (answer.status !== 200) throw new ProviderUnavailableError(`order list answered ${answer.status}`);
    // The filter may match by substring: only the exact reference is ours.
    const order = (Array.isArray(answer.data) ? answer.data : []).find((o) => o.description === description);
    return order ? { status: 'success', providerRef: orderRef(order), expiresAt: null } : null;
  }

  /** Remaining and total are range-checked: junk throws PartnerDataError naming the field. */
  async usage(identifier: string, kind: 'msisdn' | 'iccid'): Promise<Usage | null> {
    if (kind !== 'iccid') return null;
    const answer = await this.client.request<AiraloUsage>('GET', `/v2/sims/${encodeURIComponent(identifier)}/usage`);
    if (answer.status === 404 || answer.status === 422) return null;
    if (answer.status !== 200 || !answer.data) throw new ProviderUnavailableError(`usage answered ${answer.status}`);
    const u = answer.data;
    // For unlimited plans Airalo sends 0 for remaining and total: they mean nothing.
    if (u.is_unlimited === true)
      return { remainingMb: null, totalMb: null, unlimited: true, expiresAt: expiry(u.expired_at), status: u.status };
    const total = figure(u.total, 'total', { min: 0, max: MAX_DATA_MB });
    const remaining = figure(u.remaining, 'remaining', { min: 0, max: MAX_DATA_MB });
    return {
      remainingMb: Math.floor(remaining),
      totalMb: Math.floor(total),
      unlimited: false,
      expiresAt: expiry(u.expired_at),
      status: u.status,
    };
  }

  pushesLowData(kind: 'msisdn' | 'iccid'): boolean {
    return kind === 'iccid';
  }

  /** "Get balance": the partner's available Airalo credit. */
  async partnerBalance(): Promise<{ amountMinor: number; currency: string }> {
    const answer = await this.client.request<{
      balances?: { availableBalance?: { amount?: unknown; currency?: unknown } };
    }>('GET', '/v2/balance');
    if (answer.status !== 200) throw new ProviderUnavailableError(`balance answered ${answer.status}`);
    const available = answer.data?.balances?.availableBalance;
    const amount = figure(available?.amount, 'availableBalance.amount', { min: -1e9, max: 1e9 });
    const currency = typeof available?.currency === 'string' ? available.currency : USD;
    return { amountMinor: toMinor(amount), currency };
  }

  /**
   * Opts in to a notification type. Airalo checks `webhookUrl` with a HEAD request first: a refusal
   * comes back with Airalo's own words.
   */
  async optIn(type: OptInType, webhookUrl: string, levels?: number[]): Promise<OptIn> {
    const answer = await this.client.request<{ notification?: Record<string, unknown> } | Record<string, string>>(
      'POST',
      '/v2/notifications/opt-in',
      { json: { type, webhook_url: webhookUrl, ...(levels?.length ? { levels } : {}) } },
    );
    if (answer.status !== 200) {
      const fields = answer.data && typeof answer.data === 'object' ? Object.values(answer.data).join(' ') : '';
      throw new PartnerRefusedError(answer.reason ?? (fields || answer.message || `opt-in answered ${answer.status}`));
    }
    return (
      toOptIn((answer.data as { notification?: Record<string, unknown> })?.notification) ?? {
        type,
        contactPoint: webhookUrl,
        levels: levels ?? null,
      }
    );
  }

  /** "Get low data notification": the opt-in Airalo has now, or null. */
  async optInStatus(): Promise<OptIn | null> {
    const answer = await this.client.request<{ notification?: unknown }>('GET', '/v2/notifications/opt-in');
    if (answer.status === 404) return null;
    if (answer.status !== 200) throw new ProviderUnavailableError(`opt-in details answered ${answer.status}`);
    const n = answer.data?.notification;
    return toOptIn(Array.isArray(n) ? n[0] : n);
  }

  /**
   * Checks the `airalo-signature` header (hex HMAC-SHA512 of the raw body with the partner secret)
   * in constant time, whatever arrives, then reads the notification. A valid signature is never
   * called bad: a body it signs that Kuota cannot use is `invalid`, naming the field.
   */
  parseWebhook(rawBody: Buffer, signature: unknown): PartnerNotification {
    if (typeof signature !== 'string' || !/^[0-9a-f]{128}$/i.test(signature.trim())) return { kind: 'bad_signature' };
    const expected = createHmac('sha512', this.options.webhookSecret).update(rawBody).digest();
    if (!timingSafeEqual(Buffer.from(signature.trim(), 'hex'), expected)) return { kind: 'bad_signature' };
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(rawBody.toString('utf8')) as typeof body;
    } catch {
      return { kind: 'invalid', field: 'body', detail: 'not JSON' };
    }
    if (!body || typeof body !== 'object' || Array.isArray(body))
      return { kind: 'invalid', field: 'body', detail: 'not an object' };
    try {
      if (body.iccid === undefined && body.level === undefined && 'remaining' in body)
        return {
          kind: 'credit_limit',
          message: typeof body.message === 'string' ? body.message.slice(0, 300) : '',
          remaining: figure(body.remaining, 'remaining', { min: -1e9, max: 1e9 }),
        };
      if (typeof body.iccid !== 'string' || !/^\d{18,22}$/.test(body.iccid))
        return { kind: 'invalid', field: 'iccid', detail: "expected the eSIM's ICCID" };
      if (typeof body.level !== 'string' || !body.level.trim() || body.level.length > 32)
        return { kind: 'invalid', field: 'level', detail: 'expected a level such as "90%"' };
      const remainingPercentage =
        body.remaining_percentage === undefined || body.remaining_percentage === null
          ? null
          : figure(body.remaining_percentage, 'remaining_percentage', { min: 0, max: 100 });
      return {
        kind: 'low_data',
        iccid: body.iccid,
        level: body.level,
        known: (LOW_DATA_LEVELS as readonly string[]).includes(body.level),
        remainingPercentage,
        packageName: typeof body.package_name === 'string' ? body.package_name.slice(0, 120) : null,
      };
    } catch (error) {
      if (error instanceof PartnerDataError) return { kind: 'invalid', field: error.field, detail: error.message };
      throw error;
    }
  }
}

/** The partner said no, in its own words (an opt-in whose URL failed the HEAD check). */
export class PartnerRefusedError extends Error {}

function expiry(value: unknown): Date | null {
  if (typeof value !== 'string' || !value) return null;
  const at = new Date(`${value.replace(' ', 'T')}Z`);
  if (Number.isNaN(at.getTime())) throw new PartnerDataError('expired_at', `${value} is not a date`);
  return at;
}

function toOptIn(n: unknown): OptIn | null {
  if (!n || typeof n !== 'object') return null;
  const o = n as { type?: unknown; contact_point?: unknown; levels?: unknown };
  return {
    type: typeof o.type === 'string' ? o.type : '',
    contactPoint: typeof o.contact_point === 'string' ? o.contact_point : '',
    levels: Array.isArray(o.levels) ? o.levels.map(Number) : null,
  };
}

/** A package with its figures range-checked; `operator` ties a top-up to the eSIMs it fits. */
function toPackage(p: AiraloPackage, operator: AiraloOperator | null): Package {
  const field = (name: string) => `packages[${p.id}].${name}`;
  const price = figure(p.price, field('price'), { min: 0, max: PRICE_MAX });
  const cost = p.net_price === undefined || p.net_price === null ? price : p.net_price;
  return {
    sku: String(p.id),
    priceMinor: toMinor(figure(cost, field('net_price'), { min: 0, max: PRICE_MAX })),
    currency: USD,
    available: true,
    minRetailMinor: toMinor(price),
    title: typeof p.title === 'string' ? p.title : String(p.id),
    dataMb: p.is_unlimited ? null : figure(p.amount, field('amount'), { min: 0, max: MAX_DATA_MB, integer: true }),
    validityDays: figure(p.day, field('day'), { min: 1, max: 3650, integer: true }),
    packageType: p.type === 'topup' ? 'topup' : 'sim',
    family: operator?.id !== undefined ? `airalo-operator-${operator.id}` : null,
    ...(p.type !== 'topup' && operator ? simCoverage(operator) : {}),
  };
}

/** A new eSIM's countries and activation policy, as its operator lists them. */
function simCoverage(operator: AiraloOperator): Pick<Package, 'countries' | 'activationPolicy'> {
  const countries = (Array.isArray(operator.countries) ? operator.countries : [])
    .map((c) => (typeof c?.country_code === 'string' ? c.country_code.toUpperCase() : ''))
    .filter((code) => /^[A-Z]{2}$/.test(code));
  const policy = typeof operator.activation_policy === 'string' ? operator.activation_policy : null;
  return { countries: [...new Set(countries)].slice(0, 250), activationPolicy: policy?.slice(0, 40) ?? null };
}

function orderRef(order: AiraloOrder | null): string {
  return String(order?.code ?? order?.id ?? 'airalo');
}
