import type { FastifyPluginAsync } from 'fastify';
import type { TopUpStatus } from '../services/ports/provider-gateway.js';
import { HttpRefusal } from './errors.js';
import { keepRawBody, rawBodyOf } from './raw-body.js';

/** A provider that calls back about pending top-ups (Digiflazz does; the simulator does not). */
export type ProviderCallbacks = {
  parseCallback(rawBody: Buffer, signature: string | undefined): { reference: string; status: TopUpStatus } | null;
};

export type ProviderWebhookDeps = {
  callbacks: ProviderCallbacks | null;
  onStatus(reference: string, status: TopUpStatus): Promise<void>;
};

/** POST /webhooks/provider: the wholesale provider's signed callback, verified over the raw body. */
export const providerWebhookRoute: FastifyPluginAsync<ProviderWebhookDeps> = async (server, deps) => {
  keepRawBody(server);
  server.post('/webhooks/provider', { bodyLimit: 64 * 1024 }, async (request) => {
    if (!deps.callbacks) throw new HttpRefusal(404, 'no provider callbacks');
    const callback = deps.callbacks.parseCallback(
      rawBodyOf(request.body),
      request.headers['x-hub-signature'] as string | undefined,
    );
    if (!callback) throw new HttpRefusal(400, 'bad signature');
    await deps.onStatus(callback.reference, callback.status);
    return { received: true };
  });
};
