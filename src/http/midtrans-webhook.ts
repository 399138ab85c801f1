import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from '../logger.js';
import type { NotificationResult } from '../services/midtrans/notifications.js';
import { HttpRefusal } from './errors.js';

export type MidtransWebhookDeps = {
  notifications: { handle(body: unknown): Promise<NotificationResult> };
  logger: Logger;
  /** Something was applied: the outbox has messages to send. */
  onApplied(): void;
};

/**
 * POST /webhooks/midtrans, the notification URL set in Midtrans's dashboard. Midtrans retries any
 * non-2xx and follows no redirect: 400 names a field that is missing or wrong, 401 a signature that
 * does not match, 503 asks Midtrans to send it again (its status API could not confirm it yet), and
 * 200 means handled, including an order Kuota does not know.
 */
export const midtransWebhookRoute: FastifyPluginAsync<MidtransWebhookDeps> = async (server, deps) => {
  server.post('/webhooks/midtrans', { bodyLimit: 32 * 1024 }, async (request, reply) => {
    const result = await deps.notifications.handle(request.body);
    switch (result.answer) {
      case 'invalid':
        throw new HttpRefusal(400, `invalid ${result.field}`);
      case 'forged':
        throw new HttpRefusal(401, 'bad signature');
      case 'retry':
        return reply.code(503).send({ error: 'not confirmed yet' });
      case 'unknown_order':
        return { received: true, outcome: 'unknown_order' };
      case 'handled':
        deps.logger.info({ outcome: result.outcome }, 'Midtrans notification handled');
        if (result.outcome === 'applied') deps.onApplied();
        return { received: true, outcome: result.outcome };
    }
  });
};
