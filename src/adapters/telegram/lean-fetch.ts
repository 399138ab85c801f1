import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

type Init = {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Readable;
  signal?: AbortSignal;
  agent?: http.Agent;
};

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/**
 * The `fetch` grammY calls, for the outbox and the chat's replies: node:http on a kept-alive connection, and only what
 * grammY reads of the answer (`json()`). node-fetch builds a Request, Headers and body streams for
 * each call; at 1,000 messages a second it was the largest share of a send's CPU, before grammY and
 * Prisma (bench/wave-worker.ts, BENCH_CPU_PROF=1). A JSON body or grammY's multipart stream (a photo).
 */
export function leanFetch(url: string, init: Init = {}): Promise<Answer> {
  return once(url, init).catch((error: unknown) => {
    // Node's advice for kept-alive connections (https://nodejs.org/api/http.html#requestreusedsocket): a server
    // may close an idle connection just as a request is written on it, and the request then fails with
    // ECONNRESET before the server read it. Sent again on a new connection, once; a body that cannot be
    // replayed (a photo's stream) is not. A bench:wave run met it on 2 of 10,000 taps: the traveller read the error text.
    if (error instanceof StaleConnection && typeof init.body !== 'object') return once(url, init, true);
    throw error instanceof StaleConnection ? error.cause : error;
  });
}

type Answer = { ok: boolean; status: number; json(): Promise<unknown> };

/** A request a kept-alive connection reset before any answer: the server had closed it, unread. */
class StaleConnection extends Error {}

function once(url: string, init: Init, retried = false): Promise<Answer> {
  const secure = url.startsWith('https:');
  const headers = { ...init.headers };
  if (typeof init.body === 'string') headers['content-length'] = String(Buffer.byteLength(init.body));
  return new Promise((resolve, reject) => {
    const aborted = () => (init.signal?.reason instanceof Error ? init.signal.reason : new Error('aborted'));
    if (init.signal?.aborted) return reject(aborted());
    const request = (secure ? https : http).request(
      url,
      {
        method: init.method ?? 'GET',
        headers,
        // Again on a connection of its own: the pool's other idle connections may have been closed with it
        // (a bench:wave run met two in a row while the event loop was too busy to see them close).
        agent: retried ? false : (init.agent ?? (secure ? agents.https : agents.http)),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          resolve({ ok: status >= 200 && status < 300, status, json: async () => JSON.parse(text) as unknown });
        });
      },
    );
    const abort = () => request.destroy(aborted());
    init.signal?.addEventListener('abort', abort, { once: true });
    request.on('close', () => init.signal?.removeEventListener('abort', abort));
    request.on('error', (error: NodeJS.ErrnoException) => {
      const stale = !retried && request.reusedSocket && error.code === 'ECONNRESET';
      reject(stale ? new StaleConnection('kept-alive connection reset', { cause: error }) : error);
    });
    if (init.body instanceof Readable) init.body.on('error', (error) => request.destroy(error)).pipe(request);
    else request.end(init.body);
  });
}
