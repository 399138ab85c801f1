import type { FastifyError, FastifyInstance } from 'fastify';

/** An answer a route gives on purpose (bad signature, bad body): a 4xx, never an error in the log. */
export class HttpRefusal extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpRefusal';
  }
}

/**
 * Junk from outside (too large, unparsable, wrong type) is the sender's problem: a 4xx and an info line.
 * Only Kuota's own failures are 500s and errors in the log. Plugins registered later inherit this.
 */
export function answerErrors(server: FastifyInstance): void {
  server.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status < 500) {
      request.log.info(
        { path: request.routeOptions.url, status, code: error.code, reason: error.message },
        'request refused',
      );
      return reply.code(status).send({ error: error.message });
    }
    request.log.error({ err: error, path: request.routeOptions.url }, 'http handler failed');
    return reply.code(500).send({ error: 'internal' });
  });
  server.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));
}
