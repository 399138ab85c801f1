import type { FastifyPluginAsync } from 'fastify';
import type { EsimWebhookOutcome } from '../services/esim-partner/notifications.js';
import { HttpRefusal } from './errors.js';
import { keepRawBody, rawBodyOf } from './raw-body.js';

export type EsimWebhookDeps = {
  /** null when no eSIM partner is configured. */
  notifications: { handle(rawBody: Buffer, signature: unknown): Promise<EsimWebhookOutcome> } | null;
  /** A warning was queued: the outbox should look now. */
  onApplied(): void;
};

/**
 * POST /webhooks/esim: the eSIM partner's signed notifications (HMAC-SHA512 over the raw body).
 * HEAD answers 200: Airalo checks the URL that way before it accepts an opt-in ("Webhook definition").
 * A signed body with junk in it gets 422 naming the field, so it is neither a 500 nor "bad signature".
 */
export const esimWebhookRoute: FastifyPluginAsync<EsimWebhookDeps> = async (server, deps) => {
  keepRawBody(server);
  server.head('/webhooks/esim', async (_request, reply) => reply.code(deps.notifications ? 200 : 404).send());
  server.post('/webhooks/esim', { bodyLimit: 64 * 1024 }, async (request) => {
    if (!deps.notifications) throw new HttpRefusal(404, 'no eSIM partner configured');
    const result = await deps.notifications.handle(rawBodyOf(request.body), request.headers['airalo-signature']);
    if (result.outcome === 'bad_signature') throw new HttpRefusal(400, 'bad signature');
    if (result.outcome === 'invalid') throw new HttpRefusal(422, `invalid field: ${result.field}`);
    if (result.outcome === 'applied' || result.outcome === 'credit_limit') deps.onApplied();
    return { received: true, outcome: result.outcome };
  });
};
