import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, sendJson } from './http.js';
import { parseForm } from './form.js';

export type FakeSim = {
  iccid: string;
  remainingMb: number;
  totalMb: number;
  unlimited: boolean;
  expiresAt: Date;
  status: 'NOT_ACTIVE' | 'ACTIVE' | 'FINISHED' | 'EXPIRED';
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
type Pkg = {
  id: string;
  price: number;
  net_price: number;
  amount: number;
  day: number;
  is_unlimited: boolean;
  title: string;
  data: string;
};

/**
 * A local stand-in for Airalo's partner API (v2), reached through the adapter's real HTTP client.
 * Tokens expire (or are revoked) and then answer 401; a 429 with Retry-After can be scripted per
 * path; a top-up can be made to answer late (after the order exists) or with a 500. Like Airalo,
 * a top-up order takes no idempotency key: every POST buys.
 */
export class FakeAiralo {
  readonly requests: Array<{ method: string; path: string; body: Record<string, any>; auth?: string }> = [];
  readonly sims = new Map<string, FakeSim>();
  readonly orders: FakeOrder[] = [];
  readonly packages: Pkg[] = [
    {
      id: 'kuota-esim-7days-3gb-topup',
      price: 9,
      net_price: 6.5,
      amount: 3072,
      day: 7,
      is_unlimited: false,
      title: '3 GB - 7 Days',
      data: '3 GB',
    },
    {
      id: 'kuota-esim-30days-10gb-topup',
      price: 26,
      net_price: 19.2,
      amount: 10240,
      day: 30,
      is_unlimited: false,
      title: '10 GB - 30 Days',
      data: '10 GB',
    },
  ];
  private tokens = new Map<string, number>();
  private rateLimits: Array<{ path: RegExp; retryAfter: string }> = [];
  private topUpTrouble: { kind: 'late'; ms: number } | { kind: 'error500'; creates: boolean } | null = null;
  private otps = new Map<string, string>();
  tokenLifetimeSeconds = 31_536_000;
  /** Countries with no packages listed after Indonesia, so the list runs over several pages. */
  otherCountries = 0;

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
    let fake!: FakeAiralo;
    const s = await listen((req, body, res) => fake.handle(req, body.toString('utf8'), res));
    fake = new FakeAiralo(s.url, s.close, credentials.clientId, credentials.clientSecret, credentials.webhookSecret);
    return fake;
  }

  addSim(iccid: string, sim: Partial<Omit<FakeSim, 'iccid'>> = {}): FakeSim {
    const created: FakeSim = {
      iccid,
      remainingMb: 5120,
      totalMb: 5120,
      unlimited: false,
      expiresAt: new Date(Date.now() + 10 * 86_400_000),
      status: 'ACTIVE',
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

  /** A notification as Airalo would POST it, signed with the partner secret. */
  webhook(payload: Record<string, unknown>, secret = this.webhookSecret): { body: string; signature: string } {
    const body = JSON.stringify(payload);
    return { body, signature: createHmac('sha512', secret).update(body).digest('hex') };
  }

  private async handle(req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const body = raw ? (String(req.headers['content-type']).includes('json') ? JSON.parse(raw) : parseForm(raw)) : {};
    const auth = req.headers.authorization;
    this.requests.push({ method, path: url.pathname, body, auth });

    const limited = this.rateLimits.findIndex((r) => r.path.test(url.pathname));
    if (limited >= 0) {
      const [rule] = this.rateLimits.splice(limited, 1);
      return sendJson(
        res,
        429,
        { data: [], meta: { message: 'Too Many Attempts.' } },
        { 'retry-after': rule!.retryAfter },
      );
    }
    if (method === 'POST' && url.pathname === '/v2/token') return this.issueToken(body, res);

    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : '';
    const until = this.tokens.get(token);
    if (!until || until < Date.now()) return sendJson(res, 401, { data: [], meta: { message: 'Unauthenticated.' } });

    const usage = /^\/v2\/sims\/([^/]+)\/usage$/.exec(url.pathname);
    if (method === 'GET' && usage) {
      const sim = this.sims.get(decodeURIComponent(usage[1]!));
      if (!sim)
        return sendJson(res, 404, { data: [], meta: { message: 'The requested resource could not be found.' } });
      return sendJson(res, 200, {
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
    const topups = /^\/v2\/sims\/([^/]+)\/topups$/.exec(url.pathname);
    if (method === 'GET' && topups) {
      if (!this.sims.has(decodeURIComponent(topups[1]!)))
        return sendJson(res, 404, { data: [], meta: { message: 'not found' } });
      return sendJson(res, 200, { data: this.packages, meta: { message: 'success' } });
    }
    if (method === 'GET' && url.pathname === '/v2/packages') {
      // GET /v2/packages (Airalo partner API, "Get packages"): countries with their operators' packages,
      // `limit` countries a page.
      const page = Number(url.searchParams.get('page') ?? 1);
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const countries = [
        {
          slug: 'indonesia',
          country_code: 'ID',
          title: 'Indonesia',
          operators: [{ title: 'Kuota eSIM', packages: this.packages }],
        },
        ...Array.from({ length: this.otherCountries }, (_, i) => ({
          slug: `country-${i}`,
          country_code: `C${i}`,
          title: `Country ${i}`,
          operators: [],
        })),
      ];
      const data = countries.slice((page - 1) * limit, page * limit);
      return sendJson(res, 200, { data, meta: { message: 'success' } });
    }
    if (method === 'POST' && url.pathname === '/v2/orders/topups') return this.topUp(body, res);
    if (method === 'GET' && url.pathname === '/v2/orders') {
      const iccid = url.searchParams.get('filter[iccid]');
      const description = url.searchParams.get('filter[description]');
      // Airalo's filters match parts of the text, so "kuota:ord1" also finds "kuota:ord10".
      const found = this.orders.filter(
        (o) => (!iccid || o.iccid === iccid) && (!description || o.description.includes(description)),
      );
      return sendJson(res, 200, { data: found, meta: { message: 'success' } });
    }
    if (method === 'POST' && url.pathname === '/v2/partner/otp') {
      if (body.cmd === 'send') {
        if (!this.sims.has(body.iccid)) return sendJson(res, 422, { data: {}, meta: { message: 'unknown iccid' } });
        const ref = `otp-${this.otps.size + 1}`;
        this.otps.set(ref, '135790');
        return sendJson(res, 200, { data: { otp_ref: ref }, meta: { message: 'success' } });
      }
      return this.otps.get(body.otp_ref) === body.otp
        ? sendJson(res, 200, { data: {}, meta: { message: 'success' } })
        : sendJson(res, 422, { data: {}, meta: { message: 'wrong code' } });
    }
    return sendJson(res, 404, { data: [], meta: { message: 'not found' } });
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

  private async topUp(body: Record<string, any>, res: ServerResponse): Promise<void> {
    const trouble = this.topUpTrouble;
    this.topUpTrouble = null;
    const sim = this.sims.get(body.iccid);
    const pkg = this.packages.find((p) => p.id === body.package_id);
    if (!sim || !pkg)
      return sendJson(res, 422, {
        data: { package_id: 'The selected package id is invalid.' },
        meta: { message: 'the parameter is invalid' },
      });
    if (trouble?.kind === 'error500' && !trouble.creates)
      return sendJson(res, 500, { data: [], meta: { message: 'Server Error' } });
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
      expiresAt: new Date(Math.max(sim.expiresAt.getTime(), Date.now()) + pkg.day * 86_400_000),
    });
    if (trouble?.kind === 'error500') return sendJson(res, 500, { data: [], meta: { message: 'Server Error' } });
    if (trouble?.kind === 'late') await new Promise((resolve) => setTimeout(resolve, trouble.ms));
    if (!res.destroyed) sendJson(res, 200, { data: order, meta: { message: 'success' } });
  }
}
