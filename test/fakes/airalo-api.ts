import { createHmac, randomBytes } from 'node:crypto';
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
  status: 'NOT_ACTIVE' | 'ACTIVE' | 'FINISHED' | 'EXPIRED';
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
export type FakeOperator = { id: number; title: string; packages: FakePackage[] };
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

const invalid = (field: string, message: string) => ({
  data: { [field]: message },
  meta: { message: 'the parameter is invalid' },
});
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
      return sendJson(res, 200, { data: found, meta: { message: 'success' } });
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
      .filter((c) => !type || (type === 'local') === !c.slug.startsWith('global'))
      .map((c) => ({
        ...c,
        operators: c.operators.map((o) => ({
          ...o,
          countries: [{ country_code: c.country_code, title: c.title }],
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
}
