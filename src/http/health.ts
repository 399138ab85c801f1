import type { FastifyPluginAsync } from 'fastify';

export type HealthDeps = { /** Throws when the database does not answer. */ ping(): Promise<unknown> };

/** GET /healthz: 200 when the database answers (the Docker HEALTHCHECK and load balancers ask). */
export const healthRoute: FastifyPluginAsync<HealthDeps> = async (server, deps) => {
  server.get('/healthz', async () => {
    await deps.ping();
    return { ok: true };
  });
};
