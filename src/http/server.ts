import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from '../logger.js';
import { answerErrors } from './errors.js';
import { healthRoute, type HealthDeps } from './health.js';
import { providerWebhookRoute, type ProviderWebhookDeps } from './provider-webhook.js';
import { stripeWebhookRoute, type StripeWebhookDeps } from './stripe-webhook.js';
import { telegramWebhookRoute, type TelegramWebhookDeps } from './telegram-webhook.js';

export type ServerDeps = {
  logger: Logger;
  health: HealthDeps;
  stripe: StripeWebhookDeps;
  provider: ProviderWebhookDeps;
  telegram: TelegramWebhookDeps;
};

/**
 * Kuota's HTTP side: health, the Stripe, provider and Telegram webhooks. Each route is a plugin in
 * its own file that declares its body limit, whether it needs the raw body, and its errors.
 *
 * More plugins (the operator console) register on the returned instance before it listens:
 * `app.server.register(plugin, options)` between createApp() and app.start().
 */
export function createServer(deps: ServerDeps): FastifyInstance {
  const server = Fastify({
    loggerInstance: deps.logger,
    // One line per request would drown the log; errors and webhook outcomes are logged where they happen.
    logController: new LogController({ disableRequestLogging: true }),
    // The smallest limit of any route; a route that needs more says so itself.
    bodyLimit: 64 * 1024,
  }) as unknown as FastifyInstance;
  answerErrors(server);
  server.register(healthRoute, deps.health);
  server.register(stripeWebhookRoute, deps.stripe);
  server.register(providerWebhookRoute, deps.provider);
  server.register(telegramWebhookRoute, deps.telegram);
  return server;
}
