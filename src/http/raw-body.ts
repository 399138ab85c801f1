import type { FastifyInstance } from 'fastify';

/**
 * Inside the calling plugin only: every body arrives as the bytes that were sent, whatever its type.
 * Signatures (Stripe's, the provider's) are computed over those bytes, so they must not be parsed first.
 */
export function keepRawBody(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
}

/** The raw body of a route under keepRawBody (an empty buffer when none was sent). */
export function rawBodyOf(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}
