import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from '../logger.js';
import type { EventOutcome } from '../services/auto-renew/auto-renew.js';
import {
  isAutoRenewEvent,
  type AutoRenewEvent,
  type OrderPaymentEvent,
  type PaymentGateway,
} from '../services/ports/payment-gateway.js';
import { HttpRefusal } from './errors.js';
import { keepRawBody, rawBodyOf } from './raw-body.js';

export type StripeWebhookDeps = {
  payments: Pick<PaymentGateway, 'parseWebhook'>;
  checkoutEvents: { handle(event: OrderPaymentEvent): Promise<EventOutcome> };
  autoRenewEvents: { handle(event: AutoRenewEvent): Promise<EventOutcome> };
  logger: Logger;
  /** Something was applied: the outbox has messages to send. */
  onApplied(): void;
};

/**
 * POST /webhooks/stripe. The signature covers the raw body, so it is kept raw here only.
 * 400 on a bad signature (Stripe does not retry it); 200 once handled, including events Kuota ignores;
 * a 500 only when Kuota failed, so that Stripe retries.
 */
export const stripeWebhookRoute: FastifyPluginAsync<StripeWebhookDeps> = async (server, deps) => {
  keepRawBody(server);
  server.post('/webhooks/stripe', { bodyLimit: 256 * 1024 }, async (request) => {
    const event = await deps.payments.parseWebhook(
      rawBodyOf(request.body),
      request.headers['stripe-signature'] as string | undefined,
    );
    if (!event) throw new HttpRefusal(400, 'bad signature');
    const outcome = isAutoRenewEvent(event)
      ? await deps.autoRenewEvents.handle(event)
      : await deps.checkoutEvents.handle(event);
    deps.logger.info({ eventId: event.id, kind: event.kind, outcome }, 'payment event');
    if (outcome === 'applied') deps.onApplied();
    return { received: true, outcome };
  });
};
