import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import { sameSecret } from '../adapters/same-secret.js';
import { HttpRefusal } from './errors.js';

export type HealthDeps = {
  /** Throws when the database does not answer. */
  ping(): Promise<unknown>;
  /** The last Telegram call or poll went through, or one did recently. */
  telegramReady(): boolean;
  metrics: Registry;
  /** Set: /metrics asks for it as a bearer token. */
  metricsToken: string | undefined;
};

/**
 * GET /healthz: liveness (the process answers and the database too; Docker's HEALTHCHECK asks).
 * GET /readyz: ready for traffic (the database answers and Telegram answered lately; load balancers ask).
 * GET /metrics: Prometheus.
 */
export const healthRoute: FastifyPluginAsync<HealthDeps> = async (server, deps) => {
  server.get('/healthz', async () => {
    await deps.ping();
    return { ok: true };
  });

  server.get('/readyz', async (_request, reply) => {
    const database = await deps.ping().then(
      () => true,
      () => false,
    );
    const telegram = deps.telegramReady();
    return reply.code(database && telegram ? 200 : 503).send({ ok: database && telegram, database, telegram });
  });

  server.get('/metrics', async (request, reply) => {
    if (deps.metricsToken !== undefined) {
      const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!sameSecret(given, deps.metricsToken)) throw new HttpRefusal(401, 'metrics token is wrong');
    }
    return reply.type(deps.metrics.contentType).send(await deps.metrics.metrics());
  });
};
