import { ProviderRateLimitedError, ProviderUnavailableError } from '../../services/ports/provider-gateway.js';

export type AiraloClientOptions = {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => Date;
  /** How Kuota waits out a 429 (tests record it instead of sleeping). */
  sleep?: (ms: number) => Promise<void>;
  /** A Retry-After longer than this is not waited out inside a request: the caller tries later. */
  maxRetryAfterMs?: number;
};

export type AiraloResponse<T> = {
  status: number;
  data: T | null;
  message: string | null;
  /** A refusal's documented code and reason ("Error handling": 422 with `{code, reason}`). */
  code: number | null;
  reason: string | null;
  /** The whole body, for fields beside `data` (pagination's `meta`). */
  body: Record<string, unknown> | null;
};
/** A form (most endpoints) or a JSON body (notification opt-ins). */
type Body = Record<string, string> | { json: unknown };

// A token is renewed this long before Airalo says it expires, so no request carries a dying one.
const EXPIRY_MARGIN_MS = 60_000;
const MAX_429_WAITS = 3;

/**
 * Airalo's partner API over HTTP: an OAuth2 client-credentials token cached until it expires,
 * renewed once on a 401 (concurrent requests share that one renewal), and 429s waited out as
 * Retry-After says. Timeouts, network errors and 5xx throw ProviderUnavailableError: whether the
 * request took effect is unknown, and the caller decides what that means.
 */
export class AiraloClient {
  private token: { value: string; until: number } | null = null;
  private refreshing: Promise<string> | null = null;
  private readonly fetch: typeof fetch;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: AiraloClientOptions) {
    this.fetch = options.fetch ?? fetch;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** One call of the API; 4xx answers other than 401 and 429 come back for the caller to read. */
  async request<T>(
    method: 'GET' | 'POST',
    path: string,
    form?: Body,
    headers: Record<string, string> = {},
  ): Promise<AiraloResponse<T>> {
    let token = await this.currentToken();
    let response = await this.send(method, path, token, form, headers);
    if (response.status === 401) {
      this.forget(token);
      token = await this.currentToken();
      response = await this.send(method, path, token, form, headers);
      if (response.status === 401)
        throw new ProviderUnavailableError('Airalo refused the credentials (401 after a new token)');
    }
    return read<T>(response);
  }

  private async currentToken(): Promise<string> {
    if (this.token && this.token.until > this.now().getTime()) return this.token.value;
    this.refreshing ??= this.fetchToken().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Drops the token a 401 was given for, unless a concurrent request already replaced it. */
  private forget(token: string): void {
    if (this.token?.value === token) this.token = null;
  }

  private async fetchToken(): Promise<string> {
    const { clientId, clientSecret } = this.options;
    const response = await this.send('POST', '/v2/token', null, {
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'client_credentials',
    });
    const answer = await read<{ access_token?: string; expires_in?: number }>(response);
    if (answer.status !== 200 || !answer.data?.access_token)
      throw new ProviderUnavailableError(`Airalo gave no token (${answer.status}: ${answer.message ?? 'no message'})`);
    const lifetimeMs = Math.max(0, (answer.data.expires_in ?? 3600) * 1000 - EXPIRY_MARGIN_MS);
    this.token = { value: answer.data.access_token, until: this.now().getTime() + lifetimeMs };
    return this.token.value;
  }

  /** One HTTP exchange, with 429s waited out; a 5xx or no answer throws. */
  private async send(
    method: string,
    path: string,
    token: string | null,
    form?: Body | null,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const json = form && 'json' in form ? JSON.stringify(form.json) : null;
    const encoded = form && !json ? new URLSearchParams(form as Record<string, string>).toString() : undefined;
    for (let waits = 0; ; waits++) {
      let response: Response;
      try {
        response = await this.fetch(`${this.options.baseUrl}${path}`, {
          method,
          headers: {
            accept: 'application/json',
            ...headers,
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(json ? { 'content-type': 'application/json' } : {}),
            ...(encoded !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          body: json ?? encoded,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        throw new ProviderUnavailableError(
          `Airalo unreachable on ${method} ${path.split('?')[0]}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      if (response.status >= 500)
        throw new ProviderUnavailableError(`Airalo answered ${response.status} on ${method} ${path.split('?')[0]}`);
      if (response.status !== 429) return response;
      const waitMs = retryAfterMs(response.headers.get('retry-after'), this.now());
      await response.body?.cancel();
      if (waits >= MAX_429_WAITS || waitMs > (this.options.maxRetryAfterMs ?? 30_000))
        throw new ProviderRateLimitedError(waitMs);
      await this.sleep(waitMs);
    }
  }
}

/** Retry-After is seconds or an HTTP date; without one, a second. */
export function retryAfterMs(header: string | null, now: Date): number {
  if (!header) return 1000;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? 1000 : Math.max(0, at - now.getTime());
}

type Envelope<T> = { data?: T; meta?: { message?: string }; code?: unknown; reason?: unknown };

async function read<T>(response: Response): Promise<AiraloResponse<T>> {
  const json = (await response.json().catch(() => null)) as Envelope<T> | null;
  // The refusal's code and reason sit at the top of the body; some answers nest them in `data`.
  const refusal = (json?.code !== undefined ? json : (json?.data as Envelope<T> | undefined)) ?? null;
  const code = Number(refusal?.code);
  return {
    status: response.status,
    data: json?.data ?? null,
    message: json?.meta?.message ?? null,
    code: refusal && Number.isInteger(code) ? code : null,
    reason: typeof refusal?.reason === 'string' ? refusal.reason : null,
    body: json && typeof json === 'object' ? json : null,
  };
}
