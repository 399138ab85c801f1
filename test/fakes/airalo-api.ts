import { createHmac, randomBytes } from 'node:crypto';
import { withLuhnDigit } from '../../src/domain/iccid.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, sendJson } from './http.js';
import { parseForm } from './form.js';

/**
 * A local stand-in for Airalo's Partner API v2, built from its public documentation
 * (https://developers.partners.airalo.com, page titles below) and checked against
 * the official Node SDK (Airalo/airalo-nodejs-sdk). Each route names the page it follows. Routes the
 * documentation does not have are not here: Airalo sends no one-time codes.
 */

export type FakeSim = {
  iccid: string;
  remainingMb: number;
  totalMb: number;
  unlimited: boolean;
  expiresAt: Date;
  /**
   * "Get usage (data, text & voice)" lists NOT_ACTIVE, ACTIVE, FINISHED, UNKNOWN and EXPIRED. NOT_ACTIVE
   * until the eSIM first connects: Airalo pushes no "first use" event ("Webhook definition" has low
   * data, credit limit and async orders only), so a test moves it to ACTIVE here.
   */
  status: 'NOT_ACTIVE' | 'ACTIVE' | 'FINISHED' | 'UNKNOWN' | 'EXPIRED';
  /** The operator whose package the eSIM was sold with: its top-ups are that operator's. */
  operatorId: number;
};
export type FakeOrder = {
  id: number;
  code: string;
  package_id: string;
  iccid: string;
  description: string;
  price: number;
  net_price: number;
  /** A new-eSIM order's eSIMs ("Submit order"); a top-up has none. */
  sims?: FakeOrderSim[];
};
/** One eSIM of a "Submit order" answer, with the fields its page lists. */
export type FakeOrderSim = {
  id: number;
  created_at: string;
  iccid: string;
  lpa: string;
  matching_id: string;
  qrcode: string;
  qrcode_url: string;
  direct_apple_installation_url: string;
  apn_type: 'automatic' | 'manual';
  apn_value: string | null;
  is_roaming: boolean;
  confirmation_code: string | null;
};
export type FakePackage = {
  id: string;
  type: 'sim' | 'topup';
  price: number;
  net_price: number;
  amount: number;
  day: number;
  is_unlimited: boolean;
  title: string;
  data: string;
};
export type FakeOperator = {
  id: number;
  title: string;
  packages: FakePackage[];
  /** The countries a regional operator covers; a local one covers its country. */
  countries?: string[];
  activation_policy?: 'first-usage' | 'installation';
  apn_type?: 'automatic' | 'manual';
  apn_value?: string | null;
};
export type FakeCountry = { slug: string; country_code: string; title: string; operators: FakeOperator[] };

const pkg = (id: string, type: 'sim' | 'topup', gb: number, day: number, price: number, net: number): FakePackage => ({
  id,
  type,
  price,
  net_price: net,
  amount: gb * 1024,
  day,
  is_unlimited: false,
  title: `${gb} GB - ${day} Days`,
  data: `${gb} GB`,
});

/** Kuota's sample partner catalog: one operator in Indonesia, two eSIM packages and their two top-ups. */
export const KUOTA_OPERATOR_ID = 501;
const defaultCountries = (): FakeCountry[] => [
  {
    slug: 'indonesia',
    country_code: 'ID',
    title: 'Indonesia',
    operators: [
      {
        id: KUOTA_OPERATOR_ID,
        title: 'Kuota eSIM',
        packages: [
          pkg('kuota-esim-7days-3gb', 'sim', 3, 7, 10, 7.2),
          pkg('kuota-esim-30days-10gb', 'sim', 10, 30, 28, 20.5),
          pkg('kuota-esim-7days-3gb-topup', 'topup', 3, 7, 9, 6.5),
          pkg('kuota-esim-30days-10gb-topup', 'topup', 10, 30, 26, 19.2),
        ],
      },
    ],
  },
];

