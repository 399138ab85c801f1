import type { FastifyPluginAsync } from 'fastify';
import type { EsimWebhookOutcome } from '../services/esim-webhooks.js';
import { HttpRefusal } from './errors.js';
import { keepRawBody, rawBodyOf } from './raw-body.js';

export type EsimWebhookDeps = {
  /** null when no eSIM partner is configured. */
  notifications: { handle(rawBody: Buffer, signature: unknown): Promise<EsimWebhookOutcome> } | null;
  /** A warning was queued: the outbox should look now. */
  onApplied(): void;
};

/** POST /webhooks/esim: the eSIM partner's signed low-data and expiry notifications (HMAC-SHA512 over the raw body). */
export const esimWebhookRoute: FastifyPluginAsync<EsimWebhookDeps> = async (server, deps) => {
  keepRawBody(server);
  server.post('/webhooks/esim', { bodyLimit: 64 * 1024 }, async (request) => {
    if (!deps.notifications) throw new HttpRefusal(404, 'no eSIM partner configured');
    const outcome = await deps.notifications.handle(rawBodyOf(request.body), request.headers['airalo-signature']);
    if (outcome === 'bad_signature') throw new HttpRefusal(400, 'bad signature');
    if (outcome === 'applied') deps.onApplied();
    return { received: true, outcome };
  });
};
