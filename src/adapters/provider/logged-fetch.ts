import type { Logger } from '../../logger.js';

/**
 * A provider's HTTP client that logs each request at debug: the method, the path, the status and
 * how long it took. Never the query, the headers or the bodies, which carry keys, signatures,
 * phone numbers and one-time codes.
 */
export function loggedFetch(logger: Logger, provider: string, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const request = { provider, method: init?.method ?? 'GET', path: url.pathname };
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const response = await inner(input, init);
      logger.debug({ ...request, status: response.status, ms: ms() }, 'provider request');
      return response;
    } catch (error) {
      logger.debug({ ...request, status: 'no answer', ms: ms() }, 'provider request');
      throw error;
    }
  };
}