/** New eSIMs for travellers to Japan: a local operator and a regional one (addDestinations()). */
const destinationCountries = (): FakeCountry[] => [
  {
    slug: 'japan',
    country_code: 'JP',
    title: 'Japan',
    operators: [
      {
        id: JAPAN_OPERATOR_ID,
        title: 'Moshi Moshi',
        activation_policy: 'first-usage',
        apn_type: 'manual',
        apn_value: 'plus.4g',
        packages: [
          pkg('moshi-moshi-7days-1gb', 'sim', 1, 7, 4.5, 3.1),
          pkg('moshi-moshi-15days-5gb', 'sim', 5, 15, 12, 8.4),
          pkg('moshi-moshi-7days-1gb-topup', 'topup', 1, 7, 4.5, 3.1),
        ],
      },
    ],
  },
  {
    slug: 'asia',
    country_code: '',
    title: 'Asia',
    operators: [
      {
        id: ASIA_OPERATOR_ID,
        title: 'Asialink',
        countries: ['JP', 'KR', 'TH', 'SG', 'MY'],
        activation_policy: 'installation',
        apn_type: 'automatic',
        packages: [pkg('asialink-7days-3gb', 'sim', 3, 7, 11, 7.7)],
      },
    ],
  },
];
/** The eSIM packages of Japan and Asia ("Get packages" with filter[country]=JP gives both). */
export const JAPAN_OPERATOR_ID = 601;
export const ASIA_OPERATOR_ID = 701;
/** Installation steps per language, as "Get installation instructions" serves them (others fall back to English). */
const STEPS: Record<string, { ios: string[]; android: string[] }> = {
  en: {
    ios: ['Go to Settings > Cellular > Add eSIM.', 'Scan the QR code.', 'Turn on Data Roaming for the eSIM.'],
    android: ['Go to Settings > Network & internet > SIMs > Add eSIM.', 'Scan the QR code.', 'Turn on roaming.'],
  },
  ja: {
    ios: [
      '設定 > モバイル通信 > eSIMを追加 を開きます。',
      'QRコードを読み取ります。',
      'データローミングをオンにします。',
    ],
    android: [
      '設定 > ネットワークとインターネット > SIM > eSIMを追加 を開きます。',
      'QRコードを読み取ります。',
      'ローミングをオンにします。',
    ],
  },
};

const invalid = (field: string, message: string) => ({
  data: { [field]: message },
  meta: { message: 'the parameter is invalid' },
});
/** The reasons "Request refund" accepts, as its page lists them. */
const REFUND_REASONS = [
  'INSTALLATION_FAILURE',
  'NO_COVERAGE',
  'APN_FAILURE',
  'TRIP_CANCELLATION',
  'INTERMITTENT_CONNECTION',
  'BLOCKED_NETWORK',
  'CHANGE_OF_PLAN',
  'DELETED_ESIM',
  'EARLY_EXPIRY',
  'HOTSPOT_NOT_WORKING',
  'IMSI_CHANGE',
  'INCOMPATIBLE_DEVICE',
  'LOCKED_DEVICE',
  'NO_VOICE_TEXT_SERVICES',
  'OVERCHARGED',
  'SLOW_SPEED',
  'TOP_UP_PACKAGE_FAILURE',
  'UNKNOWN_CHARGES',
  'WRONG_PURCHASE',
  'UNABLE_TO_ACCESS_APPS',
  'SERVICE_DEGRADATION',
  'QR_ISSUE_PARTNERS',
  'OTHERS',
];
const notFound = { data: [], meta: { message: 'The requested resource could not be found.' } };
const HOUR_MS = 3_600_000;

/**
 * Tokens expire (or are revoked) and then answer 401; a 429 with Retry-After can be scripted per
 * path, and "Get packages" keeps its documented limit of 40 requests a minute; a top-up can be made
 * to answer late (after the order exists) or with a 500. Like Airalo, a top-up order takes no
 * idempotency key: every POST buys, and draws on the partner's credit (code 11 when it runs out).
 */
export class FakeAiralo {
  readonly requests: Array<{ method: string; path: string; body: Record<string, any>; auth?: string }> = [];
  readonly sims = new Map<string, FakeSim>();
  readonly orders: FakeOrder[] = [];
  countries: FakeCountry[] = defaultCountries();
  /** The partner's Airalo credit in USD: each top-up's net price is taken from it. */
  credit = 1000;
  /** Notifications opted in to, by type, as "Get notification details" reports them. */
  readonly optIns = new Map<string, { type: string; contact_point: string; levels?: number[] }>();
  /** Requests to "Get packages" in the current minute (the documented 40 a minute). */
  packagesPerMinute = 40;
  private packageCalls: number[] = [];
  private tokens = new Map<string, number>();
  private rateLimits: Array<{ path: RegExp; retryAfter: string }> = [];
  private topUpTrouble: { kind: 'late'; ms: number } | { kind: 'error500'; creates: boolean } | null = null;
  private orderTrouble:
    { kind: 'late'; ms: number } | { kind: 'error500'; creates: boolean } | { kind: 'no_sims' } | null = null;
  /** Refund requests received ("Request refund"), by ICCID. */
  readonly refundRequests: Array<{ iccids: string[]; reason: string; notes: string }> = [];
  private nextIccid = 1;
  tokenLifetimeSeconds = 31_536_000;

  private constructor(
    readonly url: string,
    readonly close: () => Promise<void>,
    readonly clientId: string,
    readonly clientSecret: string,
    readonly webhookSecret: string,
  ) {}

  static async start(
    credentials = { clientId: 'kuota-client', clientSecret: 'kuota-secret', webhookSecret: 'airalo-hook-secret' },
  ): Promise<FakeAiralo> {
    // eslint-disable-next-line prefer-const -- the server's handler needs `fake` before it exists
    let fake!: FakeAiralo;
    const s = await listen((req, body, res) => fake.handle(req, body.toString('utf8'), res));
    fake = new FakeAiralo(s.url, s.close, credentials.clientId, credentials.clientSecret, credentials.webhookSecret);
    return fake;
  }

  /** Japan's local eSIMs and Asia's regional one join the list. */
  addDestinations(): void {
    this.countries.push(...destinationCountries());
  }

  /** Every package of every country, flat. */
  packages(): FakePackage[] {
    return this.countries.flatMap((c) => c.operators.flatMap((o) => o.packages));
  }

  /** `count` more countries, one operator each, with one eSIM package and one top-up: enough for several pages. */
  addCountries(count: number): void {
    for (let i = 0; i < count; i++) {
      const n = this.countries.length + 1;
      const code = `X${String.fromCharCode(65 + (n % 26))}${n}`;
      this.countries.push({
        slug: `country-${n}`,
        country_code: code,
        title: `Country ${n}`,
        operators: [
          {
            id: 1000 + n,
            title: `Operator ${n}`,
            packages: [
              pkg(`op${n}-7days-1gb`, 'sim', 1, 7, 5, 3.5),
              pkg(`op${n}-7days-1gb-topup`, 'topup', 1, 7, 4.5, 3),
            ],
          },
        ],
      });
    }
  }

  addSim(iccid: string, sim: Partial<Omit<FakeSim, 'iccid'>> = {}): FakeSim {
    const created: FakeSim = {
      iccid,
      remainingMb: 5120,
      totalMb: 5120,
      unlimited: false,
      expiresAt: new Date(Date.now() + 10 * 86_400_000),
      status: 'ACTIVE',
      operatorId: KUOTA_OPERATOR_ID,
      ...sim,
    };
    this.sims.set(iccid, created);
    return created;
  }

  /** Every token issued so far stops working, as when one expires on Airalo's side. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** The next request to a matching path answers 429 with this Retry-After. */
  rateLimitNext(path: RegExp, retryAfter: string): void {
    this.rateLimits.push({ path, retryAfter });
  }

  /** The next top-up order is placed, but its answer comes `ms` late (the client times out first). */
  answerNextTopUpLate(ms: number): void {
    this.topUpTrouble = { kind: 'late', ms };
  }

  /** The next top-up answers 500, after placing the order (`creates`) or without. */
  failNextTopUp(creates: boolean): void {
    this.topUpTrouble = { kind: 'error500', creates };
  }

  /** The next new-eSIM order is placed, but its answer comes `ms` late (the client times out first). */
  answerNextOrderLate(ms: number): void {
    this.orderTrouble = { kind: 'late', ms };
  }

  /** The next new-eSIM order answers 500, after placing the order (`creates`) or without. */
  failNextOrder(creates: boolean): void {
    this.orderTrouble = { kind: 'error500', creates };
  }

  /** The next new-eSIM order is taken and answered with no eSIM in it. */
  answerNextOrderWithoutSims(): void {
    this.orderTrouble = { kind: 'no_sims' };
  }

  orderPosts(): number {
    return this.requests.filter((r) => r.method === 'POST' && r.path === '/v2/orders').length;
  }

  tokenRequests(): number {
    return this.requests.filter((r) => r.path === '/v2/token').length;
  }

  topUpPosts(): number {
    return this.requests.filter((r) => r.method === 'POST' && r.path === '/v2/orders/topups').length;
  }

  /** A notification as Airalo would POST it, signed with the partner secret ("Webhook definition"). */
  webhook(payload: Record<string, unknown>, secret = this.webhookSecret): { body: string; signature: string } {
    const body = JSON.stringify(payload);
    return { body, signature: createHmac('sha512', secret).update(body).digest('hex') };
  }

  /** Delivers a signed notification to the opted-in URL of its type, as Airalo does. */
  async notify(type: string, payload: Record<string, unknown>): Promise<Response> {
    const target = this.optIns.get(type);
    if (!target) throw new Error(`no opt-in for ${type}`);
    const { body, signature } = this.webhook(payload);
    return fetch(target.contact_point, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'airalo-signature': signature },
      body,
    });
  }

  private async handle(req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const json = String(req.headers['content-type']).includes('json');
    const body = raw ? (json ? JSON.parse(raw) : parseForm(raw)) : {};
    const auth = req.headers.authorization;
    this.requests.push({ method, path: url.pathname, body, auth });

    // "Rate limits": a 429 says in Retry-After how many seconds to wait.
    const limited = this.rateLimits.findIndex((r) => r.path.test(url.pathname));
    if (limited >= 0) {
      const [rule] = this.rateLimits.splice(limited, 1);
      return this.tooMany(res, rule!.retryAfter);
    }
    // "Request access token": POST /v2/token, form client_id, client_secret, grant_type=client_credentials.
    if (method === 'POST' && url.pathname === '/v2/token') return this.issueToken(body, res);

    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : '';
    const until = this.tokens.get(token);
    if (!until || until < Date.now()) return sendJson(res, 401, { data: [], meta: { message: 'Unauthenticated.' } });

    // "Get usage (data, text & voice)": GET /v2/sims/{iccid}/usage.
    const usage = /^\/v2\/sims\/([^/]+)\/usage$/.exec(url.pathname);
    if (method === 'GET' && usage) return this.usage(decodeURIComponent(usage[1]!), res);
    // "Get top-up package list": GET /v2/sims/{iccid}/topups, the top-ups of the operator the eSIM came from.
    const topups = /^\/v2\/sims\/([^/]+)\/topups$/.exec(url.pathname);
    if (method === 'GET' && topups) {
      const sim = this.sims.get(decodeURIComponent(topups[1]!));
      if (!sim) return sendJson(res, 404, notFound);
      const operator = this.countries.flatMap((c) => c.operators).find((o) => o.id === sim.operatorId);
      const data = (operator?.packages ?? []).filter((p) => p.type === 'topup');
      return sendJson(res, 200, { data, meta: { message: 'success' } });
    }
    // "Get installation instructions": GET /v2/sims/{sim_iccid}/instructions, in the Accept-Language asked for.
    const instructions = /^\/v2\/sims\/([^/]+)\/instructions$/.exec(url.pathname);
    if (method === 'GET' && instructions)
      return this.instructions(
        decodeURIComponent(instructions[1]!),
        String(req.headers['accept-language'] ?? 'en'),
        res,
      );
    // "Submit order": POST /v2/orders, form quantity, package_id, type=sim, description.
    if (method === 'POST' && url.pathname === '/v2/orders') return this.order(body, res);
    // "Request refund": POST /v2/refund, a JSON body of iccids, reason, notes; 202 when taken for review.
    if (method === 'POST' && url.pathname === '/v2/refund') return this.refund(body, res);
    // "Get packages": GET /v2/packages, paginated by country.
    if (method === 'GET' && url.pathname === '/v2/packages') return this.listPackages(url, res);
    // "Submit top-up order": POST /v2/orders/topups, form package_id, iccid, description.
    if (method === 'POST' && url.pathname === '/v2/orders/topups') return this.topUp(body, res);
    // "Get order list": GET /v2/orders with filter[iccid] and filter[description].
    if (method === 'GET' && url.pathname === '/v2/orders') {
      const iccid = url.searchParams.get('filter[iccid]');
      const description = url.searchParams.get('filter[description]');
      // Airalo's filters match parts of the text, so "kuota:ord1" also finds "kuota:ord10".
      const found = this.orders.filter(
        (o) => (!iccid || o.iccid === iccid) && (!description || o.description.includes(description)),
      );
      // include=sims adds each order's eSIMs.
      const withSims = (url.searchParams.get('include') ?? '').split(',').includes('sims');
      const data = found.map(({ sims, ...o }) => (withSims ? { ...o, sims: sims ?? [] } : o));
      return sendJson(res, 200, { data, meta: { message: 'success' } });
    }
    // "Low data notification - opt in" and "Credit limit notification - opt in": POST /v2/notifications/opt-in (JSON).
    if (method === 'POST' && url.pathname === '/v2/notifications/opt-in') return this.optIn(body, res);
    // "Get low data notification": GET /v2/notifications/opt-in.
    if (method === 'GET' && url.pathname === '/v2/notifications/opt-in') {
      const notification = this.optIns.get('webhook_low_data') ?? [...this.optIns.values()][0];
      if (!notification) return sendJson(res, 404, notFound);
      return sendJson(res, 200, { data: { notification }, meta: { message: 'success' } });
    }
    // "Get balance": GET /v2/balance.
    if (method === 'GET' && url.pathname === '/v2/balance') {
      return sendJson(res, 200, {
        data: {
          balances: {
            name: 'balance',
            availableBalance: { amount: Math.round(this.credit * 100) / 100, currency: 'USD' },
          },
        },
        meta: { message: 'success' },
      });
    }
    return sendJson(res, 404, notFound);
  }

  private tooMany(res: ServerResponse, retryAfter: string): void {
    sendJson(res, 429, { data: [], meta: { message: 'Too Many Attempts.' } }, { 'retry-after': retryAfter });
  }

  private usage(iccid: string, res: ServerResponse): void {
    const sim = this.sims.get(iccid);
    if (!sim) return sendJson(res, 404, notFound);
    sendJson(res, 200, {
      data: {
        remaining: sim.unlimited ? 0 : sim.remainingMb,
        total: sim.unlimited ? 0 : sim.totalMb,
        is_unlimited: sim.unlimited,
        status: sim.status,
        expired_at: sim.expiresAt.toISOString().slice(0, 19).replace('T', ' '),
        remaining_voice: 0,
        remaining_text: 0,
        total_voice: 0,
        total_text: 0,
      },
      meta: { message: 'success' },
    });
  }

  /**
   * "Get packages": countries with their operators and packages, `limit` countries a page. Top-up
   * packages only with include=topup. From page 2 on, `data` is an object keyed by each country's
   * index in the whole list, not an array, as the page warns; `meta.last_page` ends the walk.
   */
  private listPackages(url: URL, res: ServerResponse): void {
    const now = Date.now();
    this.packageCalls = this.packageCalls.filter((at) => now - at < 60_000);
    if (this.packageCalls.length >= this.packagesPerMinute) {
      const wait = Math.ceil((this.packageCalls[0]! + 60_000 - now) / 1000);
      return this.tooMany(res, String(Math.max(1, wait)));
    }
    this.packageCalls.push(now);
    const withTopUps = (url.searchParams.get('include') ?? '').split(',').includes('topup');
    const type = url.searchParams.get('filter[type]');
    const country = url.searchParams.get('filter[country]');
    const limit = Math.max(1, Number(url.searchParams.get('limit') ?? 10) || 10);
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const countries = this.countries
      .filter((c) => !country || c.country_code === country)
      // "global" lists the regional and global eSIMs: those whose operators cover several countries.
      .filter((c) => !type || (type === 'local') === !c.operators.some((o) => o.countries))
      .map((c) => ({
        ...c,
        operators: c.operators.map((o) => ({
          ...o,
          type: o.countries ? 'global' : 'local',
          countries: (o.countries ?? [c.country_code]).map((code) => ({ country_code: code, title: code })),
          packages: o.packages.filter((p) => withTopUps || p.type === 'sim'),
        })),
      }));
    const lastPage = Math.max(1, Math.ceil(countries.length / limit));
    const from = (page - 1) * limit;
    const slice = countries.slice(from, from + limit);
    const data = page === 1 ? slice : Object.fromEntries(slice.map((c, i) => [String(from + i), c]));
    const link = (p: number) => `${this.url}/v2/packages?page=${p}`;
    sendJson(res, 200, {
      data,
      links: {
        first: link(1),
        last: link(lastPage),
        prev: page > 1 ? link(page - 1) : null,
        next: page < lastPage ? link(page + 1) : null,
      },
      meta: {
        message: 'success',
        current_page: page,
        from: slice.length ? from + 1 : null,
        last_page: lastPage,
        path: `${this.url}/v2/packages`,
        per_page: String(limit),
        to: slice.length ? from + slice.length : null,
        total: countries.length,
      },
    });
  }

  private issueToken(body: Record<string, any>, res: ServerResponse): void {
    if (
      body.grant_type !== 'client_credentials' ||
      body.client_id !== this.clientId ||
      body.client_secret !== this.clientSecret
    ) {
      return sendJson(res, 401, { data: [], meta: { message: 'Invalid client credentials' } });
    }
    const token = randomBytes(12).toString('hex');
    this.tokens.set(token, Date.now() + this.tokenLifetimeSeconds * 1000);
    sendJson(res, 200, {
      data: { token_type: 'Bearer', expires_in: this.tokenLifetimeSeconds, access_token: token },
      meta: { message: 'success' },
    });
  }

  /** "Webhook definition": at opt-in the webhook_url is checked with a HEAD request, which must answer 200 OK. */
  private async optIn(body: Record<string, any>, res: ServerResponse): Promise<void> {
    const type = String(body.type ?? '');
    if (!['webhook_low_data', 'webhook_credit_limit', 'async_orders'].includes(type))
      return sendJson(res, 422, invalid('type', 'The selected type is invalid.'));
    const target = typeof body.webhook_url === 'string' ? body.webhook_url : '';
    let status: number;
    try {
      status = (await fetch(target, { method: 'HEAD', signal: AbortSignal.timeout(3000) })).status;
    } catch {
      status = 0;
    }
    if (status !== 200)
      return sendJson(res, 422, invalid('webhook_url', 'The webhook url must answer a HEAD request with 200 OK.'));
    const levels = Array.isArray(body.levels) ? body.levels.map(Number) : undefined;
    const notification = { type, contact_point: target, ...(levels ? { levels } : {}) };
    this.optIns.set(type, notification);
    sendJson(res, 200, { data: { notification }, meta: { message: 'success' } });
  }

  private async topUp(body: Record<string, any>, res: ServerResponse): Promise<void> {
    const trouble = this.topUpTrouble;
    this.topUpTrouble = null;
    const sim = this.sims.get(body.iccid);
    const pkg = this.packages().find((p) => p.id === body.package_id && p.type === 'topup');
    if (!sim) return sendJson(res, 422, invalid('iccid', 'The selected iccid is invalid.'));
    // "Error handling": refusals of a well-formed request are 422 with a code and a reason.
    if (!pkg)
      return sendJson(res, 422, {
        code: 34,
        reason: 'The requested eSIM package is invalid or it is currently out of stock. Please try again later.',
      });
    if (this.credit < pkg.net_price)
      return sendJson(res, 422, {
        code: 11,
        reason: `Insufficient Airalo Credit: ${this.credit.toFixed(2)} USD left, ${pkg.net_price.toFixed(2)} USD needed.`,
      });
    if (trouble?.kind === 'error500' && !trouble.creates)
      return sendJson(res, 500, { data: [], meta: { message: 'Server Error' } });
    this.credit = Math.round((this.credit - pkg.net_price) * 100) / 100;
    const order: FakeOrder = {
      id: 9000 + this.orders.length,
      code: `20261125-${String(9000 + this.orders.length).padStart(6, '0')}`,
      package_id: pkg.id,
      iccid: sim.iccid,
      description: String(body.description ?? ''),
      price: pkg.price,
      net_price: pkg.net_price,
    };
    this.orders.push(order);
    // A top-up adds its data and days to the eSIM.
    Object.assign(sim, {
      remainingMb: sim.remainingMb + pkg.amount,
      totalMb: sim.totalMb + pkg.amount,
      status: 'ACTIVE',
      expiresAt: new Date(Math.max(sim.expiresAt.getTime(), Date.now()) + pkg.day * 24 * HOUR_MS),
    });
    if (trouble?.kind === 'error500') return sendJson(res, 500, { data: [], meta: { message: 'Server Error' } });
    if (trouble?.kind === 'late') await new Promise((resolve) => setTimeout(resolve, trouble.ms));
    if (!res.destroyed) sendJson(res, 200, { data: order, meta: { message: 'success' } });
  }

  /** "Submit order": one new eSIM of a sim package; like a top-up, it takes no idempotency key. */
  private async order(body: Record<string, any>, res: ServerResponse): Promise<void> {
    const trouble = this.orderTrouble;
    this.orderTrouble = null;
    if (body.type !== undefined && body.type !== 'sim')
      return sendJson(res, 422, invalid('type', 'The selected type is invalid.'));
    const quantity = Number(body.quantity);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 50)
      return sendJson(res, 422, invalid('quantity', 'The quantity must be between 1 and 50.'));
    const operator = this.countries
      .flatMap((c) => c.operators)
      .find((o) => o.packages.some((p) => p.id === body.package_id && p.type === 'sim'));
    const pkg = operator?.packages.find((p) => p.id === body.package_id);
    if (!operator || !pkg)
      return sendJson(res, 422, {
        code: 34,
        reason: 'The requested eSIM package is invalid or it is currently out of stock. Please try again later.',
      });
    if (this.credit < pkg.net_price * quantity)
      return sendJson(res, 422, {
        code: 11,
        reason: `Insufficient Airalo Credit: ${this.credit.toFixed(2)} USD left, ${pkg.net_price.toFixed(2)} USD needed.`,
      });
    if (trouble?.kind === 'error500' && !trouble.creates)
      return sendJson(res, 500, { data: [], meta: { message: 'Server Error' } });
    this.credit = Math.round((this.credit - pkg.net_price * quantity) * 100) / 100;
    const created = new Date().toISOString().slice(0, 19).replace('T', ' ');
    const sims: FakeOrderSim[] = [];
    for (let i = 0; i < quantity && trouble?.kind !== 'no_sims'; i++) {
      const iccid = withLuhnDigit(`8981100000${String(this.nextIccid++).padStart(8, '0')}`);
      const matching = `KUOTA${randomBytes(6).toString('hex').toUpperCase()}`;
      const lpa = `LPA:1$lpa.airalo.com$${matching}`;
      sims.push({
        id: 11000 + this.nextIccid,
        created_at: created,
        iccid,
        lpa: 'lpa.airalo.com',
        matching_id: matching,
        qrcode: lpa,
        qrcode_url: `${this.url}/qr?id=${iccid}`,
        direct_apple_installation_url: `https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=${lpa}`,
        apn_type: operator.apn_type ?? 'automatic',
        apn_value: operator.apn_value ?? null,
        is_roaming: true,
        confirmation_code: null,
      });
      this.addSim(iccid, {
        status: 'NOT_ACTIVE',
        remainingMb: pkg.amount,
        totalMb: pkg.amount,
        operatorId: operator.id,
        expiresAt: new Date(Date.now() + pkg.day * 24 * HOUR_MS),
      });
    }
    const order: FakeOrder = {
      id: 9000 + this.orders.length,
      code: `20261125-${String(9000 + this.orders.length).padStart(6, '0')}`,
      package_id: pkg.id,
      iccid: sims[0]?.iccid ?? '',
      description: String(body.description ?? ''),
      price: pkg.price,
      net_price: pkg.net_price,
      sims,
    };
    this.orders.push(order);
    if (trouble?.kind === 'error500') return sendJson(res, 500, { data: [], meta: { message: 'Server Error' } });
    if (trouble?.kind === 'late') await new Promise((resolve) => setTimeout(resolve, trouble.ms));
    const answer = {
      ...order,
      quantity: String(quantity),
      type: 'sim',
      currency: 'USD',
      validity: pkg.day,
      package: `${operator.title}-${pkg.title}`,
      data: pkg.data,
      manual_installation:
        '<p>1. Settings &gt; Cellular &gt; Add eSIM.</p><p>2. Enter the SM-DP+ address and activation code.</p>',
      qrcode_installation: '<p>1. Settings &gt; Cellular &gt; Add eSIM.</p><p>2. Scan the QR code.</p>',
      installation_guides: { en: `${this.url}/installation-guide` },
    };
    if (!res.destroyed) sendJson(res, 200, { data: answer, meta: { message: 'success' } });
  }

  /** "Get installation instructions": steps keyed "1", "2"… for iOS and Android, per the language asked for. */
  private instructions(iccid: string, acceptLanguage: string, res: ServerResponse): void {
    const sim = this.sims.get(iccid);
    const order = this.orders.find((o) => o.sims?.some((s) => s.iccid === iccid));
    const ordered = order?.sims?.find((s) => s.iccid === iccid);
    if (!sim || !ordered) return sendJson(res, 404, notFound);
    const language = acceptLanguage.split(/[-,;]/)[0]!.toLowerCase();
    const steps = STEPS[language] ?? STEPS.en!;
    const keyed = (list: string[]) => Object.fromEntries(list.map((step, i) => [String(i + 1), step]));
    const network = {
      steps: keyed(['Turn on Data Roaming.']),
      apn_type: ordered.apn_type,
      apn_value: ordered.apn_value,
      is_roaming: ordered.is_roaming,
    };
    const platform = (list: string[]) => [
      {
        model: null,
        version: null,
        installation_via_qr_code: {
          steps: keyed(list),
          qr_code_data: ordered.qrcode,
          qr_code_url: ordered.qrcode_url,
          direct_apple_installation_url: ordered.direct_apple_installation_url,
        },
        installation_manual: {
          steps: keyed(list),
          smdp_address_and_activation_code: `${ordered.lpa} ${ordered.matching_id}`,
        },
        network_setup: network,
      },
    ];
    sendJson(res, 200, {
      data: {
        instructions: {
          language: (STEPS[language] ? language : 'en').toUpperCase(),
          ios: platform(steps.ios),
          android: platform(steps.android),
        },
      },
      meta: { message: 'success' },
    });
  }

  /**
   * "Request refund" (https://developers.partners.airalo.com/request-refund-14583565e0): up to 5 ICCIDs,
   * a reason from the page's list, notes of at most 255 characters (required with OTHERS); 202 with a
   * refund_id when taken for Airalo's review, 422 for ICCIDs that are not the partner's.
   */
  private refund(body: Record<string, any>, res: ServerResponse): void {
    const iccids: unknown[] = Array.isArray(body.iccids) ? body.iccids : [];
    if (!iccids.length) return sendJson(res, 422, { data: [], meta: { message: 'The iccids field is required.' } });
    if (iccids.length > 5)
      return sendJson(res, 422, invalid('iccids', 'The iccids field must not have more than 5 items.'));
    const reason = String(body.reason ?? '');
    if (!REFUND_REASONS.includes(reason))
      return sendJson(
        res,
        422,
        invalid(
          'reason',
          `The selected reason is invalid. It must be one of the following: ${REFUND_REASONS.join(', ')}`,
        ),
      );
    const notes = String(body.notes ?? '');
    if (notes.length > 255)
      return sendJson(res, 422, invalid('notes', 'The notes field must not be greater than 255 characters.'));
    if (reason === 'OTHERS' && !notes.trim())
      return sendJson(res, 422, invalid('notes', 'The notes field is required when reason is OTHERS.'));
    const strangers = iccids.filter((i) => typeof i !== 'string' || !this.sims.has(i));
    if (strangers.length)
      return sendJson(res, 422, {
        data: [],
        meta: { message: `The following ICCIDs do not belong to your company: ${strangers.join(', ')}` },
      });
    this.refundRequests.push({ iccids: iccids as string[], reason, notes });
    sendJson(res, 202, {
      data: {
        refund_id: String(12345 + this.refundRequests.length),
        created_at: new Date().toISOString().slice(0, 16).replace('T', ' '),
      },
      meta: { message: 'success' },
    });
  }
}
